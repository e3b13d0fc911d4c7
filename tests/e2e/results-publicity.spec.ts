// Candidate publicity end to end (issue 17 items 1, 2): the agent publishes the candidates of a
// tender whose evaluation report is signed → the public notice shows the candidates and the
// committee's names → a bidder files an objection to the result → the tender shows suspended →
// the agent answers → back in publicity. The tender is seeded fresh for each run
// (prisma/seed-results.ts, the rows as the evaluation room leaves them).
import { expect, test } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { testEnv } from "../../scripts/test-env.mjs";
import { signedIn, sql } from "./support.ts";

function seedTender(code: string): string {
  const out = execFileSync(
    "npx",
    ["--no-install", "tsx", "prisma/seed-results.ts", "--code", code, "--title", `公示测试道路工程 ${code}`],
    { env: { ...process.env, ...testEnv, DATABASE_URL: testEnv.MIGRATION_DATABASE_URL }, encoding: "utf8" },
  );
  const ids = (JSON.parse(out.trim().split("\n").pop() ?? "{}") as { tenderIds: Record<string, string> }).tenderIds;
  return ids[code]!;
}

test.describe("candidate publicity", () => {
  test("agent publishes → public notice with candidates and committee → bidder objects → suspended → agent answers → publicity again", async ({
    browser,
  }) => {
    const code = `E2E-P-${randomBytes(3).toString("hex").toUpperCase()}`;
    const tenderId = seedTender(code);
    const [first] = await sql<{ name: string }>(
      `SELECT o.name FROM organization o JOIN app_user u ON u.organization_id = o.id WHERE u.email = 'bidder1@demo.mingbiao.cn'`,
    );
    const experts = await sql<{ name: string }>(
      `SELECT u.name FROM evaluation_member m JOIN evaluation_session s ON s.id = m.session_id JOIN app_user u ON u.id = m.user_id
       WHERE s.tender_id = $1`,
      [tenderId],
    );
    expect(experts.length).toBeGreaterThanOrEqual(3);

    // Before publication the public notice does not exist.
    const visitor = await browser.newPage();
    const missing = await visitor.goto(`/tenders/${tenderId}/candidates`);
    expect(missing?.status()).toBe(404);

    // The agent opens the publicity page from the tender, sees the report's candidates, publishes.
    const agent = await signedIn(browser, "agent@demo.mingbiao.cn");
    await agent.goto(`/agent/tenders/${tenderId}`);
    await agent.getByTestId("publicity-link").click();
    await expect(agent.getByRole("heading", { name: "中标候选人公示", level: 1 })).toBeVisible();
    await expect(agent.getByTestId("publish-by")).toContainText("公示期限");
    await expect(agent.getByTestId("candidate").first()).toContainText(first!.name);
    await expect(agent.getByTestId("rejected")).toContainText("安全生产许可证已过有效期");
    // Too short first: refused with the article.
    const tooSoon = new Date(Date.now() + 8 * 3_600_000 + 8 * 3_600_000).toISOString().slice(0, 16);
    await agent.getByLabel("公示结束（北京时间）").fill(tooSoon);
    await agent.getByRole("button", { name: "发布中标候选人公示" }).click();
    await expect(agent.getByTestId("refusal")).toContainText("不得少于 3 日");
    await expect(agent.getByTestId("refusal")).toContainText("《招标投标法实施条例》第五十四条");
    const lawful = new Date(Date.now() + 8 * 3_600_000 + 5 * 86_400_000).toISOString().slice(0, 10) + "T18:00";
    await agent.getByLabel("公示结束（北京时间）").fill(lawful);
    await agent.getByLabel("备注（可选）").fill("公示期内对评标结果有异议的，请通过平台在线提出。");
    await agent.getByRole("button", { name: "发布中标候选人公示" }).click();
    await expect(agent.getByTestId("publicity-published")).toContainText("已于");

    // The public reaches it from the notice page: candidates in rank, the rejection, the committee, the draw.
    await visitor.goto(`/tenders/${tenderId}`);
    await visitor.getByTestId("candidates-link").click();
    await expect(visitor.getByTestId("publicity-window")).toContainText("公示期");
    await expect(visitor.getByTestId("candidate").first()).toContainText(first!.name);
    await expect(visitor.getByTestId("candidate").first()).toContainText("8,650,000.00");
    for (const e of experts) await expect(visitor.getByTestId("committee")).toContainText(e.name);
    await expect(visitor.getByTestId("committee")).toContainText("主任委员");
    await expect(visitor.getByTestId("draw-link")).toBeVisible();
    await expect(visitor.getByText("公示期内对评标结果有异议的")).toBeVisible();

    // A bidder objects to the result from the notice.
    const bidder = await signedIn(browser, "bidder1@demo.mingbiao.cn");
    await bidder.goto(`/tenders/${tenderId}/candidates`);
    await bidder.getByTestId("object-link").click();
    await expect(bidder.getByRole("heading", { name: "对评标结果的异议" })).toBeVisible();
    await expect(bidder.getByTestId("objection-window")).toContainText("公示期");
    await bidder.getByLabel("异议事项与理由").fill("第二中标候选人的类似工程业绩证明材料与合同金额不符，请复核其商务得分。");
    await bidder.getByRole("button", { name: "提交异议" }).click();
    await expect(bidder.getByTestId("objection-status")).toContainText("待答复");

    // The tender shows suspended, on the notice and on the candidate notice.
    await visitor.goto(`/tenders/${tenderId}/candidates`);
    await expect(visitor.getByTestId("publicity-suspended")).toBeVisible();
    await visitor.goto(`/tenders/${tenderId}`);
    await expect(visitor.getByText("暂停（异议处理中）").first()).toBeVisible();

    // The agent hears of it and answers; no bid-deadline choice for a result objection.
    await agent.getByRole("link", { name: /消息通知/ }).click();
    await agent.getByTestId("notification").filter({ hasText: "收到对评标结果的异议" }).first().getByRole("link").click();
    await expect(agent.getByText("答复不涉及投标截止时间")).toBeVisible();
    await expect(agent.getByLabel("维持原投标截止时间")).toHaveCount(0);
    await agent.getByLabel("答复内容").fill("经复核，第二中标候选人业绩合同金额与证明材料一致，评标结果维持。");
    await agent.getByRole("button", { name: "提交答复并恢复招标投标活动" }).click();
    await expect(agent.getByTestId("objection-answer")).toContainText("评标结果维持");

    // Back in publicity.
    await visitor.goto(`/tenders/${tenderId}/candidates`);
    await expect(visitor.getByTestId("publicity-window")).toBeVisible();
    await expect(visitor.getByTestId("publicity-suspended")).toHaveCount(0);
    await visitor.goto(`/tenders/${tenderId}`);
    await expect(visitor.getByText("中标候选人公示").first()).toBeVisible();
    const [row] = await sql<{ status: string }>(`SELECT status FROM tender WHERE id = $1`, [tenderId]);
    expect(row?.status).toBe("PUBLICITY");
  });
});
