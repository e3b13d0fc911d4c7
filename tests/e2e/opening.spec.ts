// The online opening hall end to end (issue 13): the agent hosts, three demo bidders in their own
// browser contexts sign in with their signing .p12, decrypt in the page (one first with the wrong
// file), 唱标 appears live in every page, an objection is answered, the record PDF's signature
// verifies with pdfsig; and a two-bid tender ends in 流标 with nothing decrypted.
import { expect, test, type Browser, type Page } from "@playwright/test";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { testEnv } from "../../scripts/test-env.mjs";
import { DEMO_PASSWORD, signedIn, sql } from "./support.ts";

const keys = fs.mkdtempSync(path.join(os.tmpdir(), "e2e-opening-"));
const BIDDERS = ["bidder1@demo.mingbiao.cn", "bidder2@demo.mingbiao.cn", "bidder3@demo.mingbiao.cn"];
const PRICES = ["8650000.00", "8712345.00", "8599000.00"];

/** A fresh demo opening tender (prisma/seed-opening.ts) whose deadline has just passed. */
function seedTender(bids: number): string {
  const out = execFileSync(
    "npx",
    [
      "--no-install",
      "tsx",
      "prisma/seed-opening.ts",
      "--code",
      `E2E-OPEN-${randomBytes(4).toString("hex")}`,
      "--keys",
      keys,
      "--bids",
      String(bids),
      "--title",
      `开标测试 ${bids} 家`,
    ],
    { env: { ...process.env, ...testEnv, DATABASE_URL: testEnv.MIGRATION_DATABASE_URL }, encoding: "utf8" },
  );
  return (JSON.parse(out.trim().split("\n").pop() ?? "{}") as { tenderId: string }).tenderId;
}

const keyFile = (email: string, kind: "sign" | "enc") => path.join(keys, "opening", `${email}-${kind}.p12`);

async function openHall(browser: Browser, email: string, tenderId: string): Promise<Page> {
  const page = await signedIn(browser, email);
  await page.goto(`/opening/${tenderId}`);
  await expect(page.locator("body[data-hall=live]")).toBeAttached();
  return page;
}

async function useKey(page: Page, formId: string, file: string, button: string) {
  const form = page.getByTestId(formId);
  await form.locator("input[type=file]").setInputFiles(file);
  await form.getByLabel("证书密码").fill(DEMO_PASSWORD);
  await form.getByRole("button", { name: button }).click();
}

test.describe("online opening hall", () => {
  test("sign-in, decryption in the page (wrong file first), live 唱标, objection answered, signed record", async ({
    browser,
  }) => {
    test.setTimeout(180_000);
    const tenderId = seedTender(3);
    const host = await openHall(browser, "agent@demo.mingbiao.cn", tenderId);
    const bidders = [];
    for (const email of BIDDERS) bidders.push(await openHall(browser, email, tenderId));
    const supervisor = await openHall(browser, "supervisor@demo.mingbiao.cn", tenderId);
    await expect(host.getByTestId("hall-step")).toContainText("等待主持人公布投标人名单");

    // The decryption check on the bid page: the signing file cannot open the bid, the encryption file can.
    const checker = bidders[2] as Page;
    await checker.goto(`/bids/${tenderId}`);
    await useKey(checker, "decryption-check", keyFile(BIDDERS[2] ?? "", "sign"), "检查能否解密");
    await expect(checker.getByTestId("check-result")).toContainText("不能解密");
    await useKey(checker, "decryption-check", keyFile(BIDDERS[2] ?? "", "enc"), "检查能否解密");
    await expect(checker.getByTestId("check-result")).toContainText("检查通过");
    await checker.goto(`/opening/${tenderId}`);
    await expect(checker.locator("body[data-hall=live]")).toBeAttached();

    await host.getByRole("button", { name: "公布投标人名单" }).click();
    for (const page of [...bidders, supervisor]) await expect(page.getByTestId("hall-step")).toContainText("投标人签到");
    for (const [i, page] of bidders.entries()) {
      await useKey(page, "sign-in-form", keyFile(BIDDERS[i] ?? "", "sign"), "签到");
      await expect(page.getByTestId("signed-in")).toBeVisible();
    }
    await expect(host.getByTestId("bid-table")).not.toContainText("未签到");

    await host.getByRole("button", { name: "开始解密" }).click();
    for (const page of bidders) await expect(page.getByTestId("hall-countdown")).toContainText("解密剩余时间");

    // Bidder 1 first picks its signing file: not the encryption certificate → a clear message, retry.
    const first = bidders[0] as Page;
    await useKey(first, "decrypt-form", keyFile(BIDDERS[0] ?? "", "sign"), "解密");
    await expect(first.getByTestId("hall-error")).toContainText("不是投标时所用的加密证书");
    await useKey(first, "decrypt-form", keyFile(BIDDERS[0] ?? "", "enc"), "解密");
    await expect(first.getByTestId("decrypted")).toBeVisible({ timeout: 30_000 });
    // 唱标 appears live in the other participants' pages, without a reload.
    for (const page of [...bidders.slice(1), supervisor, host])
      await expect(page.getByTestId("readout-1-price")).toHaveText(PRICES[0] ?? "");
    for (const [i, page] of bidders.entries()) {
      if (i === 0) continue;
      await useKey(page, "decrypt-form", keyFile(BIDDERS[i] ?? "", "enc"), "解密");
      await expect(page.getByTestId("decrypted")).toBeVisible({ timeout: 30_000 });
    }
    for (const page of [...bidders, supervisor, host]) {
      for (const [i, price] of PRICES.entries()) await expect(page.getByTestId(`readout-${i + 1}-price`)).toHaveText(price);
    }

    await host.getByRole("button", { name: "结束解密，进入唱标确认" }).click();
    for (const page of bidders) await expect(page.getByTestId("hall-step")).toContainText("唱标确认与异议");
    await first.getByRole("button", { name: "确认唱标结果" }).click();
    await expect(first.getByTestId("confirmed")).toBeVisible();
    const second = bidders[1] as Page;
    await second.getByTestId("object-form").locator("textarea").fill("我方工期应为 280 日历天，请核对");
    await second.getByRole("button", { name: "提出异议" }).click();
    await expect(host.getByTestId("objection")).toContainText("请核对");
    await host.getByTestId("answer-form").locator("input[name=answer]").fill("已当场核对投标文件，工期为 280 日历天，记录无误");
    await host.getByRole("button", { name: "答复" }).click();
    await expect(second.getByTestId("objection")).toContainText("记录无误");

    await host.getByRole("button", { name: "结束开标，生成并发布开标记录" }).click();
    for (const page of [...bidders, supervisor, host])
      await expect(page.getByTestId("record-pdf")).toBeVisible({ timeout: 30_000 });

    // Published: anyone reads the record; its PDF signature verifies with poppler's pdfsig.
    const anonymous = await (await browser.newContext()).newPage();
    await anonymous.goto(`/opening/${tenderId}`);
    await expect(anonymous.getByTestId("hall-step")).toContainText("开标结束");
    const pdf = await anonymous.request.get(`/opening/${tenderId}/record.pdf`);
    expect(pdf.status()).toBe(200);
    const file = path.join(keys, "record.pdf");
    fs.writeFileSync(file, await pdf.body());
    expect(execFileSync("pdfsig", [file], { encoding: "utf8" })).toContain("Signature is Valid");
    const text = execFileSync("pdftotext", [file, "-"], { encoding: "utf8" });
    expect(text).toContain("开标记录");
    expect(text).toContain("记录无误");
    const [row] = await sql<{ status: string }>("SELECT status::text FROM tender WHERE id = $1", [tenderId]);
    expect(row?.status).toBe("OPENED");
  });

  test("two bids: 流标, nothing decrypted, the record says so", async ({ browser }) => {
    const tenderId = seedTender(2);
    const host = await openHall(browser, "agent@demo.mingbiao.cn", tenderId);
    await expect(host.getByTestId("hall-failed")).toContainText("流标");
    await expect(host.getByRole("link", { name: "以本项目为模板重新招标" })).toBeVisible();
    const bidder = await openHall(browser, BIDDERS[0] ?? "", tenderId);
    await expect(bidder.getByTestId("decrypt-form")).toHaveCount(0);
    const opened = await sql<{ n: string }>(
      "SELECT count(*)::text AS n FROM opening_bid b JOIN opening_session s ON s.id = b.session_id WHERE s.tender_id = $1 AND b.status <> 'SEALED'",
      [tenderId],
    );
    expect(opened[0]?.n).toBe("0");
    const pdf = await host.request.get(`/opening/${tenderId}/record.pdf`);
    const file = path.join(keys, "failed.pdf");
    fs.writeFileSync(file, await pdf.body());
    expect(execFileSync("pdftotext", [file, "-"], { encoding: "utf8" })).toContain("流标");
  });

  test("escrow remedy: a bid its bidder did not decrypt opens with the agent's and the supervisor's shares", async ({
    browser,
  }) => {
    test.setTimeout(120_000);
    const tenderId = seedTender(3);
    const host = await openHall(browser, "agent@demo.mingbiao.cn", tenderId);
    await host.getByRole("button", { name: "公布投标人名单" }).click();
    const bidders: Page[] = [];
    for (const email of BIDDERS) bidders.push(await openHall(browser, email, tenderId));
    for (const [i, page] of bidders.entries()) {
      await useKey(page, "sign-in-form", keyFile(BIDDERS[i] ?? "", "sign"), "签到");
      await expect(page.getByTestId("signed-in")).toBeVisible();
    }
    await host.getByRole("button", { name: "开始解密" }).click();
    for (const [i, page] of bidders.slice(0, 2).entries()) {
      await useKey(page, "decrypt-form", keyFile(BIDDERS[i] ?? "", "enc"), "解密");
      await expect(page.getByTestId("decrypted")).toBeVisible({ timeout: 30_000 });
    }
    // Bidder 3 does not decrypt; the window's time runs out (moved on in the database).
    await sql("UPDATE opening_session SET window_ends_at = now() - interval '1 second' WHERE tender_id = $1", [tenderId]);
    await host.reload();
    await expect(host.getByTestId("hall-step")).toContainText("唱标确认与异议");
    await expect(host.getByTestId("bid-row-3")).toHaveAttribute("data-status", "REVOKED");
    const supervisor = await openHall(browser, "supervisor@demo.mingbiao.cn", tenderId);
    const custodianKey = (email: string) => path.join(path.resolve(testEnv.DEMO_KEYS_DIR), `${email}-enc.p12`);
    // The agent's share alone does not rebuild the key.
    await useKey(host, "remedy-form", custodianKey("agent@demo.mingbiao.cn"), "提交我的密钥份额");
    await expect(supervisor.getByTestId("remedy-panel")).toContainText("已提交 1 份");
    await expect(host.getByTestId("bid-row-3")).toHaveAttribute("data-status", "REVOKED");
    await useKey(supervisor, "remedy-form", custodianKey("supervisor@demo.mingbiao.cn"), "提交我的密钥份额");
    for (const page of [host, supervisor, ...bidders])
      await expect(page.getByTestId("readout-3-price")).toHaveText(PRICES[2] ?? "", { timeout: 30_000 });
    await expect(host.getByTestId("bid-row-3")).toHaveAttribute("data-status", "OPENED");
    const audit = await sql<{ n: string }>(
      "SELECT count(*)::text AS n FROM audit_entry WHERE subject_id = $1 AND action = 'opening.escrow_key_rebuilt'",
      [tenderId],
    );
    expect(audit[0]?.n).toBe("1");
  });
});
