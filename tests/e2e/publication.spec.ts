import { expect, test, type Browser, type Page } from "@playwright/test";
import { randomBytes } from "node:crypto";
import { minimalPdf } from "../../prisma/minimal-pdf.ts";
import { signIn, sql } from "./support.ts";

const DAY = 86_400_000;

/** A datetime-local value in Beijing time, `days` from now at 09:00. */
function beijingAt(days: number, hour = 9): string {
  const shanghai = new Date(Date.now() + 8 * 3_600_000 + days * DAY);
  return `${shanghai.toISOString().slice(0, 10)}T${String(hour).padStart(2, "0")}:00`;
}

function addDays(local: string, days: number): string {
  const d = new Date(`${local}:00Z`);
  return new Date(d.getTime() + days * DAY).toISOString().slice(0, 16);
}

async function newPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext();
  return context.newPage();
}

/**
 * Time passes: the tender was issued 10 days ago and its deadline is 10 days away, so a
 * clarification now is "late" (Regs Art 21). The e2e server shares the test database.
 */
async function timeTravel(code: string) {
  await sql(
    `UPDATE tender SET docs_issue_at = now() - interval '10 days', docs_available_until = now() + interval '1 day',
       bid_deadline = date_trunc('minute', now() + interval '10 days') WHERE code = $1`,
    [code],
  );
}

test.describe("tender publication", () => {
  test("agent publishes, public reads, bidder downloads, a late clarification moves the deadline and notifies the bidder", async ({
    page,
    browser,
  }) => {
    const code = `E2E-${randomBytes(3).toString("hex").toUpperCase()}`;
    const title = `端到端测试道路工程施工招标 ${code}`;

    // The agent creates a tender and sees the statutory minimum dates.
    await signIn(page, "agent@demo.mingbiao.cn");
    await page.getByRole("link", { name: "我的招标项目" }).click();
    await page.getByRole("link", { name: "新建招标项目" }).click();
    await page.getByLabel("项目名称").fill(title);
    await page.getByLabel("项目编号").fill(code);
    await page.getByLabel("估算价（元）").fill("5000000");
    await page.getByLabel("投标保证金（元）").fill("100000");
    const issue = beijingAt(1);
    await page.getByLabel("招标文件发出时间").fill(issue);
    await expect(page.getByTestId("min-deadline")).toContainText("法定最早");
    await expect(page.getByTestId("min-docs-until")).toContainText("法定最早");
    await page.getByLabel("招标文件发售截止时间").fill(addDays(issue, 7));
    await page.getByLabel("投标截止（开标）时间").fill(addDays(issue, 10));
    await page.getByRole("button", { name: "添加唱标项" }).click();
    await page.getByLabel("唱标项 1 名称").fill("工期");
    await page.getByLabel("唱标项 1 类型").selectOption("days");
    await page.getByLabel("资格要求").fill("市政公用工程施工总承包二级及以上资质");
    // 评分标准: technical 50 and commercial 20 points (the default weights); rows are added on the page.
    await page.getByLabel("评审因素 1 名称").fill("施工组织设计");
    await page.getByLabel("评审因素 1 分值").fill("50");
    await page.getByLabel("评审因素 1 评分细则").fill("方案完整可行得 40–50 分");
    await page.getByRole("button", { name: "添加评审因素" }).click();
    await page.getByLabel("评审因素 2 所属部分").selectOption("commercial");
    await page.getByLabel("评审因素 2 名称").fill("类似工程业绩");
    await page.getByLabel("评审因素 2 分值").fill("20");
    await page.getByLabel("评审因素 2 评分细则").fill("每项业绩 5 分");
    // A row added by mistake is removed again.
    await page.getByRole("button", { name: "添加评审因素" }).click();
    await expect(page.getByTestId("criterion-row")).toHaveCount(3);
    await page.getByTestId("criterion-row").nth(2).getByRole("button", { name: "删除" }).click();
    await expect(page.getByTestId("criterion-row")).toHaveCount(2);
    await page.getByRole("button", { name: "保存草稿" }).click();

    // TBL Art 24: too early a deadline is refused, citing the article; the entries are kept.
    await expect(page.getByText(/不得少于 20 日.*《招标投标法》第二十四条/)).toBeVisible();
    await expect(page.getByLabel("项目编号")).toHaveValue(code);
    await page.getByLabel("投标截止（开标）时间").fill(addDays(issue, 25));
    await page.getByRole("button", { name: "保存草稿" }).click();
    await expect(page).toHaveURL(/\/agent\/tenders\/[0-9a-f-]{36}$/);
    await expect(page.getByTestId("tender-status")).toHaveText("草稿");

    // Attach the tender documents (PDF) and publish.
    await page
      .getByLabel(/上传招标文件/)
      .setInputFiles({ name: "招标文件.pdf", mimeType: "application/pdf", buffer: minimalPdf("E2E tender documents") });
    await page.getByRole("button", { name: "上传", exact: true }).click();
    await expect(page.getByText("文件已上传。")).toBeVisible();
    await page.getByRole("button", { name: "发布", exact: true }).click();
    await expect(page.getByText("已发布。")).toBeVisible();
    // No supervisor is assigned to the new tender yet: the agent is told bids cannot be sealed.
    await expect(page.getByTestId("escrow-not-ready")).toContainText("监督人员指派");
    await expect(page.getByTestId("tender-status")).toHaveText("招标中");
    await expect(page.getByTestId("holders-confidential")).toContainText("《招标投标法》第二十二条");
    const agentTenderUrl = page.url();

    // The public sees it in the list and on its notice page; downloading needs a bidder sign-in.
    const visitor = await newPage(browser);
    await visitor.goto("/");
    await visitor.getByLabel("关键词").fill(code);
    await visitor.getByRole("button", { name: "查询" }).click();
    await visitor.getByRole("link", { name: title }).click();
    await expect(visitor.getByRole("heading", { name: title })).toBeVisible();
    await expect(visitor.getByText("招标文件.pdf")).toBeVisible();
    await expect(visitor.getByText("工期（天数）")).toBeVisible();
    const table = visitor.getByTestId("scoring-table");
    await expect(table.getByRole("row", { name: /施工组织设计.*50.*方案完整可行/ })).toBeVisible();
    await expect(table.getByRole("row", { name: /商务部分.*类似工程业绩.*20/ })).toBeVisible();
    await expect(table).toContainText("满分 30 分");
    await expect(visitor.getByRole("link", { name: "投标人登录后可下载招标文件" })).toBeVisible();
    const noticeUrl = visitor.url();

    // A bidder signs in and downloads the document.
    const bidder = await newPage(browser);
    await signIn(bidder, "bidder1@demo.mingbiao.cn");
    await bidder.goto(noticeUrl);
    const downloading = bidder.waitForEvent("download");
    await bidder.getByRole("link", { name: "招标文件.pdf" }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toBe("招标文件.pdf");

    // Later: 10 days before the deadline the agent issues a clarification; the deadline moves.
    await timeTravel(code);
    await bidder.goto("/");
    await expect(bidder.locator("body")).toHaveAttribute("data-notify", "connected");
    const badgeBefore = await bidder.getByTestId("notifications-link").textContent();
    await page.goto(agentTenderUrl);
    await page.getByLabel("标题").fill("工程量清单修正");
    await page.getByLabel("内容").fill("第三章工程量清单第 12 项数量更正为 1200 米。");
    await page.getByRole("button", { name: "发出" }).click();
    await expect(page.getByTestId("clarification-result")).toContainText("投标截止时间已由");
    await expect(page.getByTestId("clarification-result")).toContainText("顺延至");
    await expect(page.getByTestId("tender-status")).toHaveText("招标中（已澄清）");

    // The bidder sees the notification live (the header badge changes without a reload), then the list.
    await expect(bidder.getByTestId("notifications-link")).not.toHaveText(badgeBefore ?? "");
    await expect(bidder.getByTestId("notifications-link")).toHaveText(/消息通知\d+/);
    await bidder.getByTestId("notifications-link").click();
    const notification = bidder.getByTestId("notification").filter({ hasText: `${code} 第 1 号澄清或修改` });
    await expect(notification).toContainText("投标截止时间顺延至");
    await bidder.getByRole("button", { name: "全部标为已读" }).click();
    await expect(bidder.getByRole("button", { name: "全部标为已读" })).toHaveCount(0);
    await bidder.goto(noticeUrl);
    await expect(bidder.getByTestId("deadline-moved")).toContainText("顺延至");
  });
});
