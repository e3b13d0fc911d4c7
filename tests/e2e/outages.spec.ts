// The centre's administrator records a platform outage (E-Measures Art 31; decision 091): the
// list shows the outages on record, a backwards or future incident is refused with the article,
// a real one is saved and listed.
import { expect, test } from "@playwright/test";
import { signedIn, sql } from "./support.ts";

/** A Beijing-time datetime-local value (UTC+8) for an instant. */
function beijingLocal(at: Date): string {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 16);
}

test.afterAll(async () => {
  await sql("DELETE FROM platform_outage WHERE description LIKE 'e2e:%'");
});

test("the admin records an incident at /admin/outages; a backwards or future one is refused", async ({ browser }) => {
  const admin = await signedIn(browser, "admin@demo.mingbiao.cn");
  await admin.getByRole("link", { name: "平台故障" }).click();
  await expect(admin.getByRole("heading", { name: "平台故障记录" })).toBeVisible();
  await expect(admin.getByTestId("outages")).toContainText("UPS 切换演练");

  // Far in the past, so no other test's decryption window meets it.
  const from = new Date(Date.now() - 400 * 24 * 3600_000);
  const to = new Date(from.getTime() + 20 * 60_000);
  await admin.getByLabel("开始（北京时间）").fill(beijingLocal(to));
  await admin.getByLabel("结束（北京时间）").fill(beijingLocal(from));
  await admin.getByLabel("故障情况").fill("e2e: 反向");
  await admin.getByRole("button", { name: "登记" }).click();
  await expect(admin.getByTestId("refusal")).toContainText("故障结束时间须晚于开始时间");
  await expect(admin.getByTestId("refusal")).toContainText("第三十一条");

  await admin.getByLabel("开始（北京时间）").fill(beijingLocal(from));
  await admin.getByLabel("结束（北京时间）").fill(beijingLocal(new Date(Date.now() + 3600_000)));
  await admin.getByLabel("故障情况").fill("e2e: 未来");
  await admin.getByRole("button", { name: "登记" }).click();
  await expect(admin.getByTestId("refusal")).toContainText("结束时间不能晚于现在");

  await admin.getByLabel("结束（北京时间）").fill(beijingLocal(to));
  await admin.getByLabel("故障情况").fill("e2e: 机房网络中断");
  await admin.getByRole("button", { name: "登记" }).click();
  await expect(admin.getByTestId("outage-saved")).toBeVisible();
  await expect(admin.getByTestId("outages")).toContainText("e2e: 机房网络中断");
  await expect(admin.getByTestId("outages")).toContainText("交易中心登记");
});
