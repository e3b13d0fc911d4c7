import { expect, test, type Page } from "@playwright/test";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fromBase64, utf8 } from "../../crypto/bytes.ts";
import { canonicalJson } from "../../crypto/canonical-json.ts";
import { verifyCms } from "../../crypto/cms/verify.ts";
import { sha256 } from "../../crypto/hash.ts";
import { createCrl } from "../../crypto/pki/crl.ts";
import { certFromPem } from "../../crypto/pki/pem.ts";
import { verifyTimestamp } from "../../crypto/tsa/verify.ts";
import forge from "node-forge";
import { testEnv } from "../../scripts/test-env.mjs";
import { signIn, sql } from "./support.ts";

const P12_PASSWORD = "e2e-p12-password";
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "e2e-bids-"));

/** A bid document with recognisable content, large enough to need several upload requests. */
function bidDocument(): Buffer {
  return Buffer.from(`%PDF-1.4\n% 技术标 e2e ${"投标文件内容 ".repeat(400_000)}\n%%EOF\n`);
}

function platformTrust() {
  const dir = path.resolve(testEnv.PKI_DIR);
  const load = (name: string) => ({
    cert: certFromPem(fs.readFileSync(path.join(dir, `${name}.cert.pem`), "utf8")),
    key: forge.pki.privateKeyFromPem(fs.readFileSync(path.join(dir, `${name}.key.pem`), "utf8")) as forge.pki.rsa.PrivateKey,
  });
  const root = load("root");
  const issuing = load("issuing");
  const now = new Date();
  const crls = [issuing, root].map((ca) =>
    createCrl(ca, { crlNumber: 1, thisUpdate: now, nextUpdate: new Date(now.getTime() + 3600_000), revoked: [] }),
  );
  return { roots: [root.cert], intermediates: [issuing.cert], crls };
}

async function enrol(page: Page): Promise<string> {
  await page.goto("/account");
  await page.getByRole("link", { name: "数字证书（CA）申领" }).click();
  await page.getByLabel("证书文件保护密码").fill(P12_PASSWORD);
  await page.getByLabel("确认保护密码").fill(P12_PASSWORD);
  await page.getByRole("button", { name: "生成密钥并申领证书" }).click();
  await expect(page.getByTestId("key-files")).toBeVisible({ timeout: 30_000 });
  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: /-sign\.p12/ }).click();
  const file = path.join(tmp, "sign.p12");
  await (await download).saveAs(file);
  return file;
}

/** Signs in, enrols, obtains the 医学影像设备 tender's documents and fills its bid form. */
async function fillBidForm(page: Page, email: string): Promise<{ tenderId: string; p12: string }> {
  await signIn(page, email);
  const p12 = await enrol(page);

  // The bidder obtains the tender documents from the public notice.
  // Searched for, as a bidder would: other tests publish newer notices that push it off page 1.
  await page.goto("/");
  await page.getByLabel("关键词").fill("医学影像设备");
  await page.getByRole("button", { name: "查询" }).click();
  await page.getByRole("link", { name: /医学影像设备/ }).click();
  await page.waitForURL(/\/tenders\/[0-9a-f-]{36}/);
  const tenderId = page.url().split("/tenders/")[1]?.split(/[?#/]/)[0] ?? "";
  const documentDownload = page.waitForEvent("download");
  await page.locator(`a[href^="/tenders/${tenderId}/documents/"]`).first().click();
  await documentDownload;

  await page.getByRole("link", { name: "在线投标（加密提交投标文件）" }).click();
  await expect(page.getByRole("heading", { name: /医学影像设备/ })).toBeVisible();
  await page.getByLabel("投标报价").fill("23480000.00");
  await page.getByLabel("工期").fill("180");
  await page.getByLabel("质量标准").fill("合格");
  await page.locator("#files").setInputFiles([{ name: "技术标.pdf", mimeType: "application/pdf", buffer: bidDocument() }]);
  await page.locator("#p12").setInputFiles(p12);
  await page.getByLabel("证书保护密码").fill(P12_PASSWORD);
  return { tenderId, p12 };
}

test.describe("sealed bids in the browser", () => {
  test("enrol → download documents → seal and submit through a dropped connection → verifiable receipt; a late bid is refused", async ({
    page,
  }) => {
    test.setTimeout(180_000);
    const { tenderId, p12 } = await fillBidForm(page, "bidder3@demo.mingbiao.cn");

    // The connection drops in the middle of the upload; the page resumes from the server's offset.
    let dropped = 0;
    let patches = 0;
    await page.route("**/uploads/bids/*", async (route) => {
      if (route.request().method() === "PATCH" && ++patches === 2) {
        dropped += 1;
        return route.abort("connectionreset");
      }
      return route.continue();
    });
    // The first submission, or a new version if this database already holds one.
    await page.getByRole("button", { name: /^加密并提交/ }).click();
    await expect(page.getByRole("status").filter({ hasText: "投标文件已送达" })).toBeVisible({ timeout: 90_000 });
    expect(dropped).toBe(1);
    await expect(page.getByTestId("bid-status")).toContainText(/已送达第 \d+ 版投标文件/);

    // The receipt verifies with nothing but the platform root: signature and RFC 3161 time.
    const receiptDownload = page.waitForEvent("download");
    await page.getByRole("link", { name: "下载回执" }).first().click();
    const receiptFile = path.join(tmp, "receipt.json");
    await (await receiptDownload).saveAs(receiptFile);
    const receipt = JSON.parse(fs.readFileSync(receiptFile, "utf8")) as {
      statement: { tender: { id: string }; receivedAt: string };
      signature: string;
      timestampToken: string;
    };
    expect(receipt.statement.tender.id).toBe(tenderId);
    const bytes = utf8(canonicalJson(receipt.statement));
    const trust = platformTrust();
    verifyCms({ der: fromBase64(receipt.signature), detachedContent: bytes, trust, at: new Date(), usage: "signing" });
    const stamp = verifyTimestamp({ der: fromBase64(receipt.timestampToken), digest: sha256(bytes), trust });
    expect(Math.abs(stamp.genTime.getTime() - Date.parse(receipt.statement.receivedAt))).toBeLessThan(1000);
    const rows = await sql<{ n: string }>(
      "SELECT count(*) AS n FROM bid_version v JOIN bid b ON b.id = v.bid_id WHERE b.tender_id = $1",
      [tenderId],
    );
    expect(Number(rows[0]?.n)).toBeGreaterThanOrEqual(1);

    // A tender whose deadline passes while the bidder is still on the page.
    const [late] = await sql<{ id: string }>(
      `INSERT INTO tender (id, code, title, procedure_type, status, estimated_price_cents, tenderer_org_id, agent_org_id, created_by_id,
         docs_issue_at, bid_deadline, published_at, updated_at, read_out_items)
       SELECT gen_random_uuid(), 'E2E-LATE-' || substr(md5(random()::text), 1, 6), '截止测试项目', 'GOODS', 'PUBLISHED', 100000000,
         t.tenderer_org_id, t.agent_org_id, t.created_by_id, now() - interval '20 days', now() + interval '25 seconds', now(), now(),
         '[{"key":"price","label":"投标报价（元）","kind":"money"}]'::jsonb
       FROM tender t WHERE t.id = $1 RETURNING id`,
      [tenderId],
    );
    await sql(
      `INSERT INTO document_download (id, tender_id, document_id, organization_id, user_id)
       SELECT gen_random_uuid(), $1, d.document_id, d.organization_id, d.user_id FROM document_download d WHERE d.tender_id = $2 LIMIT 1`,
      [late!.id, tenderId],
    );
    // The same supervisors (they hold the shares of its escrow key).
    await sql(
      `INSERT INTO tender_supervisor (tender_id, user_id, assigned_by_id) SELECT $1, s.user_id, s.assigned_by_id FROM tender_supervisor s WHERE s.tender_id = $2`,
      [late!.id, tenderId],
    );
    await page.unrouteAll();
    await page.goto(`/bids/${late!.id}`);
    await page.getByLabel("投标报价（元）").fill("99000000.00");
    await page
      .locator("#files")
      .setInputFiles([{ name: "技术标.pdf", mimeType: "application/pdf", buffer: Buffer.from("%PDF-1.4 late") }]);
    await page.locator("#p12").setInputFiles(p12);
    await page.getByLabel("证书保护密码").fill(P12_PASSWORD);
    const [deadline] = await sql<{ bid_deadline: Date }>("SELECT bid_deadline FROM tender WHERE id = $1", [late!.id]);
    await page.waitForTimeout(Math.max(0, deadline!.bid_deadline.getTime() - Date.now() + 500));
    await page.getByRole("button", { name: "加密并提交投标文件" }).click();
    await expect(page.getByTestId("bid-error")).toContainText("已过投标截止时间");
    const refusals = await sql<{ n: string }>(
      "SELECT count(*) AS n FROM audit_entry WHERE action = 'bid.refused' AND subject_id = $1",
      [late!.id],
    );
    expect(Number(refusals[0]?.n)).toBeGreaterThan(0);
  });
  test("shows 提交成功 only with the receipt: the last answer is lost, the page asks for the receipt and says what it waits for", async ({
    page,
  }) => {
    test.setTimeout(180_000);
    const { tenderId } = await fillBidForm(page, "bidder2@demo.mingbiao.cn");
    const before = await sql<{ n: string }>(
      "SELECT count(*) AS n FROM bid_version v JOIN bid b ON b.id = v.bid_id JOIN app_user u ON u.organization_id = b.organization_id WHERE b.tender_id = $1 AND u.email = $2",
      [tenderId, "bidder2@demo.mingbiao.cn"],
    );
    // The server finalises the bid and answers with the receipt, but the answer never arrives.
    let lost = 0;
    await page.route("**/uploads/bids/*", async (route) => {
      if (route.request().method() !== "PATCH") return route.continue();
      const response = await route.fetch();
      if (response.status() === 200 && lost === 0) {
        lost += 1;
        return route.abort("connectionreset");
      }
      return route.fulfill({ response });
    });
    // The receipt endpoint first says the server is still finalising.
    let asked = 0;
    let release: () => void = () => {};
    const released = new Promise<void>((resolve) => (release = resolve));
    await page.route(`**/bids/${tenderId}/uploads/*`, async (route) => {
      asked += 1;
      if (asked === 1) {
        return route.fulfill({
          status: 202,
          contentType: "application/json",
          headers: { "Retry-After": "1" },
          body: JSON.stringify({ status: "finalising" }),
        });
      }
      await released;
      return route.continue();
    });
    await page.getByRole("button", { name: /^加密并提交/ }).click();
    await expect(page.getByTestId("receipt-waiting")).toContainText("正在核验", { timeout: 90_000 });
    await expect(page.getByText("投标文件已送达，回执已生成")).toHaveCount(0);
    release();
    await expect(page.getByRole("status").filter({ hasText: "投标文件已送达" })).toBeVisible({ timeout: 60_000 });
    expect(lost).toBe(1);
    expect(asked).toBeGreaterThanOrEqual(2);
    // One new version: the lost answer was not a lost bid, nor a bid sent twice.
    const after = await sql<{ n: string }>(
      "SELECT count(*) AS n FROM bid_version v JOIN bid b ON b.id = v.bid_id JOIN app_user u ON u.organization_id = b.organization_id WHERE b.tender_id = $1 AND u.email = $2",
      [tenderId, "bidder2@demo.mingbiao.cn"],
    );
    expect(Number(after[0]?.n)).toBe(Number(before[0]?.n) + 1);
  });
});
