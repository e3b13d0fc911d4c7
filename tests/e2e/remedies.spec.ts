import { expect, test } from "@playwright/test";
import { randomBytes } from "node:crypto";
import { signedIn, sql } from "./support.ts";

/**
 * A published tender of the demo agent, 20 days before its deadline, supervised by the demo
 * supervisor: a copy of the demo works tender under a fresh code, so the other specs' tenders
 * are never suspended by this one's objection.
 */
async function tenderForRemedies(): Promise<{ id: string; title: string }> {
  const code = `E2E-R-${randomBytes(3).toString("hex").toUpperCase()}`;
  const [row] = await sql<{ id: string; title: string }>(
    `INSERT INTO tender (id, code, title, description, region, procedure_type, mandatory, status, estimated_price_cents, bid_security_cents,
       tenderer_org_id, agent_org_id, created_by_id, docs_issue_at, docs_available_until, bid_deadline, published_at,
       read_out_items, qualification_requirements, evaluation_method, evaluation_config, updated_at)
     SELECT gen_random_uuid(), $1, '异议投诉演示道路工程 ' || $1, description, region, procedure_type, mandatory, 'PUBLISHED', estimated_price_cents, bid_security_cents,
       tenderer_org_id, agent_org_id, created_by_id, now() - interval '3 days', now() + interval '4 days', date_trunc('minute', now() + interval '20 days'), now() - interval '3 days',
       read_out_items, qualification_requirements, evaluation_method, evaluation_config, now()
     FROM tender WHERE code = 'MZ-JS-2026-0158'
     RETURNING id, title`,
    [code],
  );
  await sql(
    `INSERT INTO tender_supervisor (tender_id, user_id, assigned_by_id)
     SELECT $1, s.id, a.id FROM app_user s, app_user a WHERE s.email = 'supervisor@demo.mingbiao.cn' AND a.email = 'admin@demo.mingbiao.cn'`,
    [row!.id],
  );
  return row!;
}

test.describe("objections and complaints", () => {
  test("bidder objects to the tender documents → agent answers → bidder complains → supervisor accepts and decides → decision public", async ({
    browser,
  }) => {
    const tender = await tenderForRemedies();

    // The bidder files an objection from the notice page; the procedure is suspended.
    const bidder = await signedIn(browser, "bidder1@demo.mingbiao.cn");
    await bidder.goto(`/tenders/${tender.id}`);
    await bidder.getByTestId("remedy-links").getByRole("link", { name: "对招标文件的异议" }).click();
    await expect(bidder.getByTestId("objection-cutoff")).toContainText("异议截止");
    await bidder.getByLabel("异议事项与理由").fill("招标文件第三章要求近三年在本市完成同类业绩，排斥外地潜在投标人，请予删除。");
    await bidder.getByRole("button", { name: "提交异议" }).click();
    await expect(bidder.getByTestId("objection-status")).toContainText("待答复");
    await expect(bidder.getByTestId("answer-due")).not.toBeEmpty();
    await bidder.goto(`/tenders/${tender.id}`);
    await expect(bidder.getByText("暂停（异议处理中）").first()).toBeVisible();

    // The agent opens it from the notification and answers, keeping the deadline.
    const agent = await signedIn(browser, "agent@demo.mingbiao.cn");
    await agent.getByRole("link", { name: /消息通知/ }).click();
    await agent.getByTestId("notification").filter({ hasText: "收到对招标文件的异议" }).first().getByRole("link").click();
    await agent.getByLabel("答复内容").fill("经复核，该业绩要求系行业主管部门规定，维持招标文件。");
    await agent.getByLabel("维持原投标截止时间").check();
    await agent.getByRole("button", { name: "提交答复并恢复招标投标活动" }).click();
    await expect(agent.getByTestId("objection-answer")).toContainText("维持招标文件");

    // Not satisfied, the bidder complains to the supervising department.
    await bidder.goto(`/tenders/${tender.id}/objections`);
    await bidder.getByTestId("objection").first().getByRole("link", { name: "查看" }).click();
    await bidder.getByRole("link", { name: "对答复不满意？向行政监督部门投诉" }).click();
    await bidder
      .getByLabel("投诉事项、事实与理由")
      .fill("招标人答复未纠正排斥外地投标人的条款，违反《招标投标法》第十八条，请求责令改正。");
    await bidder.getByRole("button", { name: "提交投诉" }).click();
    await expect(bidder.getByTestId("complaint-status")).toContainText("待受理");
    await expect(bidder.getByTestId("complaint-due")).not.toBeEmpty();

    // The supervisor accepts and decides.
    const supervisor = await signedIn(browser, "supervisor@demo.mingbiao.cn");
    await supervisor.getByRole("link", { name: "节点监控" }).click();
    await expect(supervisor.getByTestId("clock-complaint-acceptance").first()).toBeVisible();
    await supervisor.getByRole("link", { name: "投诉处理" }).click();
    await supervisor.getByTestId("complaint").filter({ hasText: tender.title }).getByRole("link", { name: "查看" }).click();
    await supervisor.getByRole("button", { name: "受理", exact: true }).click();
    await expect(supervisor.getByTestId("complaint-status")).toContainText("已受理");
    await supervisor.getByLabel("投诉成立").check();
    await supervisor
      .getByLabel("处理决定书内容")
      .fill("经调查，投诉事项成立。责令招标人删除招标文件第三章本地业绩要求，并按规定发布澄清。");
    await supervisor.getByRole("button", { name: "作出处理决定" }).click();
    await expect(supervisor.getByTestId("decision")).toContainText("投诉成立");

    // The public reads the decision on the notice page, without an account.
    const visitor = await (await browser.newContext()).newPage();
    await visitor.goto(`/tenders/${tender.id}`);
    const decision = visitor.getByTestId("complaint-decision");
    await expect(decision).toContainText("投诉成立");
    await expect(decision).toContainText("删除招标文件第三章本地业绩要求");
    await expect(visitor.getByTestId("tender-history")).toContainText("维持招标文件");
  });

  test("admin: a holiday notice whose days do not parse is refused, naming the line, and nothing is saved", async ({
    browser,
  }) => {
    const admin = await signedIn(browser, "admin@demo.mingbiao.cn");
    await admin.getByRole("link", { name: "节假日日历" }).click();
    await expect(admin.getByTestId("calendar-years")).toContainText("2026");
    await admin.getByLabel("年份").fill("2031");
    await admin.getByLabel("通知文号或网址").fill("国办发明电〔2030〕1号");
    await admin.getByLabel(/^日期/).fill("2031-01-01 休 元旦\n2031-02-30 休 春节");
    await admin.getByRole("button", { name: "保存并重算期限" }).click();
    await expect(admin.getByTestId("refusal")).toContainText("第 2 行");
    await expect(admin.getByTestId("refusal")).toContainText("日期无效");
    await expect(admin.getByTestId("year-2031")).toHaveCount(0);
  });
});
