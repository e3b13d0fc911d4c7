import { expect, test } from "@playwright/test";
import { randomBytes, randomInt } from "node:crypto";
import { creditCodeCheckChar } from "../../app/features/accounts/credit-code.ts";
import { DEMO_PASSWORD, signIn, signedIn, sql } from "./support.ts";

// Issue 14 end to end: an expert applies and is approved; the agent requests a committee of 5 in
// two specialties (a committee of 4 is refused citing TBL Art 37); the supervisor approves; the
// draw runs as a job; one expert declines and the next reserve is invited; the supervisor sees
// names, the agent and a bidder do not; once the result is fixed the public page re-runs the draw.
const CODE = "MZ-JS-2026-0100";

function idNumber(): string {
  const pad = (n: number, w: number) => String(n).padStart(w, "0");
  const body = `${pad(110000 + randomInt(550000), 6)}${1950 + randomInt(55)}${pad(1 + randomInt(12), 2)}${pad(1 + randomInt(28), 2)}${pad(randomInt(1000), 3)}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = weights.reduce((acc, w, i) => acc + w * Number(body[i]), 0);
  return body + "10X98765432"[sum % 11]!;
}

/** `datetime-local` value in Beijing time, `ms` from now. */
function beijingLocal(ms: number): string {
  return new Date(Date.now() + ms + 8 * 3_600_000).toISOString().slice(0, 16);
}

test.describe("expert pool, committee request and verifiable draw", () => {
  test("apply → approve → request → approve → draw → decline → reserve → public verification", async ({ browser }) => {
    test.setTimeout(180_000);
    const [tender] = await sql<{ id: string }>("SELECT id FROM tender WHERE code = $1", [CODE]);
    const tenderId = tender?.id ?? "";
    // A re-run starts with no request on the demo tender (the audit log keeps earlier runs).
    await sql("DELETE FROM committee_request WHERE tender_id = $1", [tenderId]);

    // 1. A person applies as an expert.
    const name = `e2e专家${randomBytes(2).toString("hex")}`;
    const email = `e2e-expert-${randomBytes(4).toString("hex")}@test.mingbiao.cn`;
    const applicant = await (await browser.newContext()).newPage();
    await applicant.goto("/experts/apply");
    await applicant.getByLabel("姓名").fill(name);
    await applicant.getByLabel("身份证号码").fill(idNumber());
    await applicant.getByLabel("工作单位", { exact: true }).fill("明州软件评测中心");
    const body = `91330200MA2E${randomBytes(3)
      .toString("hex")
      .toUpperCase()
      .replace(/[IOSVZ]/g, "1")}`.slice(0, 17);
    await applicant.getByLabel("工作单位统一社会信用代码").fill(body + creditCodeCheckChar(body));
    await applicant.getByLabel("职称").fill("高级工程师");
    await applicant.getByLabel("从业年限").fill("15");
    await applicant.getByLabel("所在地区").fill("明州市");
    await applicant.getByLabel("手机号码").fill("13912345678");
    await applicant.getByLabel(/软件开发与运维/).check();
    await applicant.getByLabel("电子邮箱").fill(email);
    await applicant.getByLabel("密码").fill("expert-e2e-password");
    await applicant.getByRole("button", { name: "提交申请" }).click();
    await expect(applicant).toHaveURL(/\/expert$/);
    await expect(applicant.getByTestId("expert-status")).toHaveText("待审核");

    // 2. The trading centre approves.
    const admin = await signedIn(browser, "admin@demo.mingbiao.cn");
    await admin.getByRole("link", { name: "专家库" }).click();
    await admin.getByLabel("姓名、单位或地区").fill(name);
    await admin.getByRole("button", { name: "查询" }).click();
    const row = admin.getByTestId("pool-row").filter({ hasText: name });
    await row.getByRole("button", { name: "批准入库" }).click();
    await expect(row.getByTestId("pool-status")).toContainText("已入库");
    await applicant.reload();
    await expect(applicant.getByTestId("expert-status")).toHaveText("已入库");
    await expect(applicant.getByRole("link", { name: "申领签名证书" })).toBeVisible();

    // 3. The agent asks; a committee of 4 is refused citing the article.
    const agent = await signedIn(browser, "agent@demo.mingbiao.cn");
    await agent.goto(`/agent/tenders/${tenderId}/committee`);
    await agent.getByLabel("专业 1", { exact: true }).selectOption("A0201");
    await agent.getByLabel("人数 1", { exact: true }).fill("4");
    await agent.getByLabel("评标开始时间（北京时间）").fill(beijingLocal(2 * 3_600_000));
    await agent.getByRole("button", { name: "提交抽取申请" }).click();
    await expect(agent.getByTestId("request-refusal")).toContainText("《招标投标法》第三十七条");
    await agent.getByLabel("专业 1", { exact: true }).selectOption("A0201");
    await agent.getByLabel("人数 1", { exact: true }).fill("3");
    await agent.getByLabel("候补人数 1", { exact: true }).fill("2");
    await agent.getByLabel("专业 2", { exact: true }).selectOption("A0301");
    await agent.getByLabel("人数 2", { exact: true }).fill("2");
    await agent.getByLabel("候补人数 2", { exact: true }).fill("1");
    await agent.getByLabel("评标开始时间（北京时间）").fill(beijingLocal(2 * 3_600_000));
    await agent.getByRole("button", { name: "提交抽取申请" }).click();
    await expect(agent.getByTestId("request-status")).toHaveText("待监督人员审核");

    // 4. The assigned supervisor approves; the draw job runs (its time is already due).
    const supervisor = await signedIn(browser, "supervisor@demo.mingbiao.cn");
    await supervisor.getByRole("link", { name: "专家抽取" }).click();
    await supervisor
      .getByTestId("supervised-request")
      .filter({ hasText: CODE })
      .first()
      .getByRole("link", { name: "查看" })
      .click();
    await supervisor.getByRole("button", { name: "批准抽取" }).click();
    await expect(async () => {
      await supervisor.reload();
      await expect(supervisor.getByTestId("request-status")).toHaveText("已抽取", { timeout: 1000 });
    }).toPass({ timeout: 60_000 });
    await expect(supervisor.getByTestId("committee-seat")).toHaveCount(5);
    await expect(supervisor.getByTestId("committee-excluded")).toContainText("受雇于投标人");
    const firstName = (await supervisor.getByTestId("committee-seat").first().locator("td").nth(1).innerText()).split(" ")[0]!;
    expect(firstName.length).toBeGreaterThan(1);

    // 5. The agent sees counts, never names; a bidder sees only the commitment.
    await agent.reload();
    await expect(agent.getByTestId("committee-counts")).toContainText("0 / 3 已确认");
    await expect(agent.locator("body")).not.toContainText(firstName);
    const bidder = await signedIn(browser, "bidder1@demo.mingbiao.cn");
    await bidder.goto(`/tenders/${tenderId}/draw`);
    await expect(bidder.getByTestId("seed-commitment")).toHaveText(/^[0-9a-f]{64}$/);
    await expect(bidder.getByTestId("draw-sealed")).toBeVisible();
    await expect(bidder.locator("body")).not.toContainText(firstName);

    // 6. Seat 1 declines: the first reserve of the same specialty is invited to seat 1.
    const [seat1] = await sql<{ email: string }>(
      `SELECT u.email FROM committee_seat s JOIN committee_request r ON r.id = s.request_id JOIN expert e ON e.id = s.expert_id JOIN app_user u ON u.id = e.user_id
       WHERE r.tender_id = $1 AND s.seat = 1 ORDER BY s.invited_at LIMIT 1`,
      [tenderId],
    );
    const declining = await (await browser.newContext()).newPage();
    await signIn(declining, seat1?.email ?? "", DEMO_PASSWORD);
    await declining.goto("/expert");
    const invitation = declining.getByTestId("invitation").filter({ hasText: CODE });
    await expect(invitation).not.toContainText("投标人");
    await invitation.getByRole("button", { name: "不能参加" }).click();
    await expect(invitation).toContainText("已拒绝");
    await supervisor.reload();
    await expect(supervisor.getByTestId("committee-seat")).toHaveCount(6);
    await expect(supervisor.getByTestId("committee-seat").nth(1)).toContainText("已邀请");
    await expect(supervisor.getByTestId("committee-reserve").first()).toContainText("已递补");

    // 7. The result is fixed (test helper until the results issue), then anyone re-runs the draw.
    await sql("UPDATE committee_request SET result_fixed_at = now() WHERE tender_id = $1 AND status = 'DRAWN'", [tenderId]);
    const publicPage = await (await browser.newContext()).newPage();
    await publicPage.goto(`/tenders/${tenderId}/draw`);
    await expect(publicPage.getByTestId("published-members").locator("li")).toHaveCount(5);
    await expect(publicPage.getByTestId("published-members")).toContainText(firstName);
    await publicPage.getByRole("button", { name: "重新计算" }).click();
    await expect(publicPage.getByTestId("draw-check")).toContainText("一致：重新计算得到相同的评标委员会");
    const secret = publicPage.getByLabel("随机种子 secret");
    const original = await secret.inputValue();
    await secret.fill(`${original.slice(0, -2)}${original.endsWith("00") ? "11" : "00"}`);
    await publicPage.getByRole("button", { name: "重新计算" }).click();
    await expect(publicPage.getByTestId("draw-check")).toContainText("does not match");
  });
});
