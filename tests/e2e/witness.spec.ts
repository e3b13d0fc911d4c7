import { expect, test, type Browser, type Page } from "@playwright/test";
import pg from "pg";
import { testEnv } from "../../scripts/test-env.mjs";

const PASSWORD = "MingBiao-demo-2026";

async function signedIn(browser: Browser, email: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto("/login");
  await page.getByLabel("电子邮箱").fill(email);
  await page.getByLabel("密码").fill(PASSWORD);
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page).toHaveURL(/\/account$/);
  return page;
}

async function demoTenderId(): Promise<string> {
  const client = new pg.Client({ connectionString: testEnv.DATABASE_URL });
  await client.connect();
  try {
    const { rows } = await client.query<{ id: string }>("SELECT id FROM tender WHERE code = 'MZ-JS-2026-0158'");
    return rows[0]?.id ?? "";
  } finally {
    await client.end();
  }
}

test.describe("digital witnessing (数字见证)", () => {
  test("a room device publishes, the supervisor sees live video, others are refused", async ({ browser }) => {
    test.setTimeout(120_000);
    const tenderId = await demoTenderId();

    // The agent sets up the room's camera: the browser's (fake) camera and microphone publish.
    const device = await signedIn(browser, "agent@demo.mingbiao.cn");
    await device.goto(`/witness/${tenderId}/device?device=camera-1`);
    await expect(device.getByText("正在直播")).toBeVisible({ timeout: 30_000 });

    // The supervisor watches: the video element decodes frames and its time advances.
    const supervisor = await signedIn(browser, "supervisor@demo.mingbiao.cn");
    await supervisor.goto(`/witness/${tenderId}`);
    const video = supervisor.locator("video").first();
    await expect(video).toBeVisible({ timeout: 30_000 });
    await expect
      .poll(async () => video.evaluate((v: HTMLVideoElement) => v.getVideoPlaybackQuality().totalVideoFrames), { timeout: 30_000 })
      .toBeGreaterThan(10);
    const t1 = await video.evaluate((v: HTMLVideoElement) => v.currentTime);
    await supervisor.waitForTimeout(1500);
    const t2 = await video.evaluate((v: HTMLVideoElement) => v.currentTime);
    expect(t2).toBeGreaterThan(t1);

    // Nobody else may watch: a bidder gets 403, the public is sent to sign in.
    const bidder = await signedIn(browser, "bidder2@demo.mingbiao.cn");
    const refused = await bidder.goto(`/witness/${tenderId}`);
    expect(refused?.status()).toBe(403);
    const anonymous = await (await browser.newContext()).newPage();
    await anonymous.goto(`/witness/${tenderId}`);
    await expect(anonymous).toHaveURL(/\/login\?redirectTo=/);
  });
});
