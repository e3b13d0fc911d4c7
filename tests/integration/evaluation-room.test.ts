// The evaluation room (issue 15): sign-in → pledge → recusal and its replacement → chair →
// qualification (one bid fails) → scores (one outlier explained, one sheet withdrawn and
// resubmitted) → summary → report signed, dissented and deemed agreed → PAdES PDF verified
// with pdfsig; the witness room opened and closed by the session; every refusal audited with
// nothing written; a bidder and the public get nothing from the room's endpoints.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import type { AddressInfo } from "node:net";
import {
  answerClarification,
  askClarification,
  bidderClarifications,
  decideClarification,
  askForMoreTime,
  closeQualification,
  closeSummary,
  declareRecusal,
  explainOutlier,
  evaluationSweepJob,
  findCollusion,
  finishIfDue,
  openBidFile,
  reportPdf,
  roomAccess,
  roomFeed,
  roomStatement,
  roomView,
  signInMember,
  signPledge,
  signReport,
  submitQualification,
  submitScore,
  voteChair,
  withdrawSheet,
  PLEDGE_TEXT,
  reportSha256,
  type RoomAccess,
} from "~/features/evaluation/index.ts";
import type { SessionUser } from "~/platform/auth/auth.server.ts";
import { nowMs, resetClockForTests, setClockForTests } from "~/platform/clock.server.ts";
import { db, disconnectDb } from "~/platform/db.server.ts";
import { closeRedis } from "~/platform/redis.server.ts";
import { signCms } from "../../crypto/cms/signed-data.ts";
import type { Signer } from "../../crypto/cms/signed-data.ts";
import { toBase64 } from "../../crypto/bytes.ts";
import { loader as roomLoader, action as roomAction } from "~/routes/evaluation.$tenderId.tsx";
import { loader as fileLoader } from "~/routes/evaluation.$tenderId_.file.ts";
import { loader as pdfLoader } from "~/routes/evaluation.$tenderId_.report[.]pdf.ts";
import { openedTenderWithCommittee, type RoomExpert, type RoomFixture } from "../support/evaluation.ts";
import { formRequest, ORIGIN, respond } from "../support/requests.ts";

// A stand-in for the media server's internal API: it opens and closes rooms and says so.
const mediaCalls: string[] = [];
const media = http.createServer((req, res) => {
  mediaCalls.push(`${req.method} ${req.url}`);
  req.resume();
  res.writeHead(200, { "content-type": "application/json" }).end("{}");
});

beforeAll(async () => {
  await new Promise<void>((resolve) => media.listen(0, "127.0.0.1", resolve));
  process.env.MEDIA_INTERNAL_URL = `http://127.0.0.1:${(media.address() as AddressInfo).port}`;
});

afterAll(async () => {
  resetClockForTests();
  media.close();
  await closeRedis();
  await disconnectDb();
});

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

async function challengeOf(tenderId: string, userId: string) {
  const s = await db().evaluationSession.findUniqueOrThrow({ where: { tenderId }, select: { id: true } });
  return (
    await db().evaluationMember.findUniqueOrThrow({
      where: { sessionId_userId: { sessionId: s.id, userId } },
      select: { challenge: true },
    })
  ).challenge;
}

async function enter(f: RoomFixture, e: RoomExpert) {
  const a = await access(e.user, f.tenderId);
  await roomView(a, e.user); // opens the session, adds the member's row
  const challenge = await challengeOf(f.tenderId, e.user.id);
  expect(
    (await signInMember(a, e.user, { signature: sign(e.signer, roomStatement("sign-in", f.tenderId, e.user.id, { challenge })) }))
      .ok,
  ).toBe(true);
  expect(
    (
      await signPledge(a, e.user, {
        signature: sign(e.signer, roomStatement("pledge", f.tenderId, e.user.id, { text: PLEDGE_TEXT })),
      })
    ).ok,
  ).toBe(true);
}

const qualificationOf = (f: RoomFixture, e: RoomExpert, bidderId: string, failQ1: boolean) => {
  const findings = [
    { criterionId: "q1", passed: !failQ1, reason: failQ1 ? "营业执照已过期" : "" },
    { criterionId: "q2", passed: true, reason: "" },
  ];
  return {
    bidderId,
    findings,
    signature: sign(e.signer, roomStatement("qualification", f.tenderId, e.user.id, { bidderId, findings })),
  };
};

const scoreOf = (f: RoomFixture, e: RoomExpert, bidderId: string, points: Record<string, number>, signer = e.signer) => ({
  bidderId,
  points,
  signature: sign(signer, roomStatement("score", f.tenderId, e.user.id, { bidderId, points })),
});

describe("evaluation room", () => {
  it("walks the whole evaluation and refuses every bad act, audited, with nothing written", async () => {
    const f = await openedTenderWithCommittee();
    const [e1, e2, e3, e4, e5] = f.experts as [RoomExpert, RoomExpert, RoomExpert, RoomExpert, RoomExpert];
    const [A, B, C] = f.bidders.map((b) => b.organizationId) as [string, string, string];

    // A bidder and the public get nothing: no access, and the routes answer 404 / send to sign-in.
    expect(await roomAccess(f.bidders[0]!.user, f.tenderId)).toBeNull();
    expect(await roomAccess(null, f.tenderId)).toBeNull();
    for (const load of [roomLoader, fileLoader, pdfLoader]) {
      const res = await respond(() =>
        load({ request: new Request(`${ORIGIN}/evaluation/${f.tenderId}`), params: { tenderId: f.tenderId }, context: {} }),
      );
      expect([302, 401, 404]).toContain(res.status);
      expect(await res.text()).not.toContain("评标测试投标人");
    }
    const anon = await respond(() =>
      roomAction({
        request: formRequest(`/evaluation/${f.tenderId}`, { intent: "signIn", payload: "{}" }),
        params: { tenderId: f.tenderId },
        context: {},
      }),
    );
    expect(anon.status).not.toBe(200);
    // A member not on the committee (the reserve, before any recusal) has no room either.
    expect(await roomAccess(f.reserve.user, f.tenderId)).toBeNull();

    // Sign-in: the session opens (and with it the witness room) at the evaluation time.
    const a1 = await access(e1.user, f.tenderId);
    await roomView(a1, e1.user);
    expect(mediaCalls.some((c) => c.startsWith("POST /internal/rooms"))).toBe(true);
    const opened = await db().tender.findUniqueOrThrow({
      where: { id: f.tenderId },
      select: { witnessOpenedAt: true, status: true },
    });
    expect(opened.witnessOpenedAt).not.toBeNull();
    // Bidders and the public now see only 评标中 (the tender's status), nothing of the room.
    expect(opened.status).toBe("EVALUATING");
    const c1 = await challengeOf(f.tenderId, e1.user.id);
    // Another member's certificate over e1's challenge, and e1's over another challenge: refused.
    expect(
      await signInMember(a1, e1.user, {
        signature: sign(e2.signer, roomStatement("sign-in", f.tenderId, e1.user.id, { challenge: c1 })),
      }),
    ).toMatchObject({ ok: false, refusal: { code: "room.notYourCertificate" } });
    expect(
      await signInMember(a1, e1.user, {
        signature: sign(e1.signer, roomStatement("sign-in", f.tenderId, e1.user.id, { challenge: "other" })),
      }),
    ).toMatchObject({ ok: false, refusal: { code: "room.badSignature" } });
    expect((await db().evaluationMember.findFirstOrThrow({ where: { userId: e1.user.id } })).signedInAt).toBeNull();
    for (const e of [e1, e2, e3, e4, e5]) await enter(f, e);

    // Recusal: e5 recuses; the reserve is called and the room waits for the replacement.
    for (const e of [e1, e2, e3, e4])
      expect((await declareRecusal(await access(e.user, f.tenderId), e.user, { recuse: "none" })).ok).toBe(true);
    expect(await declareRecusal(await access(e5.user, f.tenderId), e5.user, { recuse: "recused" })).toMatchObject({
      ok: false,
      refusal: { code: "room.reasonRequired" },
    });
    expect(
      await declareRecusal(await access(e5.user, f.tenderId), e5.user, { recuse: "recused", reason: "曾在投标人1任职" }),
    ).toMatchObject({ ok: true, value: { replacementExpertId: f.reserve.expertId } });
    expect(await voteChair(await access(e1.user, f.tenderId), e1.user, { candidateUserId: e1.user.id })).toMatchObject({
      ok: false,
      refusal: { code: "room.roomNotReady" },
    });
    const r = f.reserve;
    await enter(f, r);
    expect((await declareRecusal(await access(r.user, f.tenderId), r.user, { recuse: "none" })).ok).toBe(true);
    const members = [e1, e2, e3, e4, r];

    // Chair: a majority of the committee elects e1 (the replacement, still only invited, cannot chair).
    expect(await voteChair(await access(e2.user, f.tenderId), e2.user, { candidateUserId: r.user.id })).toMatchObject({
      ok: false,
      refusal: { code: "room.notEligibleChair" },
    });
    for (const e of [e1, e2])
      expect(await voteChair(await access(e.user, f.tenderId), e.user, { candidateUserId: e1.user.id })).toMatchObject({
        ok: true,
        value: { chairUserId: null },
      });
    expect(await voteChair(await access(e3.user, f.tenderId), e3.user, { candidateUserId: e1.user.id })).toMatchObject({
      ok: true,
      value: { chairUserId: e1.user.id },
    });

    // Reading bids: each opening recorded.
    const file = await openBidFile(await access(e2.user, f.tenderId), e2.user, A, 0);
    expect(file.ok && fs.readFileSync(file.value.path).subarray(0, 5).toString()).toBe("%PDF-");
    expect(await openBidFile(await access(e2.user, f.tenderId), e2.user, A, 7)).toMatchObject({
      ok: false,
      refusal: { code: "room.noSuchFile" },
    });

    // Qualification: C fails q1 with four of five; a sheet with a fail and no reason is refused.
    const noReason = qualificationOf(f, e1, C, true);
    noReason.findings[0]!.reason = "";
    expect(
      await submitQualification(await access(e1.user, f.tenderId), e1.user, {
        ...noReason,
        signature: sign(
          e1.signer,
          roomStatement("qualification", f.tenderId, e1.user.id, { bidderId: C, findings: noReason.findings }),
        ),
      }),
    ).toMatchObject({ ok: false, refusal: { code: "room.reasonRequired" } });
    for (const e of members) {
      for (const b of [A, B, C])
        expect(
          (await submitQualification(await access(e.user, f.tenderId), e.user, qualificationOf(f, e, b, b === C && e !== r))).ok,
        ).toBe(true);
    }
    expect(await closeQualification(await access(e2.user, f.tenderId), e2.user)).toMatchObject({
      ok: false,
      refusal: { code: "room.chairOnly" },
    });
    expect(await closeQualification(a1, e1.user)).toMatchObject({ ok: true, value: { failed: [C] } });

    // Collusion (Regs Art 40): the chair's finding, with at least two bids and a reason.
    expect(
      await findCollusion(await access(e2.user, f.tenderId), e2.user, { bidderIds: [A, B], reason: "投标文件由同一人编制" }),
    ).toMatchObject({ ok: false, refusal: { code: "room.chairOnly" } });
    expect(await findCollusion(a1, e1.user, { bidderIds: [A], reason: "" })).toMatchObject({
      ok: false,
      refusal: { code: "room.reasonRequired" },
    });
    expect(
      (await db().evaluationSession.findUniqueOrThrow({ where: { tenderId: f.tenderId }, select: { collusionFindings: true } }))
        .collusionFindings,
    ).toEqual([]);

    // Clarification (Regs Art 52): the chair asks B; the bidder sees it only once a supervisor approves.
    expect(
      await askClarification(await access(e2.user, f.tenderId), e2.user, { bidderId: B, question: "请说明工期安排", hours: 2 }),
    ).toMatchObject({ ok: false, refusal: { code: "room.chairOnly" } });
    const asked = await askClarification(a1, e1.user, { bidderId: B, question: "请说明工期安排的依据", hours: 2 });
    if (!asked.ok) throw new Error(asked.refusal.code);
    const late = await askClarification(a1, e1.user, { bidderId: B, question: "请补充说明项目经理的在建工程", hours: 1 });
    if (!late.ok) throw new Error(late.refusal.code);
    const bUser = f.bidders[1]!.user;
    expect(await bidderClarifications(bUser, f.tenderId)).toBeNull();
    expect(await decideClarification(a1, e1.user, { clarificationId: asked.value.clarificationId, approve: true })).toMatchObject(
      { ok: false, refusal: { code: "room.supervisorOnly" } },
    );
    const sup = await access(f.supervisor, f.tenderId);
    for (const c of [asked, late])
      expect((await decideClarification(sup, f.supervisor, { clarificationId: c.value.clarificationId, approve: true })).ok).toBe(
        true,
      );
    expect((await bidderClarifications(bUser, f.tenderId))?.items.map((i) => i.question)).toEqual([
      "请说明工期安排的依据",
      "请补充说明项目经理的在建工程",
    ]);
    expect(await bidderClarifications(f.bidders[0]!.user, f.tenderId)).toBeNull();
    expect(
      await answerClarification(f.bidders[0]!.user, f.tenderId, { clarificationId: asked.value.clarificationId, answer: "x" }),
    ).toMatchObject({ ok: false, refusal: { code: "room.noSuchClarification" } });
    setClockForTests(nowMs() + 90 * 60_000);
    expect(
      (
        await answerClarification(bUser, f.tenderId, {
          clarificationId: asked.value.clarificationId,
          answer: "工期按 280 日历天安排，见施工进度计划。",
        })
      ).ok,
    ).toBe(true);
    expect(
      await answerClarification(bUser, f.tenderId, { clarificationId: late.value.clarificationId, answer: "迟到的答复" }),
    ).toMatchObject({ ok: false, refusal: { code: "room.clarificationLate" } });
    resetClockForTests();
    const seen = await roomView(a1, e1.user);
    expect("clarifications" in seen && seen.clarifications.map((c) => c.status)).toEqual(["answered", "approved"]);

    // Scores: refused for the failed bid, out of range, and signed with another member's certificate.
    const sheetsBefore = await db().evaluationSheet.count({ where: { kind: "SCORE", session: { tenderId: f.tenderId } } });
    expect(await submitScore(a1, e1.user, scoreOf(f, e1, C, { c1: 20, c2: 10, c3: 10 }))).toMatchObject({
      ok: false,
      refusal: { code: "room.bidRejected" },
    });
    expect(await submitScore(a1, e1.user, scoreOf(f, e1, A, { c1: 31, c2: 10, c3: 10 }))).toMatchObject({
      ok: false,
      refusal: { code: "room.scoreOutOfRange" },
    });
    expect(await submitScore(a1, e1.user, scoreOf(f, e1, A, { c1: 20, c2: 10, c3: 10 }, e2.signer))).toMatchObject({
      ok: false,
      refusal: { code: "room.notYourCertificate" },
    });
    expect(await db().evaluationSheet.count({ where: { kind: "SCORE", session: { tenderId: f.tenderId } } })).toBe(sheetsBefore);
    const scores: Record<string, Record<string, number>> = { A: { c1: 25, c2: 15, c3: 15 }, B: { c1: 22, c2: 14, c3: 12 } };
    for (const e of members) {
      for (const [key, b] of [
        ["A", A],
        ["B", B],
      ] as const) {
        // e4 scores A far below the others: an outlier that must be explained.
        const points = e === e4 && key === "A" ? { c1: 5, c2: 3, c3: 2 } : scores[key]!;
        expect((await submitScore(await access(e.user, f.tenderId), e.user, scoreOf(f, e, b, points))).ok).toBe(true);
      }
    }
    // Withdraw and resubmit before the summary closes: both recorded.
    const mine = await db().evaluationSheet.findFirstOrThrow({
      where: { memberUserId: e2.user.id, bidderId: B, kind: "SCORE", withdrawnAt: null },
    });
    expect(
      (await withdrawSheet(await access(e2.user, f.tenderId), e2.user, { sheetId: mine.id, reason: "商务分录入有误" })).ok,
    ).toBe(true);
    expect(
      (await submitScore(await access(e2.user, f.tenderId), e2.user, scoreOf(f, e2, B, { c1: 22, c2: 14, c3: 13 }))).ok,
    ).toBe(true);

    // More than a third asking for more time extends (Regs Art 48): two of five.
    expect(await askForMoreTime(await access(e3.user, f.tenderId), e3.user)).toMatchObject({
      ok: true,
      value: { extended: false },
    });
    expect(await askForMoreTime(await access(e4.user, f.tenderId), e4.user)).toMatchObject({
      ok: true,
      value: { extended: true },
    });

    // Summary: refused until the outlier is explained by its author.
    expect(await closeSummary(a1, e1.user)).toMatchObject({ ok: false, refusal: { code: "room.outlierUnexplained" } });
    for (const part of ["technical", "commercial"] as const) {
      const outlier = await explainOutlier(await access(e4.user, f.tenderId), e4.user, {
        bidderId: A,
        part,
        reason: "投标人1技术方案未响应关键参数",
      });
      expect(outlier.ok).toBe(true);
    }
    const closed = await closeSummary(a1, e1.user);
    if (!closed.ok) throw new Error(closed.refusal.code);
    const session = await db().evaluationSession.findUniqueOrThrow({ where: { tenderId: f.tenderId } });
    expect(reportSha256(session.report)).toBe(closed.value.reportSha256);
    expect((session.report as { candidates: { bidderId: string }[] }).candidates.map((c) => c.bidderId)).toEqual([A, B]);
    // After the summary closes, sheets no longer change.
    expect(
      await withdrawSheet(await access(e3.user, f.tenderId), e3.user, {
        sheetId: (
          await db().evaluationSheet.findFirstOrThrow({ where: { memberUserId: e3.user.id, kind: "SCORE", withdrawnAt: null } })
        ).id,
        reason: "x",
      }),
    ).toMatchObject({ ok: false, refusal: { code: "room.summaryClosed" } });

    // Report: three sign, one dissents in writing, one stays silent → deemed to agree at the deadline.
    const reportBody = (dissent: string) => ({ reportSha256: closed.value.reportSha256, dissent });
    expect(
      await signReport(a1, e1.user, {
        signature: sign(e2.signer, roomStatement("report", f.tenderId, e1.user.id, reportBody(""))),
      }),
    ).toMatchObject({ ok: false, refusal: { code: "room.notYourCertificate" } });
    for (const e of [e1, e2, e3])
      expect(
        await signReport(await access(e.user, f.tenderId), e.user, {
          signature: sign(e.signer, roomStatement("report", f.tenderId, e.user.id, reportBody(""))),
        }),
      ).toMatchObject({ ok: true, value: { finished: false } });
    const dissent = "投标人1的技术方案存在重大缺陷，不应推荐为第一中标候选人。";
    expect(
      (
        await signReport(await access(e4.user, f.tenderId), e4.user, {
          dissent,
          signature: sign(e4.signer, roomStatement("report", f.tenderId, e4.user.id, reportBody(dissent))),
        })
      ).ok,
    ).toBe(true);
    expect(await finishIfDue(f.tenderId)).toBe(false);
    setClockForTests(nowMs() + 3 * 3_600_000);
    // The sweep job issues it at the deadline (the room page would do the same when loaded).
    expect(await evaluationSweepJob.run({ reason: "manual" })).toMatchObject({ issued: expect.any(Number) as number });
    expect(await finishIfDue(f.tenderId)).toBe(false);
    resetClockForTests();
    expect(
      (await db().evaluationMember.findFirstOrThrow({ where: { userId: r.user.id, session: { tenderId: f.tenderId } } }))
        .deemedAgreed,
    ).toBe(true);

    // The witness room closed with the signed report; the PDF verifies with pdfsig.
    expect(mediaCalls.some((c) => c.startsWith("DELETE /internal/rooms"))).toBe(true);
    expect(
      (await db().tender.findUniqueOrThrow({ where: { id: f.tenderId }, select: { witnessClosedAt: true } })).witnessClosedAt,
    ).not.toBeNull();
    const pdf = await reportPdf(await access(f.agent, f.tenderId));
    if (!pdf) throw new Error("no report pdf");
    const tmp = path.join(os.tmpdir(), `report-${f.tenderId}.pdf`);
    fs.writeFileSync(tmp, pdf);
    const sig = execFileSync("pdfsig", [tmp], { encoding: "utf8" });
    expect(sig).toContain("Signature is Valid");
    expect(sig).toContain("ETSI.CAdES.detached");
    const text = execFileSync("pdftotext", [tmp, "-"], { encoding: "utf8" });
    expect(text).toContain("评标报告");
    expect(text).toContain("视为同意");
    expect(text).toContain(dissent.slice(0, 10));
    expect(text).toContain("280");
    // The report went to the agent and the supervisor.
    expect(
      await db().notification.count({
        where: {
          kind: "evaluation.report",
          userId: { in: [f.agent.id, f.supervisor.id] },
          link: `/evaluation/${f.tenderId}/report.pdf`,
        },
      }),
    ).toBe(2);

    // Any change after the report is signed is refused and audited; nothing is written.
    const count = await db().evaluationSheet.count({ where: { session: { tenderId: f.tenderId } } });
    expect(
      await submitScore(await access(e2.user, f.tenderId), e2.user, scoreOf(f, e2, A, { c1: 1, c2: 1, c3: 1 })),
    ).toMatchObject({ ok: false, refusal: { code: "room.reportSigned" } });
    expect(await db().evaluationSheet.count({ where: { session: { tenderId: f.tenderId } } })).toBe(count);

    // Every refusal above is in the audit chain.
    expect(await refusals(f.tenderId)).toEqual(
      expect.arrayContaining([
        "room.notYourCertificate",
        "room.badSignature",
        "room.reasonRequired",
        "room.roomNotReady",
        "room.notEligibleChair",
        "room.noSuchFile",
        "room.chairOnly",
        "room.bidRejected",
        "room.scoreOutOfRange",
        "room.supervisorOnly",
        "room.noSuchClarification",
        "room.clarificationLate",
        "room.outlierUnexplained",
        "room.summaryClosed",
        "room.reportSigned",
      ]),
    );

    // The supervisor's feed has the events and an alert: e1 and e3 handed in identical sheets.
    const feed = await roomFeed(f.tenderId);
    expect(feed.map((e) => e.action)).toEqual(
      expect.arrayContaining([
        "evaluation.session_opened",
        "evaluation.signed_in",
        "evaluation.file_opened",
        "evaluation.sheet_submitted",
        "evaluation.sheet_withdrawn",
        "evaluation.report_issued",
      ]),
    );
    const sv = await roomView(await access(f.supervisor, f.tenderId), f.supervisor);
    expect("alerts" in sv && (sv.alerts ?? []).map((a) => a.kind)).toContain("identical-sheets");
    // The agent sees the report only, never the sheets.
    const agentView = await roomView(await access(f.agent, f.tenderId), f.agent);
    expect(agentView).not.toHaveProperty("members");
    expect(JSON.stringify(agentView)).not.toContain("points");
  });

  it("a collusion finding by the chair takes those bids out of scoring, with its reason (Regs Art 40)", async () => {
    const f = await openedTenderWithCommittee();
    const [A, B, C] = f.bidders.map((b) => b.organizationId) as [string, string, string];
    for (const e of f.experts) {
      await enter(f, e);
      expect((await declareRecusal(await access(e.user, f.tenderId), e.user, { recuse: "none" })).ok).toBe(true);
    }
    const [chair] = f.experts as [RoomExpert];
    for (const e of f.experts.slice(0, 3))
      expect((await voteChair(await access(e.user, f.tenderId), e.user, { candidateUserId: chair.user.id })).ok).toBe(true);
    for (const e of f.experts) {
      for (const b of [A, B, C])
        expect((await submitQualification(await access(e.user, f.tenderId), e.user, qualificationOf(f, e, b, false))).ok).toBe(
          true,
        );
    }
    const a = await access(chair.user, f.tenderId);
    expect(await closeQualification(a, chair.user)).toMatchObject({ ok: true, value: { failed: [] } });
    expect(
      (await findCollusion(a, chair.user, { bidderIds: [A, B], reason: "两份投标文件由同一单位编制，报价呈规律性差异" })).ok,
    ).toBe(true);
    expect(await submitScore(a, chair.user, scoreOf(f, chair, A, { c1: 20, c2: 10, c3: 10 }))).toMatchObject({
      ok: false,
      refusal: { code: "room.bidRejected" },
    });
    expect((await submitScore(a, chair.user, scoreOf(f, chair, C, { c1: 20, c2: 10, c3: 10 }))).ok).toBe(true);
    const view = await roomView(a, chair.user);
    expect("remaining" in view && view.remaining).toEqual([C]);
  });

  it("refuses before the evaluation time, and to someone not on the committee, audited", async () => {
    const f = await openedTenderWithCommittee({ evaluationStartInMs: 3_600_000 });
    const e = f.experts[0]!;
    const a = await access(e.user, f.tenderId);
    expect(await signInMember(a, e.user, { signature: "x".repeat(32) })).toMatchObject({
      ok: false,
      refusal: { code: "room.beforeEvaluationTime" },
    });
    expect(await db().evaluationSession.count({ where: { tenderId: f.tenderId } })).toBe(0);
    const agentAccess = await access(f.agent, f.tenderId);
    expect(
      await submitScore(agentAccess, f.agent, { bidderId: f.bidders[0]!.organizationId, points: {}, signature: "x".repeat(32) }),
    ).toMatchObject({ ok: false, refusal: { code: "room.notMember" } });
    expect(await refusals(f.tenderId)).toEqual(["room.beforeEvaluationTime", "room.notMember"]);
  });
});
