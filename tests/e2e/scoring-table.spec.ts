// 评分标准 in a browser without JavaScript: the tender form still works by server validation —
// a table that does not add up is refused with the part and the numbers, every row typed comes
// back, a blank row is always offered to add one more, and an emptied row is removed.
import { randomBytes } from "node:crypto";
import { expect, test } from "@playwright/test";
import { signIn } from "./support.ts";

function beijingLocal(daysAhead: number): string {
  const d = new Date(Date.now() + daysAhead * 86_400_000 + 8 * 3_600_000);
  return `${d.toISOString().slice(0, 10)}T09:00`;
}

test.describe("scoring table without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("server validation refuses, keeps and extends the table; the saved table is what the agent typed", async ({ page }) => {
    const code = `E2E-ST-${randomBytes(3).toString("hex").toUpperCase()}`;
    await signIn(page, "agent@demo.mingbiao.cn");
    await page.goto("/agent/tenders/new");
    await page.getByLabel("项目名称").fill(`评分标准无脚本测试 ${code}`);
    await page.getByLabel("项目编号").fill(code);
    await page.getByLabel("估算价（元）").fill("5000000");
    await page.getByLabel("投标保证金（元）").fill("100000");
    await page.getByLabel("招标文件发出时间").fill(beijingLocal(1));
    await page.getByLabel("招标文件发售截止时间").fill(beijingLocal(9));
    await page.getByLabel("投标截止（开标）时间").fill(beijingLocal(26));
    // One blank row is offered; fill it with too few points for the technical part (weight 50).
    await expect(page.getByTestId("criterion-row")).toHaveCount(1);
    await page.getByLabel("评审因素 1 名称").fill("施工组织设计");
    await page.getByLabel("评审因素 1 分值").fill("40");
    await page.getByLabel("评审因素 1 评分细则").fill("方案完整可行得 30–40 分");
    await page.getByRole("button", { name: "保存草稿" }).click();

    await expect(page.getByText("评分标准的技术部分各评审因素分值之和为 40 分，应等于该部分权重 50 分")).toBeVisible();
    await expect(page.getByLabel("评审因素 1 名称")).toHaveValue("施工组织设计");
    // A new blank row to add the next criterion.
    await expect(page.getByTestId("criterion-row")).toHaveCount(2);
    await page.getByLabel("评审因素 2 名称").fill("重点难点分析");
    await page.getByLabel("评审因素 2 分值").fill("10");
    await page.getByLabel("评审因素 2 评分细则").fill("针对性强得 8–10 分");
    await page.getByRole("button", { name: "保存草稿" }).click();

    // The commercial part (weight 20) still has no criterion.
    await expect(page.getByText(/评分标准的商务部分有 20% 的权重，却没有评审因素/)).toBeVisible();
    await expect(page.getByTestId("criterion-row")).toHaveCount(3);
    await page.getByLabel("评审因素 3 所属部分").selectOption("commercial");
    await page.getByLabel("评审因素 3 名称").fill("类似工程业绩");
    await page.getByLabel("评审因素 3 分值").fill("20");
    await page.getByLabel("评审因素 3 评分细则").fill("每项业绩 5 分");
    // Emptying a row removes it: row 2 goes, so row 1 must carry the technical part's 50 points.
    await page.getByLabel("评审因素 2 名称").fill("");
    await page.getByLabel("评审因素 2 分值").fill("");
    await page.getByLabel("评审因素 2 评分细则").fill("");
    await page.getByLabel("评审因素 1 分值").fill("50");
    await page.getByRole("button", { name: "保存草稿" }).click();

    await expect(page).toHaveURL(/\/agent\/tenders\/[0-9a-f-]{36}$/);
    const table = page.getByTestId("scoring-table");
    await expect(table.getByRole("row", { name: /技术部分.*施工组织设计.*50/ })).toBeVisible();
    await expect(table.getByRole("row", { name: /商务部分.*类似工程业绩.*20/ })).toBeVisible();
    await expect(table).not.toContainText("重点难点分析");
  });
});
