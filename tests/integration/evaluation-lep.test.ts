// The evaluation room by the lowest evaluated price method (经评审的最低投标价法, issue 15 item 5,
// decision 105): after the review, members sign adjustment sheets (an amount per adjustment factor
// of the tender, within its range); bidding-core computes the evaluated prices and ranks; the
// report and its PDF show evaluated prices. Every bad act is refused, audited, nothing written.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import type { AddressInfo } from "node:net";
import {
  closeQualification,
  closeSummary,
  declareRecusal,
  reportPdf,
  roomAccess,
  roomStatement,
  roomView,
  signInMember,
  signPledge,
  signReport,
  submitAdjustment,
  submitQualification,
  submitScore,
  voteChair,
  withdrawSheet,
  PLEDGE_TEXT,
  type RoomAccess,
} from "~/features/evaluation/index.ts";
import type { SessionUser } from "~/platform/auth/auth.server.ts";
import { db, disconnectDb } from "~/platform/db.server.ts";
import { closeRedis } from "~/platform/redis.server.ts";
import { signCms, type Signer } from "../../crypto/cms/signed-data.ts";
import { toBase64 } from "../../crypto/bytes.ts";
import { openedTenderWithCommittee, type RoomExpert, type RoomFixture } from "../support/evaluation.ts";

const media = http.createServer((req, res) => {
  req.resume();
  res.writeHead(200, { "content-type": "application/json" }).end("{}");
});

beforeAll(async () => {
  await new Promise<void>((resolve) => media.listen(0, "127.0.0.1", resolve));
  process.env.MEDIA_INTERNAL_URL = `http://127.0.0.1:${(media.address() as AddressInfo).port}`;
});

afterAll(async () => {
  media.close();
  await closeRedis();
  await disconnectDb();
});

const ADJUSTMENTS = [
  { id: "a1", factor: "工期提前", rule: "每提前 1 日扣减报价 0.1%，最多扣减 3%", minPercent: -3, maxPercent: 0 },
  { id: "a2", factor: "付款条件偏差", rule: "每高 1 个百分点加价 0.5%，最多 5%", minPercent: 0, maxPercent: 5 },
];

const sign = (signer: Signer, content: Uint8Array) =>
  toBase64(signCms({ content, signer, signingTime: new Date(), detached: true }));

async function access(user: SessionUser, tenderId: string): Promise<RoomAccess> {
  const a = await roomAccess(user, tenderId);
  if (!a) throw new Error("no access");
  return a;
}

async function refusals(tenderId: string): Promise<string[]> {
  const rows = await db().auditEntry.findMany({
    where: { subjectId: tenderId, action: "evaluation.refused" },
    orderBy: { seq: "asc" },
    select: { data: true },
  });
  return rows.map((r) => String((r.data as { code: string }).code));
}

async function enter(f: RoomFixture, e: RoomExpert) {
  const a = await access(e.user, f.tenderId);
  await roomView(a, e.user);
  const s = await db().evaluationSession.findUniqueOrThrow({ where: { tenderId: f.tenderId }, select: { id: true } });
  const { challenge } = await db().evaluationMember.findUniqueOrThrow({
    where: { sessionId_userId: { sessionId: s.id, userId: e.user.id } },
    select: { challenge: true },
  });
  const signInSig = sign(e.signer, roomStatement("sign-in", f.tenderId, e.user.id, { challenge }));
  expect((await signInMember(a, e.user, { signature: signInSig })).ok).toBe(true);
  const pledgeSig = sign(e.signer, roomStatement("pledge", f.tenderId, e.user.id, { text: PLEDGE_TEXT }));
  expect((await signPledge(a, e.user, { signature: pledgeSig })).ok).toBe(true);
  expect((await declareRecusal(a, e.user, { recuse: "none" })).ok).toBe(true);
}

const adjustmentOf = (f: RoomFixture, e: RoomExpert, bidderId: string, amounts: Record<string, string>, signer = e.signer) => ({
  bidderId,
  amounts,
  signature: sign(signer, roomStatement("adjustment", f.tenderId, e.user.id, { bidderId, amounts })),
});

const adjustmentSheets = (tenderId: string) =>
  db().evaluationSheet.count({ where: { kind: "ADJUSTMENT", session: { tenderId } } });

describe("evaluation room, lowest evaluated price method", () => {
  it("members' signed adjustments → evaluated prices ranked by bidding-core → report and PDF; every bad sheet refused", async () => {
    const f = await openedTenderWithCommittee({
      evaluationConfig: { method: "LOWEST_EVALUATED_PRICE", adjustments: ADJUSTMENTS },
    });
    const experts = f.experts as [RoomExpert, RoomExpert, RoomExpert, RoomExpert, RoomExpert];
    const [e1, e2, , , e5] = experts;
    // Read-out prices: A 1 000 000.00, B 1 050 000.00, C 1 100 000.00 (fixture).
    const [A, B, C] = f.bidders.map((b) => b.organizationId) as [string, string, string];
    for (const e of experts) await enter(f, e);
    for (const e of experts.slice(0, 3))
      expect((await voteChair(await access(e.user, f.tenderId), e.user, { candidateUserId: e1.user.id })).ok).toBe(true);
    for (const e of experts)
      for (const b of [A, B, C]) {
        const findings = [
          { criterionId: "q1", passed: b !== C, reason: b === C ? "营业执照已过期" : "" },
          { criterionId: "q2", passed: true, reason: "" },
        ];
        const sig = sign(e.signer, roomStatement("qualification", f.tenderId, e.user.id, { bidderId: b, findings }));
        expect(
          (await submitQualification(await access(e.user, f.tenderId), e.user, { bidderId: b, findings, signature: sig })).ok,
        ).toBe(true);
      }
    const a1 = await access(e1.user, f.tenderId);
    const before = await refusals(f.tenderId);
    // Before the review closes: no adjustments yet.
    expect(await submitAdjustment(a1, e1.user, adjustmentOf(f, e1, A, { a1: "-30000.00", a2: "0" }))).toMatchObject({
      ok: false,
      refusal: { code: "room.qualificationOpen" },
    });
    expect(await closeQualification(a1, e1.user)).toMatchObject({ ok: true, value: { failed: [C] } });

    // Refusals: a score sheet in this method, out of range, not an amount, incomplete, a failed bid,
    // another member's certificate, someone not on the committee. Nothing is written.
    expect(await submitScore(a1, e1.user, { bidderId: A, points: { c1: 1 }, signature: "x".repeat(32) })).toMatchObject({
      ok: false,
      refusal: { code: "room.wrongMethod" },
    });
    // 3 % of 1 000 000.00 is 30 000.00: one fen more is outside a1's range; a2 may not deduct.
    expect(await submitAdjustment(a1, e1.user, adjustmentOf(f, e1, A, { a1: "-30000.01", a2: "0" }))).toMatchObject({
      ok: false,
      refusal: { code: "room.adjustmentOutOfRange", article: "Eval-Rules Art 31" },
    });
    expect(await submitAdjustment(a1, e1.user, adjustmentOf(f, e1, A, { a1: "0", a2: "-1.00" }))).toMatchObject({
      ok: false,
      refusal: { code: "room.adjustmentOutOfRange" },
    });
    expect(await submitAdjustment(a1, e1.user, adjustmentOf(f, e1, A, { a1: "三万", a2: "0" }))).toMatchObject({
      ok: false,
      refusal: { code: "room.badAmount" },
    });
    expect(await submitAdjustment(a1, e1.user, adjustmentOf(f, e1, A, { a1: "0" }))).toMatchObject({
      ok: false,
      refusal: { code: "room.incompleteSheet" },
    });
    expect(await submitAdjustment(a1, e1.user, adjustmentOf(f, e1, C, { a1: "0", a2: "0" }))).toMatchObject({
      ok: false,
      refusal: { code: "room.bidRejected" },
    });
    expect(await submitAdjustment(a1, e1.user, adjustmentOf(f, e1, A, { a1: "0", a2: "0" }, e2.signer))).toMatchObject({
      ok: false,
      refusal: { code: "room.notYourCertificate" },
    });
    expect(
      await submitAdjustment(await access(f.agent, f.tenderId), f.agent, adjustmentOf(f, e1, A, { a1: "0", a2: "0" })),
    ).toMatchObject({ ok: false, refusal: { code: "room.notMember" } });
    expect(await adjustmentSheets(f.tenderId)).toBe(0);
    expect((await refusals(f.tenderId)).slice(before.length)).toEqual([
      "room.qualificationOpen",
      "room.wrongMethod",
      "room.adjustmentOutOfRange",
      "room.adjustmentOutOfRange",
      "room.badAmount",
      "room.incompleteSheet",
      "room.bidRejected",
      "room.notYourCertificate",
      "room.notMember",
    ]);

    // The sheets: A takes the full 3 % deduction from four members (e5 none, trimmed away);
    // B is deducted 3 % (31 500.00) and loaded 0.5 % (5 250.00).
    for (const e of experts) {
      const a = await access(e.user, f.tenderId);
      const forA = e === e5 ? { a1: "0", a2: "0" } : { a1: "-30000.00", a2: "0" };
      expect((await submitAdjustment(a, e.user, adjustmentOf(f, e, A, forA))).ok).toBe(true);
      expect((await submitAdjustment(a, e.user, adjustmentOf(f, e, B, { a1: "-31500", a2: "5250.00" }))).ok).toBe(true);
    }
    expect(await submitAdjustment(a1, e1.user, adjustmentOf(f, e1, A, { a1: "0", a2: "0" }))).toMatchObject({
      ok: false,
      refusal: { code: "room.sheetSubmitted" },
    });
    // A sheet changes only by a recorded withdrawal and a new signed sheet.
    const own = await db().evaluationSheet.findFirstOrThrow({
      where: { memberUserId: e2.user.id, bidderId: B, kind: "ADJUSTMENT", withdrawnAt: null, session: { tenderId: f.tenderId } },
    });
    expect(
      (await withdrawSheet(await access(e2.user, f.tenderId), e2.user, { sheetId: own.id, reason: "付款条件偏差复核" })).ok,
    ).toBe(true);
    expect(
      (await submitAdjustment(await access(e2.user, f.tenderId), e2.user, adjustmentOf(f, e2, B, { a1: "-31500", a2: "5250" })))
        .ok,
    ).toBe(true);

    const view = await roomView(a1, e1.user);
    const summary = ("summary" in view ? view.summary : null) as {
      ranking: { rank: number; bid: { bidderId: string; evaluatedPrice: string } }[];
    } | null;
    expect(summary?.ranking.map((r) => [r.rank, r.bid.bidderId, r.bid.evaluatedPrice])).toEqual([
      [1, A, "97000000"],
      [2, B, "102375000"],
    ]);

    const closed = await closeSummary(a1, e1.user);
    if (!closed.ok) throw new Error(JSON.stringify(closed));
    const session = await db().evaluationSession.findUniqueOrThrow({ where: { tenderId: f.tenderId }, select: { report: true } });
    const report = session.report as {
      method: string;
      candidates: { rank: number; bidderId: string }[];
      summary: { results: { bidderId: string; evaluatedPrice: string }[] };
    };
    expect(report.method).toBe("LOWEST_EVALUATED_PRICE");
    expect(report.candidates.map((c) => c.bidderId)).toEqual([A, B]);
    for (const e of experts) {
      const body = { reportSha256: closed.value.reportSha256, dissent: "" };
      const sig = sign(e.signer, roomStatement("report", f.tenderId, e.user.id, body));
      expect((await signReport(await access(e.user, f.tenderId), e.user, { signature: sig })).ok).toBe(true);
    }
    // After the report is signed nothing changes.
    expect(await submitAdjustment(a1, e1.user, adjustmentOf(f, e1, A, { a1: "0", a2: "0" }))).toMatchObject({
      ok: false,
      refusal: { code: "room.reportSigned" },
    });

    // The supervisor: the adjustment sheets are in the feed; the same amounts from members are not an alert.
    const sv = await roomView(await access(f.supervisor, f.tenderId), f.supervisor);
    expect("feed" in sv && (sv.feed ?? []).filter((e) => e.action === "evaluation.adjustment_submitted")).toHaveLength(11);
    expect("alerts" in sv && (sv.alerts ?? []).map((a) => a.kind)).not.toContain("identical-sheets");

    const pdf = await reportPdf(await access(f.agent, f.tenderId));
    if (!pdf) throw new Error("no report pdf");
    const tmp = path.join(os.tmpdir(), `report-lep-${f.tenderId}.pdf`);
    fs.writeFileSync(tmp, pdf);
    expect(execFileSync("pdfsig", [tmp], { encoding: "utf8" })).toContain("Signature is Valid");
    const text = execFileSync("pdftotext", [tmp, "-"], { encoding: "utf8" });
    expect(text).toContain("经评审的最低投标价法");
    expect(text).toContain("评审价 970000.00 元");
    expect(text).toContain("评审价 1023750.00 元");
    expect(text).toContain("工期提前 -30000.00");
  });
});
