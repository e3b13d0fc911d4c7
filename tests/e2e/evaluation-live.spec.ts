// The evaluation room is live (issue 15 item 9, decision 107): the supervisor's page and the
// other members' pages change within a second or two of a member's act, with no reload, over
// socket.io /notify (the pages re-read their loader on the signal).
import { expect, test, type Browser, type Page } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { testEnv } from "../../scripts/test-env.mjs";
import { DEMO_PASSWORD, signedIn, sql } from "./support.ts";

const keys = fs.mkdtempSync(path.join(os.tmpdir(), "e2e-room-live-"));
/** Well under the 30 s fallback re-read: only the push can make it. */
const LIVE_MS = 2_000;

function seedTender(): string {
  const out = execFileSync(
    "npx",
    ["--no-install", "tsx", "prisma/seed-room.ts", "--code", `E2E-LIVE-${randomBytes(4).toString("hex")}`, "--keys", keys],
    { env: { ...process.env, ...testEnv, DATABASE_URL: testEnv.MIGRATION_DATABASE_URL }, encoding: "utf8" },
  );
  return (JSON.parse(out.trim().split("\n").pop() ?? "{}") as { tenderId: string }).tenderId;
}

async function live(page: Page) {
  await expect(page.locator("body[data-room-live=on]")).toHaveCount(1, { timeout: 15_000 });
}

async function memberPage(browser: Browser, email: string, tenderId: string): Promise<Page> {
  const page = await signedIn(browser, email);
  await page.goto(`/evaluation/${tenderId}`);
  await live(page);
  await page.locator("input[name=roomKey]").setInputFiles(path.join(keys, "evaluation", `${email}-sign.p12`));
  await page.locator("input[name=roomPassword]").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "使用此证书" }).click();
  await expect(page.getByTestId("key-ready")).toBeVisible();
  return page;
}

test("the supervisor's feed and another member's page follow a member's acts without a reload", async ({ browser }) => {
  test.setTimeout(120_000);
  const tenderId = seedTender();
  const supervisor = await signedIn(browser, "supervisor@demo.mingbiao.cn");
  await supervisor.goto(`/evaluation/${tenderId}`);
  await live(supervisor);
  await expect(supervisor.getByTestId("room-status")).toBeVisible(); // no session yet

  // expert1 enters: its page opens the session; the supervisor's page shows the room at once.
  const first = await memberPage(browser, "expert1@demo.mingbiao.cn", tenderId);
  await expect(supervisor.locator("[data-testid=room-feed] li[data-action='evaluation.session_opened']")).toHaveCount(1, {
    timeout: LIVE_MS,
  });

  // expert2 is in the room too; expert1 signs in and pledges.
  const second = await memberPage(browser, "expert2@demo.mingbiao.cn", tenderId);
  await expect(second.getByTestId("room-member").filter({ hasText: "已签承诺书" })).toHaveCount(0);
  await first.getByRole("button", { name: "以签名证书签到" }).click();
  await expect(supervisor.locator("[data-testid=room-feed] li[data-action='evaluation.signed_in']")).toHaveCount(1, {
    timeout: LIVE_MS,
  });
  // From the audit entry's commit time to the supervisor's page showing it (same machine, same clock).
  const [entry] = await sql<{ at: Date }>(
    "SELECT at FROM audit_entry WHERE action = 'evaluation.signed_in' AND data->>'tenderId' = $1",
    [tenderId],
  );
  const signInShownMs = Date.now() - (entry?.at.getTime() ?? 0);
  expect(signInShownMs).toBeLessThan(LIVE_MS + 1_000);
  await first.getByRole("button", { name: "签署承诺书" }).click();
  await expect(supervisor.locator("[data-testid=room-feed] li[data-action='evaluation.pledged']")).toHaveCount(1, {
    timeout: LIVE_MS,
  });
  // expert2's page, untouched, shows expert1 signed in and pledged.
  await expect(second.getByTestId("room-member").filter({ hasText: "已签承诺书" })).toHaveCount(1, { timeout: LIVE_MS });
  test.info().annotations.push({
    type: "sign-in on the supervisor's page after its audit entry (ms)",
    description: String(signInShownMs),
  });
  console.log(`evaluation live: the supervisor's page showed the sign-in ${signInShownMs} ms after its audit entry`);
});
