import { expect, test } from "@playwright/test";
import { randomCreditCode, uniqueEmail } from "../support/ids.ts";

test.describe("public notices and bidder accounts", () => {
  test("sign-up → sign-out → sign-in → the public tender list, in Chinese and English", async ({ page }) => {
    const email = uniqueEmail("e2e");
    const password = "e2e-password-123456";

    await page.goto("/");
    await expect(page.getByRole("heading", { name: "交易公告" })).toBeVisible();
    await page.getByLabel("关键词").fill("滨江大道（二期）");
    await page.getByRole("button", { name: "查询" }).click();
    await expect(page.getByRole("link", { name: /滨江大道（二期）道路及配套工程/ })).toBeVisible();

    await page.getByRole("link", { name: "投标人注册" }).click();
    await expect(page.getByRole("heading", { name: "投标人注册" })).toBeVisible();
    await page.getByLabel("投标单位名称").fill("端到端测试工程有限公司");
    await page.getByLabel("统一社会信用代码").fill("91330100MA2B0001X9");
    await page.getByLabel("联系人姓名").fill("端到端");
    await page.getByLabel("电子邮箱").fill(email);
    await page.getByLabel("手机号码").fill("13700137000");
    await page.getByLabel("密码", { exact: true }).fill(password);
    await page.getByLabel("确认密码").fill(password);
    await page.getByRole("button", { name: "注册" }).click();
    // A wrong check character is named, and the other entries are kept.
    await expect(page.getByText("统一社会信用代码校验位不正确，请核对营业执照。")).toBeVisible();
    await expect(page.getByLabel("电子邮箱")).toHaveValue(email);

    await page.getByLabel("统一社会信用代码").fill(randomCreditCode());
    await page.getByLabel("密码", { exact: true }).fill(password);
    await page.getByLabel("确认密码").fill(password);
    await page.getByRole("button", { name: "注册" }).click();
    await expect(page).toHaveURL(/\/account$/);
    await expect(page.getByRole("heading", { name: "欢迎，端到端" })).toBeVisible();
    await expect(page.getByTestId("role")).toHaveText("当前身份：投标人");

    await page.getByRole("button", { name: "退出登录" }).click();
    await expect(page.getByRole("link", { name: "登录" })).toBeVisible();

    await page.getByRole("link", { name: "登录" }).click();
    await page.getByLabel("电子邮箱").fill(email);
    await page.getByLabel("密码").fill("not-my-password");
    await page.getByRole("button", { name: "登录" }).click();
    await expect(page.getByRole("alert")).toHaveText("邮箱或密码不正确。");
    await page.getByLabel("密码").fill(password);
    await page.getByRole("button", { name: "登录" }).click();
    await expect(page).toHaveURL(/\/account$/);

    // The list shows the newest first and the other tests publish tenders too: the demo tenders are
    // found by their codes (the search covers codes), not by being on page 1.
    await page.getByRole("link", { name: "交易公告" }).click();
    await page.getByLabel("关键词").fill("MZ-JS-2026-0158");
    await page.getByRole("button", { name: "查询" }).click();
    await expect(page.getByRole("cell", { name: "MZ-JS-2026-0158" })).toBeVisible();
    // The type filter leaves the works tender out, whatever the keyword finds.
    await page.getByLabel("项目类型").selectOption("GOODS");
    await page.getByRole("button", { name: "查询" }).click();
    await expect(page).toHaveURL(/type=GOODS/);
    await expect(page.getByRole("cell", { name: "MZ-JS-2026-0158" })).toHaveCount(0);
    await expect(page.getByRole("link", { name: /滨江大道/ })).toHaveCount(0);
    await page.getByLabel("关键词").fill("MZ-HW-2026-0203");
    await page.getByRole("button", { name: "查询" }).click();
    await expect(page.getByRole("link", { name: /医学影像设备/ })).toBeVisible();

    await page.getByRole("button", { name: "English" }).click();
    await expect(page.getByRole("heading", { name: "Tender notices" })).toBeVisible();
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
    await expect(page.locator("th", { hasText: "Estimated price" })).toBeVisible();
    await page.getByRole("link", { name: /医学影像设备/ }).click();
    await expect(page.getByText("Tender notice", { exact: true })).toBeVisible();
    await expect(page.getByText("¥23,500,000.00")).toBeVisible();

    await page.getByRole("button", { name: "中文" }).click();
    await expect(page.getByText("招标公告", { exact: true })).toBeVisible();
  });

  test("an unknown address shows a 404 page in the visitor's language", async ({ page }) => {
    const response = await page.goto("/no/such/page");
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { name: "页面不存在" })).toBeVisible();
  });

  test("a page for signed-in users sends the public to sign-in and back", async ({ page }) => {
    await page.goto("/account");
    await expect(page).toHaveURL(/\/login\?redirectTo=%2Faccount/);
  });
});
