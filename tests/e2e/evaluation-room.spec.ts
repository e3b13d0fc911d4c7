// The evaluation room end to end (issue 15), close to the full scenario (the device page publishes a fake camera):
// five experts in their own browser contexts sign in with their signing .p12, pledge, one
// recuses and the reserve joins, the chair is elected, one bid fails qualification, scores are
// signed (one outlier explained in writing), the report is signed by four and dissented by one,
// and its PDF verifies with pdfsig; a clarification approved by the supervisor and answered by the
// bidder in its own page. The supervisor sees the feed and an alert; a bidder gets 404 from the room.
import { expect, test, type Browser, type Page } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { testEnv } from "../../scripts/test-env.mjs";
import { DEMO_PASSWORD, signedIn, sql } from "./support.ts";

const keys = fs.mkdtempSync(path.join(os.tmpdir(), "e2e-room-"));

function seedTender(): string {
  const out = execFileSync(
    "npx",
    [
      "--no-install",
      "tsx",
      "prisma/seed-room.ts",
      "--code",
      `E2E-ROOM-${randomBytes(4).toString("hex")}`,
      "--keys",
      keys,
      "--title",
      "评标室测试项目",
    ],
    {
      env: { ...process.env, ...testEnv, DATABASE_URL: testEnv.MIGRATION_DATABASE_URL },
      encoding: "utf8",
    },
  );
  return (JSON.parse(out.trim().split("\n").pop() ?? "{}") as { tenderId: string }).tenderId;
}

const emailOf = new Map<Page, string>();

/** The key file is held by the page only (never sent): after a reload the member chooses it again. */
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
  await expect(page.getByTestId("room-recusal")).toBeVisible();
  return page;
}

async function qualify(page: Page, failThird: boolean) {
  for (let i = 0; i < 3; i++) {
    const form = page.getByTestId("qualification-sheet").nth(i);
    if (i === 2 && failThird) {
      await form.locator("select[name=pass-q1]").selectOption("fail");
      await form.locator("input[name=reason-q1]").fill("资质证书已过有效期");
    }
    await form.getByRole("button", { name: "签名提交" }).click();
    await expect(form.locator("h3")).toContainText("已提交");
  }
}

async function score(page: Page, points: number[][]) {
  for (const [i, p] of points.entries()) {
    const form = page.getByTestId("score-sheet").nth(i);
    for (const [j, v] of p.entries()) await form.locator(`input[name=pts-c${j + 1}]`).fill(String(v));
    await form.getByRole("button", { name: "签名提交评分表" }).click();
    await expect(form.locator("h3")).toContainText("已提交");
  }
}

test.describe("evaluation room", () => {
  test("sign-in, pledge, recusal and replacement, chair, qualification, signed scores, outlier explained, report signed by four and dissented by one, PDF verified", async ({
    browser,
  }) => {
    test.setTimeout(300_000);
    const tenderId = seedTender();

    // A bidder gets nothing: the room does not exist for it.
    const bidder = await signedIn(browser, "bidder1@demo.mingbiao.cn");
    expect((await bidder.goto(`/evaluation/${tenderId}`))?.status()).toBe(404);
    expect((await bidder.goto(`/evaluation/${tenderId}/report.pdf`))?.status()).toBe(404);

    const emails = [1, 2, 3, 4, 5].map((n) => `expert${n}@demo.mingbiao.cn`);
    const pages: Page[] = [];
    for (const email of emails) pages.push(await enterRoom(browser, email, tenderId));
    // The session opened the witness room itself; the room's device publishes its (fake) camera.
    expect(
      (await sql<{ at: Date | null }>("SELECT witness_opened_at AS at FROM tender WHERE id = $1", [tenderId]))[0]?.at,
    ).not.toBeNull();
    const device = await signedIn(browser, "device@demo.mingbiao.cn");
    await device.goto(`/witness/${tenderId}/device?device=camera-1`);
    await expect(device.getByText("正在直播")).toBeVisible({ timeout: 30_000 });

    // expert5 recuses; the reserve (expert7) is invited and joins.
    const recusing = pages[4] as Page;
    await recusing.locator("input[name=recusalReason]").fill("近三年曾在投标人处任职");
    await recusing.getByRole("button", { name: "申请回避" }).click();
    await expect(recusing.getByTestId("room-status")).toContainText("您已回避");
    for (const p of pages.slice(0, 4)) await p.getByRole("button", { name: "无需回避" }).click();
    const reserve = await enterRoom(browser, "expert7@demo.mingbiao.cn", tenderId);
    await reserve.getByRole("button", { name: "无需回避" }).click();
    const members = [...pages.slice(0, 4), reserve];

    // Chair: the first three vote for the same eligible expert.
    for (const p of members.slice(0, 3)) {
      await reload(p);
      await expect(p.getByTestId("room-chair")).toBeVisible();
      await p.getByRole("button", { name: "投票" }).click();
      await expect(p.getByTestId("room-chair").or(p.getByTestId("room-qualification"))).toBeVisible();
    }
    for (const p of members) {
      await reload(p);
      await expect(p.getByTestId("room-qualification")).toBeVisible();
    }
    let chair: Page | undefined;
    for (const p of members) if (await p.getByTestId("close-qualification").count()) chair = p;
    if (!chair) throw new Error("no chair");

    // Reading bids: the PDF opens in the page.
    await members[0]!.getByTestId("open-file").first().click();
    await expect(members[0]!.getByTestId("bid-viewer")).toBeVisible();

    // Qualification: the third bid fails q1 (every member, with the reason).
    for (const p of members) await qualify(p, true);
    await chair.getByTestId("close-qualification").click();
    for (const p of members) await expect(p.getByTestId("room-scoring")).toBeVisible({ timeout: 15_000 });
    await expect(members[0]!.getByTestId("score-sheet")).toHaveCount(2);

    // Clarification: the chair asks bidder 1, the supervisor approves, the bidder answers in its own page.
    expect((await bidder.goto(`/clarifications/${tenderId}`))?.status()).toBe(404);
    const ask = chair.getByTestId("ask-clarification");
    await ask.getByLabel("澄清问题").fill("请说明施工组织设计中的工期安排依据");
    await ask.getByRole("button", { name: /提出澄清/ }).click();
    await expect(chair.locator("[data-testid=clarification][data-status=pending]")).toBeVisible();
    const supervisor = await signedIn(browser, "supervisor@demo.mingbiao.cn");
    await supervisor.goto(`/evaluation/${tenderId}`);
    await supervisor.getByRole("button", { name: "同意发出" }).click();
    await expect(supervisor.locator("[data-testid=clarification][data-status=approved]")).toBeVisible();
    await bidder.goto(`/clarifications/${tenderId}`);
    await bidder.getByLabel("答复").fill("工期按 300 日历天安排，依据见施工进度计划横道图。");
    await bidder.getByRole("button", { name: "提交答复" }).click();
    await expect(bidder.getByTestId("clarification-request")).toContainText("工期按 300 日历天");
    await expect(chair.locator("[data-testid=clarification][data-status=answered]")).toContainText("300 日历天", {
      timeout: 15_000,
    });

    // Scores: four hand in the same sheets; the last scores the first bid far below (an outlier).
    for (const [i, p] of members.entries())
      await score(
        p,
        i === 4
          ? [
              [5, 3, 2],
              [22, 14, 12],
            ]
          : [
              [25, 15, 15],
              [22, 14, 12],
            ],
      );
    const outlierAuthor = members[4]!;
    await reload(outlierAuthor);
    const outliers = outlierAuthor.getByTestId("outlier").filter({ has: outlierAuthor.locator("input[name=reason]") });
    await expect(outliers.first()).toBeVisible();
    // Each reason given takes its outlier off the list once the page has re-read (wait for that, not for a time).
    for (let left = await outliers.count(); left > 0; left--) {
      const o = outliers.first();
      await o.locator("input[name=reason]").fill("该投标技术方案未响应关键技术参数");
      await o.getByRole("button", { name: "提交书面理由" }).click();
      await expect(outlierAuthor.getByTestId("room-error")).toHaveCount(0);
      await expect(outliers).toHaveCount(left - 1);
    }
    await reload(chair);
    await chair.getByTestId("close-summary").click();

    // Report: four sign, one dissents in writing.
    for (const [i, p] of members.entries()) {
      await reload(p);
      await expect(p.getByTestId("room-report")).toBeVisible();
      if (i === 4) await p.locator("textarea[name=dissent]").fill("第一名投标人的技术方案存在重大缺陷，不同意推荐排序。");
      await p.getByTestId("sign-report").click();
      await expect(p.getByTestId("room-report")).toContainText(i === 4 ? "评标报告（PDF）" : "已签署");
    }
    expect(
      (await sql<{ at: Date | null }>("SELECT witness_closed_at AS at FROM tender WHERE id = $1", [tenderId]))[0]?.at,
    ).not.toBeNull();

    // The PDF carries the platform's PAdES signature, verifiable with pdfsig.
    const last = members[4]!;
    await reload(last);
    const response = await last.request.get(`/evaluation/${tenderId}/report.pdf`);
    expect(response.status()).toBe(200);
    const file = path.join(keys, "report.pdf");
    fs.writeFileSync(file, await response.body());
    expect(execFileSync("pdfsig", [file], { encoding: "utf8" })).toContain("Signature is Valid");
    const text = execFileSync("pdftotext", [file, "-"], { encoding: "utf8" });
    expect(text).toContain("评标报告");
    expect(text).toContain("书面持不同意见");
    expect(text).toContain("300");

    // The supervisor: the feed and the identical-sheets alert.
    await supervisor.reload();
    await expect(supervisor.getByTestId("room-feed")).toContainText("提交评分表");
    await expect(supervisor.locator("[data-testid=room-alert][data-kind=identical-sheets]").first()).toBeVisible();

    // The recording verifies; on its evidence timeline a click on a score sheet seeks the video there.
    await supervisor.goto(`/witness/${tenderId}/recording`);
    await expect(supervisor.getByTestId("recording-verified")).toBeVisible({ timeout: 60_000 });
    const playback = supervisor.locator("video").first();
    await expect
      .poll(async () => playback.evaluate((v: HTMLVideoElement) => (Number.isFinite(v.duration) ? v.duration : 0)), {
        timeout: 60_000,
      })
      .toBeGreaterThan(2);
    const entry = supervisor
      .getByTestId("recording-source")
      .first()
      .getByTestId("evidence-entry")
      .filter({ hasText: "提交评分表" })
      .last();
    const offset = Number(await entry.getAttribute("data-offset"));
    expect(offset).toBeGreaterThan(1);
    await playback.evaluate((v: HTMLVideoElement) => {
      v.currentTime = 0;
    });
    await entry.getByRole("button").click();
    await expect.poll(async () => playback.evaluate((v: HTMLVideoElement) => v.currentTime)).toBeGreaterThan(offset - 0.5);
  });
});
