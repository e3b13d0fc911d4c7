// Shared by the end-to-end specs: the demo password, signing in through the real form, and
// direct SQL on the test database for set-up that the UI cannot do (time passing, resets).
import { expect, type Browser, type Page } from "@playwright/test";
import pg from "pg";
import { testEnv } from "../../scripts/test-env.mjs";

export const DEMO_PASSWORD = "MingBiao-demo-2026";

export async function signIn(page: Page, email: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto("/login");
  await page.getByLabel("电子邮箱").fill(email);
  await page.getByLabel("密码").fill(password);
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page).toHaveURL(/\/account$/);
}

/** A page in a fresh browser context (its own cookies), signed in as `email`. */
export async function signedIn(browser: Browser, email: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signIn(page, email);
  return page;
}

export async function sql<T extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: testEnv.DATABASE_URL });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}
