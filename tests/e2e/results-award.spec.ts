// The award end to end (issue 17 item 3) in Chromium against the real server, database and Redis:
// a tender in candidate publicity with an open objection to the result → the award is refused
// with the message → the agent answers the objection → still refused while the publicity runs →
// the publicity's window passes (SQL: time passes) → award confirmed → the public result notice
// shows the winner → the winner downloads the notice of award from its bid page and it verifies
// with pdfsig → the agent records the contract (a bad amount refused first).
import { expect, test } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { testEnv } from "../../scripts/test-env.mjs";
import { signedIn, sql } from "./support.ts";

/** Its own tender per run: seeded as the opening, the room and the publicity leave it, the publicity still running. */
function seedTender(): string {
  const out = execFileSync(
    "npx",
    [
      "--no-install",
      "tsx",
      "prisma/seed-award.ts",
      "--code",
      `E2E-AW-${randomBytes(4).toString("hex")}`,
      "--publicity",
      "open",
      "--title",
      "中标测试项目（学府路三期）",
    ],
    { env: { ...process.env, ...testEnv, DATABASE_URL: testEnv.MIGRATION_DATABASE_URL }, encoding: "utf8" },
  );
  return (JSON.parse(out.trim().split("\n").pop() ?? "{}") as { tenderId: string }).tenderId;
}

/**
 * An objection to the result by demo bidder 2, as the publicity's objection form files it (built
 * in parallel): the objection row, the procedure suspended from PUBLICITY.
 */
async function objectToResult(tenderId: string): Promise<string> {
  const [row] = await sql<{ id: string }>(
    `INSERT INTO objection (id, tender_id, target, objector_org_id, objector_user_id, reasons, raised_at, status)
     SELECT gen_random_uuid(), $1, 'result', u.organization_id, u.id, '第一中标候选人拟派项目经理同时在其他在建项目任职，请复核其资格。', now(), 'OPEN'
     FROM app_user u WHERE u.email = 'bidder2@demo.mingbiao.cn'
     RETURNING id`,
    [tenderId],
  );
  await sql(
    `INSERT INTO procedure_suspension (id, tender_id, cause, source_id, from_status, started_at)
     VALUES (gen_random_uuid(), $1, 'objection', $2, 'PUBLICITY', now())`,
    [tenderId, row!.id],
  );
  await sql(`UPDATE tender SET status = 'SUSPENDED' WHERE id = $1`, [tenderId]);
  return row!.id;
}

test.describe("award", () => {
  test("objection blocks the award → answered → publicity ends → award → public result → winner's signed notice of award → contract", async ({
    browser,
  }) => {
    const tenderId = seedTender();
    const objectionId = await objectToResult(tenderId);
    const [winner] = await sql<{ name: string }>(
      `SELECT o.name FROM organization o JOIN app_user u ON u.organization_id = o.id WHERE u.email = 'bidder1@demo.mingbiao.cn'`,
    );

    // The agent opens the award page from the tender page; the award is refused while the objection is open.
    const agent = await signedIn(browser, "agent@demo.mingbiao.cn");
    await agent.goto(`/agent/tenders/${tenderId}`);
    await agent.getByTestId("award-link").click();
    await expect(agent.getByRole("heading", { name: "确定中标人" })).toBeVisible();
    await expect(agent.getByTestId("open-objections")).toContainText("1 件异议尚未答复");
    await agent.getByRole("button", { name: `确定 ${winner!.name} 为中标人` }).click();
    await expect(agent.getByTestId("award-refusal")).toContainText("有异议尚未答复");
    await expect(agent.getByTestId("award-refusal")).toContainText("《招标投标法实施条例》第五十四条");

    // The agent answers the objection; the procedure resumes, but the publicity still runs.
    await agent.goto(`/objections/${objectionId}`);
    await agent.getByLabel("答复内容").fill("经核查，该项目经理已于投标前完成原项目竣工验收，不存在同时任职情形，维持公示结果。");
    await agent.getByRole("button", { name: "提交答复并恢复招标投标活动" }).click();
    await expect(agent.getByTestId("objection-answer")).toContainText("维持公示结果");
    await agent.goto(`/agent/tenders/${tenderId}/award`);
    await expect(agent.getByTestId("open-objections")).toHaveCount(0);
    await agent.getByRole("button", { name: `确定 ${winner!.name} 为中标人` }).click();
    await expect(agent.getByTestId("award-refusal")).toContainText("中标候选人公示期尚未结束");

    // Time passes: the publicity's window ends.
    await sql(
      `UPDATE candidate_publicity SET starts_at = now() - interval '5 days', ends_at = now() - interval '1 minute' WHERE tender_id = $1`,
      [tenderId],
    );
    await agent.reload();
    await agent.getByRole("button", { name: `确定 ${winner!.name} 为中标人` }).click();
    await expect(agent.getByTestId("award-done")).toContainText("中标结果公告已发布");
    await expect(agent.getByTestId("award-letter")).toHaveCount(3);
    await expect(agent.getByTestId("award-clock-sign-contract")).toContainText("签订书面合同");
    await expect(agent.getByTestId("award-clock-award-report")).toContainText("进行中");

    // The public reads the result notice from the tender's notice page.
    const anonymous = await (await browser.newContext()).newPage();
    await anonymous.goto(`/tenders/${tenderId}`);
    await anonymous.getByTestId("result-notice-link").click();
    await expect(anonymous.getByTestId("result-winner")).toHaveText(winner!.name);
    await expect(anonymous.getByTestId("result-price")).toContainText("8,650,000.00");
    await expect(anonymous.getByTestId("result-no-declines")).toBeVisible();

    // The winner downloads its notice of award from its bid page; the signature verifies.
    const bidder = await signedIn(browser, "bidder1@demo.mingbiao.cn");
    await bidder.goto(`/bids/${tenderId}`);
    await expect(bidder.getByTestId("award-letter")).toContainText("中标通知书");
    const [download] = await Promise.all([bidder.waitForEvent("download"), bidder.getByTestId("award-letter-download").click()]);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "e2e-award-")), "notice-of-award.pdf");
    await download.saveAs(file);
    const sig = execFileSync("pdfsig", [file], { encoding: "utf8" });
    expect(sig).toContain("Signature is Valid");
    expect(sig).toContain("ETSI.CAdES.detached");
    const text = execFileSync("pdftotext", [file, "-"], { encoding: "utf8" });
    expect(text).toContain("中标通知书");
    expect(text).toContain(winner!.name);
    const [letter] = await sql<{ first: Date | null }>(
      `SELECT l.first_downloaded_at AS first FROM award_letter l JOIN app_user u ON u.organization_id = l.bidder_org_id
       WHERE l.tender_id = $1 AND u.email = 'bidder1@demo.mingbiao.cn'`,
      [tenderId],
    );
    expect(letter!.first).not.toBeNull();

    // The agent sees the download and records the contract; a bad amount is refused first.
    await agent.reload();
    await expect(agent.getByTestId("award-letter").filter({ hasText: winner!.name })).toContainText("投标人已于");
    const today = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai" }).format(new Date());
    await agent.getByLabel("合同签订日期").fill(today);
    await agent.getByLabel("合同价款（元）").fill("八百六十五万");
    await agent.getByRole("button", { name: "登记合同" }).click();
    await expect(agent.getByTestId("award-refusal")).toContainText("无法识别");
    await agent.getByLabel("合同签订日期").fill(today);
    await agent.getByLabel("合同价款（元）").fill("8650000.00");
    await agent.getByRole("button", { name: "登记合同" }).click();
    await expect(agent.getByTestId("contract-recorded")).toContainText("¥8,650,000.00");
    await expect(agent.getByTestId("award-clock-sign-contract")).toContainText("已完成");
    await expect(agent.getByTestId("award-clock-security-refund")).toContainText("进行中");

    // The supervisor's 节点监控 lists the open clocks after the award by their names.
    const [{ code }] = (await sql<{ code: string }>("SELECT code FROM tender WHERE id = $1", [tenderId])) as [{ code: string }];
    const supervisor = await signedIn(browser, "supervisor@demo.mingbiao.cn");
    await supervisor.getByRole("link", { name: "节点监控" }).click();
    await expect(supervisor.getByTestId("clock-security-refund").filter({ hasText: code })).toContainText("退还投标保证金");
    await expect(supervisor.getByTestId("clock-award-report").filter({ hasText: code })).toContainText(
      "提交招标投标情况书面报告",
    );
    await expect(supervisor.getByTestId("clock-sign-contract").filter({ hasText: code })).toHaveCount(0);
    await supervisor.getByTestId("clock-security-refund").filter({ hasText: code }).getByRole("link").click();
    await expect(supervisor.getByTestId("result-winner")).toHaveText(winner!.name);
  });
});
