// The evaluation room by the lowest evaluated price method end to end (issue 15 item 5, decision
// 105), shorter than the comprehensive walk: the committee must still be five (TBL Art 37), so
// five experts in their own browser contexts sign in, pledge, declare no recusal, elect the chair,
// pass the review, and sign adjustment sheets (one amount outside its factor's range refused with
// its message first); the summary shows the evaluated prices in rank order; all five sign the
// report and its PDF verifies with pdfsig and prints the evaluated prices.
import { expect, test, type Browser, type Page } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { testEnv } from "../../scripts/test-env.mjs";
import { DEMO_PASSWORD, signedIn } from "./support.ts";

const keys = fs.mkdtempSync(path.join(os.tmpdir(), "e2e-lep-"));

function seedTender(): string {
  const code = `E2E-LEP-${randomBytes(4).toString("hex")}`;
  const out = execFileSync(
    "npx",
    [
      "--no-install",
      "tsx",
      "prisma/seed-room.ts",
      "--code",
      code,
      "--keys",
      keys,
      "--title",
      "最低评标价测试项目",
      "--method",
      "lep",
    ],
    { env: { ...process.env, ...testEnv, DATABASE_URL: testEnv.MIGRATION_DATABASE_URL }, encoding: "utf8" },
  );
  return (JSON.parse(out.trim().split("\n").pop() ?? "{}") as { tenderId: string }).tenderId;
}

const emailOf = new Map<Page, string>();

async function useKey(page: Page) {
  await page.locator("input[name=roomKey]").setInputFiles(path.join(keys, "evaluation", `${emailOf.get(page)}-sign.p12`));
  await page.locator("input[name=roomPassword]").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "使用此证书" }).click();
  await expect(page.getByTestId("key-ready")).toBeVisible();
}

async function reload(page: Page) {
  await page.reload();
  await useKey(page);
}

async function enterRoom(browser: Browser, email: string, tenderId: string): Promise<Page> {
  const page = await signedIn(browser, email);
  emailOf.set(page, email);
  await page.goto(`/evaluation/${tenderId}`);
  await useKey(page);
  await page.getByRole("button", { name: "以签名证书签到" }).click();
  await page.getByRole("button", { name: "签署承诺书" }).click();
  await page.getByRole("button", { name: "无需回避" }).click();
  return page;
}

// Read-out prices (seed-room): 8 650 000.00, 8 712 345.00, 8 599 000.00. Per bid: [工期提前, 付款条件偏差].
const AMOUNTS = [
  ["-259500", "0"], // the full 3 % deduction: 8 390 500.00
  ["0", "0"], // 8 712 345.00
  ["0", "85990"], // 1 % loaded: 8 684 990.00
];

test.describe("evaluation room, lowest evaluated price", () => {
  test("five members sign adjustment sheets, the summary ranks by evaluated price, the report is signed and its PDF verifies", async ({
    browser,
  }) => {
    test.setTimeout(240_000);
    const tenderId = seedTender();
    const emails = [1, 2, 3, 4, 5].map((n) => `expert${n}@demo.mingbiao.cn`);
    const members: Page[] = [];
    for (const email of emails) members.push(await enterRoom(browser, email, tenderId));

    for (const p of members.slice(0, 3)) {
      await reload(p);
      await expect(p.getByTestId("room-chair")).toBeVisible();
      await p.getByRole("button", { name: "投票" }).click();
      await expect(p.getByTestId("room-chair").or(p.getByTestId("room-qualification"))).toBeVisible();
    }
    let chair: Page | undefined;
    for (const p of members) {
      await reload(p);
      await expect(p.getByTestId("room-qualification")).toBeVisible();
      if (await p.getByTestId("close-qualification").count()) chair = p;
    }
    if (!chair) throw new Error("no chair");
    for (const p of members)
      for (let i = 0; i < 3; i++) {
        const form = p.getByTestId("qualification-sheet").nth(i);
        await form.getByRole("button", { name: "签名提交" }).click();
        await expect(form.locator("h3")).toContainText("已提交");
      }
    await chair.getByTestId("close-qualification").click();
    for (const p of members) await expect(p.getByTestId("room-adjustments")).toBeVisible({ timeout: 15_000 });
    await expect(members[0]!.getByTestId("adjustment-sheet")).toHaveCount(3);

    // Beyond the factor's range (3 % of 8 650 000.00 is 259 500.00): refused with its message, nothing submitted.
    const first = members[0]!.getByTestId("adjustment-sheet").first();
    await first.locator("input[name=amt-a1]").fill("-300000");
    await first.getByRole("button", { name: "签名提交折算表" }).click();
    await expect(members[0]!.getByTestId("room-error")).toContainText("超出招标文件规定的该因素范围");
    await expect(first.locator("h3")).not.toContainText("已提交");

    for (const p of members)
      for (const [i, [a1, a2]] of AMOUNTS.entries()) {
        const form = p.getByTestId("adjustment-sheet").nth(i);
        await form.locator("input[name=amt-a1]").fill(a1!);
        await form.locator("input[name=amt-a2]").fill(a2!);
        await form.getByRole("button", { name: "签名提交折算表" }).click();
        await expect(form.locator("h3")).toContainText("已提交");
      }

    // The summary: evaluated prices computed by bidding-core, lowest first.
    await reload(chair);
    const rows = chair.getByTestId("evaluated-price");
    await expect(rows).toHaveCount(3);
    await expect(rows.nth(0)).toContainText("8390500.00");
    await expect(rows.nth(1)).toContainText("8684990.00");
    await expect(rows.nth(2)).toContainText("8712345.00");
    await chair.getByTestId("close-summary").click();

    for (const p of members) {
      await reload(p);
      await expect(p.getByTestId("room-report")).toBeVisible();
      await p.getByTestId("sign-report").click();
      await expect(p.getByTestId("room-report")).toContainText(/已签署|评标报告（PDF）/);
    }
    const last = members[4]!;
    await reload(last);
    await expect(last.getByTestId("report-link")).toBeVisible();
    const response = await last.request.get(`/evaluation/${tenderId}/report.pdf`);
    expect(response.status()).toBe(200);
    const file = path.join(keys, "report.pdf");
    fs.writeFileSync(file, await response.body());
    expect(execFileSync("pdfsig", [file], { encoding: "utf8" })).toContain("Signature is Valid");
    const text = execFileSync("pdftotext", [file, "-"], { encoding: "utf8" });
    expect(text).toContain("经评审的最低投标价法");
    expect(text).toContain("评审价 8390500.00 元");
    expect(text).toContain("第1名");
  });
});
