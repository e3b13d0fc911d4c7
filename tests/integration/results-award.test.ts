// The award (issue 17 item 3): every refusal (during publicity, an open objection, a suspended
// tender, not the agent, not a candidate, out of rank order, a second award), each audited with
// nothing written; the award transaction (award, status, letters, clocks, audit, notifications);
// the letters' PAdES signature (pdfsig) and text (pdftotext) and who may download them; the
// result notice; the declines and the re-tender; the contract (bad amounts refused), the report
// and the refunds stopping their clocks.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os, { tmpdir } from "node:os";
import path from "node:path";
import {
  AWARD_REPORT_DAYS,
  CONTRACT_DAYS,
  limitWithinDays,
  securityRefundDueAfterContract,
  shanghaiDate,
  startOfShanghaiDay,
} from "../../bidding-core/index";
import { action as awardAction, loader as awardLoader } from "~/routes/agent.tenders_.$tenderId.award.tsx";
import { loader as letterLoader } from "~/routes/bids.$tenderId.letter[.]pdf.ts";
import { loader as resultLoader } from "~/routes/tenders.$tenderId_.result.tsx";
import { loader as bidPageLoader } from "~/routes/bids.$tenderId.tsx";
import { loader as clocksLoader } from "~/routes/supervision.clocks.tsx";
import { db, disconnectDb } from "~/platform/db.server.ts";
import { closeRedis } from "~/platform/redis.server.ts";
import { resetClockForTests, setClockForTests } from "~/platform/clock.server.ts";
import { createSession } from "~/platform/auth/session.server.ts";
import { closeQueues } from "~/services/jobs.server.ts";
import { csrfPair, respond } from "../support/requests.ts";
import { args, get, makeActor, post, type Actor } from "../fixtures/publication.ts";
import { seedAwardDemo } from "../../prisma/seed-award.ts";

const filesDir = await mkdtemp(path.join(tmpdir(), "mb-award-"));
process.env.FILES_DIR = filesDir;

afterEach(() => resetClockForTests());
afterAll(async () => {
  await closeQueues();
  await closeRedis();
  await disconnectDb();
  await rm(filesDir, { recursive: true, force: true });
});

type Refused = { ok: false; refusal: { code: string; status: number; article?: string; params?: Record<string, unknown> } };

/** A demo user signed in (session + CSRF pair), as the demo walk-through's accounts. */
async function demo(email: string): Promise<Actor> {
  const user = await db().user.findUniqueOrThrow({ where: { email }, select: { id: true, organizationId: true } });
  const session = (await createSession(user.id, {})).split(";")[0]!;
  const { cookie, token } = await csrfPair();
  return { userId: user.id, organizationId: user.organizationId ?? "", cookie: `${cookie}; ${session}`, csrf: token };
}

let n = 0;
async function tender(publicityOpen = false) {
  const code = `IT-AW-${process.pid}-${Date.now().toString(36)}-${n++}`;
  const id = await seedAwardDemo(db(), { code, publicityOpen });
  const publicity = await db().candidatePublicity.findUniqueOrThrow({ where: { tenderId: id } });
  const candidates = publicity.candidates as { rank: number; bidderOrgId: string; name: string; priceCents: string }[];
  return { id, code, candidates };
}

const cast = {
  agent: () => demo("agent@demo.mingbiao.cn"),
  bidder1: () => demo("bidder1@demo.mingbiao.cn"),
  bidder2: () => demo("bidder2@demo.mingbiao.cn"),
  bidder3: () => demo("bidder3@demo.mingbiao.cn"),
  supervisor: () => demo("supervisor@demo.mingbiao.cn"),
};

function act(actor: Actor, tenderId: string, fields: Record<string, string>) {
  return respond(() => awardAction(args(post(`/agent/tenders/${tenderId}/award`, actor, fields), { tenderId })));
}
const award = (actor: Actor, tenderId: string, winnerOrgId: string) => act(actor, tenderId, { intent: "award", winnerOrgId });

async function refusalOf(res: Response) {
  return ((await res.json()) as Refused).refusal;
}

async function nothingWritten(tenderId: string, status: string) {
  expect(await db().award.count({ where: { tenderId } })).toBe(0);
  expect(await db().awardLetter.count({ where: { tenderId } })).toBe(0);
  expect(await db().deadlineClock.count({ where: { tenderId, kind: { in: ["sign-contract", "award-report"] } } })).toBe(0);
  expect((await db().tender.findUniqueOrThrow({ where: { id: tenderId } })).status).toBe(status);
}

const refusalsAudited = (tenderId: string, code: string) =>
  db().auditEntry.count({
    where: { action: "results.award_refused", subjectId: tenderId, data: { path: ["code"], equals: code } },
  });

describe("award refusals (Regs Arts 54-55, TBL Art 45)", () => {
  it("Regs Art 54: refuses the award while the publicity runs, citing the article; audited, nothing written", async () => {
    const t = await tender(true);
    const agent = await cast.agent();
    const res = await award(agent, t.id, t.candidates[0]!.bidderOrgId);
    expect(res.status).toBe(409);
    expect(await refusalOf(res)).toMatchObject({ code: "tender.errors.TENDER.PUBLICITY_NOT_OVER", article: "Regs Art 54" });
    expect(await refusalsAudited(t.id, "tender.errors.TENDER.PUBLICITY_NOT_OVER")).toBe(1);
    await nothingWritten(t.id, "PUBLICITY");
  });

  it("Regs Art 54: refuses the award while an objection to the result is unanswered, and while the tender is suspended", async () => {
    const t = await tender();
    const agent = await cast.agent();
    const bidder = await cast.bidder2();
    const objection = await db().objection.create({
      data: {
        tenderId: t.id,
        target: "result",
        objectorOrgId: bidder.organizationId,
        objectorUserId: bidder.userId,
        reasons: "第一中标候选人的项目经理同时在其他在建项目任职，请复核。",
        raisedAt: new Date(Date.now() - 3_600_000),
      },
    });
    const res = await award(agent, t.id, t.candidates[0]!.bidderOrgId);
    expect(res.status).toBe(409);
    expect(await refusalOf(res)).toMatchObject({
      code: "tender.errors.TENDER.OBJECTION_PENDING",
      article: "Regs Art 22 / Regs Art 54",
      params: { count: 1 },
    });
    await nothingWritten(t.id, "PUBLICITY");
    // Answered: no longer blocks. A supervisor's suspension (Regs Art 62) blocks on its own.
    await db().objection.update({ where: { id: objection.id }, data: { status: "ANSWERED", answeredAt: new Date() } });
    await db().tender.update({ where: { id: t.id }, data: { status: "SUSPENDED" } });
    const suspended = await award(agent, t.id, t.candidates[0]!.bidderOrgId);
    expect(suspended.status).toBe(409);
    expect((await refusalOf(suspended)).code).toBe("tender.errors.TENDER.OBJECTION_PENDING");
    expect(await refusalsAudited(t.id, "tender.errors.TENDER.OBJECTION_PENDING")).toBe(2);
    await nothingWritten(t.id, "SUSPENDED");
  });

  it("refuses anyone but the tender's agent staff (another agent: 403, audited; a bidder: 403 at the door)", async () => {
    const t = await tender();
    const stranger = await makeActor("AGENT", "AGENT");
    const res = await award(stranger, t.id, t.candidates[0]!.bidderOrgId);
    expect(res.status).toBe(403);
    expect((await refusalOf(res)).code).toBe("award.refusal.notAgent");
    expect(await refusalsAudited(t.id, "award.refusal.notAgent")).toBe(1);
    const page = await respond(() => awardLoader(args(get(`/agent/tenders/${t.id}/award`, stranger.cookie), { tenderId: t.id })));
    expect(page.status).toBe(403);
    const bidder = await cast.bidder1();
    expect((await award(bidder, t.id, t.candidates[0]!.bidderOrgId)).status).toBe(403);
    await nothingWritten(t.id, "PUBLICITY");
  });

  it("Regs Art 55: refuses a winner who is not a candidate, and a lower candidate while a higher one stands", async () => {
    const t = await tender();
    const agent = await cast.agent();
    const outsider = await award(agent, t.id, (await makeActor("BIDDER", "BIDDER")).organizationId);
    expect(outsider.status).toBe(422);
    expect(await refusalOf(outsider)).toMatchObject({ code: "tender.errors.AWARD.NOT_A_CANDIDATE", article: "Regs Art 55" });
    const skip = await award(agent, t.id, t.candidates[1]!.bidderOrgId);
    expect(skip.status).toBe(422);
    expect(await refusalOf(skip)).toMatchObject({
      code: "tender.errors.AWARD.HIGHER_CANDIDATE_PENDING",
      params: { rank: 2, pending: 1 },
    });
    await nothingWritten(t.id, "PUBLICITY");
  });
});

describe("the award and its letters (TBL Art 45)", () => {
  it("confirms the first candidate in one transaction: award, AWARDED, three signed letters, two clocks, audit, notifications; a second award is refused", async () => {
    const t = await tender();
    const [agent, bidder1, bidder2, bidder3, supervisor] = await Promise.all([
      cast.agent(),
      cast.bidder1(),
      cast.bidder2(),
      cast.bidder3(),
      cast.supervisor(),
    ]);
    // Before the award the result notice does not exist.
    const before = await respond(() => resultLoader(args(get(`/tenders/${t.id}/result`), { tenderId: t.id })));
    expect(before.status).toBe(404);

    const at = new Date(Date.now() + 60_000);
    setClockForTests(at);
    const res = await award(agent, t.id, bidder1.organizationId);
    expect(res.status).toBe(200);
    const row = await db().award.findUniqueOrThrow({ where: { tenderId: t.id }, include: { letters: true } });
    expect(row).toMatchObject({
      winnerOrgId: bidder1.organizationId,
      winnerRank: 1,
      priceCents: 865_000_000n,
      confirmedById: agent.userId,
      reason: null,
    });
    expect(row.resultNoticeAt.getTime()).toBe(at.getTime());
    expect((await db().tender.findUniqueOrThrow({ where: { id: t.id } })).status).toBe("AWARDED");
    const kinds = Object.fromEntries(row.letters.map((l) => [l.bidderOrgId, l.kind]));
    expect(kinds).toEqual({
      [bidder1.organizationId]: "notice-of-award",
      [bidder2.organizationId]: "result-letter",
      [bidder3.organizationId]: "result-letter",
    });
    for (const l of row.letters) {
      expect(fs.existsSync(path.join(filesDir, l.pdfSha256))).toBe(true);
      expect(l.timestamp.length).toBeGreaterThan(100);
    }
    const clocks = await db().deadlineClock.findMany({ where: { tenderId: t.id, subjectType: "Award", subjectId: row.id } });
    expect(Object.fromEntries(clocks.map((c) => [c.kind, c.dueAt.toISOString()]))).toEqual({
      "sign-contract": limitWithinDays(at, CONTRACT_DAYS).value.toISOString(),
      "award-report": limitWithinDays(at, AWARD_REPORT_DAYS).value.toISOString(),
    });
    const audit = await db().auditEntry.findFirstOrThrow({ where: { action: "results.awarded", subjectId: row.id } });
    expect(audit.data).toMatchObject({ tenderId: t.id, rank: 1, article: "TBL Art 45" });
    expect((audit.data as { letters: unknown[] }).letters).toHaveLength(3);
    expect(
      await db().notification.count({
        where: { kind: "award.letter", userId: { in: [bidder1.userId, bidder2.userId, bidder3.userId] }, link: `/bids/${t.id}` },
      }),
    ).toBe(3);
    expect(await db().notification.count({ where: { kind: "award.awarded", userId: supervisor.userId, title: t.code } })).toBe(1);

    // The supervisor's dashboard lists the two new clocks.
    const dash = (await (await respond(() => clocksLoader(args(get("/supervision/clocks", supervisor.cookie))))).json()) as {
      clocks: { kind: string; tenderId: string }[];
    };
    expect(
      dash.clocks
        .filter((c) => c.tenderId === t.id)
        .map((c) => c.kind)
        .sort(),
    ).toEqual(["award-report", "sign-contract"]);

    // The public result notice.
    const notice = (await (
      await respond(() => resultLoader(args(get(`/tenders/${t.id}/result`), { tenderId: t.id })))
    ).json()) as { notice: { winner: { name: string; rank: number; priceCents: string }; declines: unknown[] } };
    expect(notice.notice.winner).toMatchObject({ name: t.candidates[0]!.name, rank: 1, priceCents: "865000000" });
    expect(notice.notice.declines).toEqual([]);

    // A second award is refused, audited; nothing changes.
    const again = await award(agent, t.id, bidder1.organizationId);
    expect(again.status).toBe(409);
    expect(await refusalOf(again)).toMatchObject({ code: "award.refusal.alreadyAwarded", article: "TBL Art 45" });
    expect(await db().award.count({ where: { tenderId: t.id } })).toBe(1);
    expect(await db().awardLetter.count({ where: { tenderId: t.id } })).toBe(3);
  });

  it("each bidder downloads only its own letter (signed, verifiable with pdfsig); the agent any; others are refused and audited", async () => {
    const t = await tender();
    const [agent, bidder1, bidder2, supervisor] = await Promise.all([
      cast.agent(),
      cast.bidder1(),
      cast.bidder2(),
      cast.supervisor(),
    ]);
    expect((await award(agent, t.id, bidder1.organizationId)).status).toBe(200);
    const download = (cookie: string, query = "") =>
      respond(() => letterLoader(args(get(`/bids/${t.id}/letter.pdf${query}`, cookie), { tenderId: t.id })));
    const pdfText = async (res: Response) => {
      const file = path.join(os.tmpdir(), `letter-${t.id}-${Math.random().toString(36).slice(2)}.pdf`);
      fs.writeFileSync(file, Buffer.from(await res.arrayBuffer()));
      const sig = execFileSync("pdfsig", [file], { encoding: "utf8" });
      const text = execFileSync("pdftotext", [file, "-"], { encoding: "utf8" });
      fs.rmSync(file);
      return { sig, text };
    };

    // The bid page lists the bidder's own letter only.
    const page = (await (
      await respond(() => bidPageLoader(args(get(`/bids/${t.id}`, bidder2.cookie), { tenderId: t.id })))
    ).json()) as { letters: { kind: string }[] };
    expect(page.letters.map((l) => l.kind)).toEqual(["result-letter"]);

    const mine = await download(bidder1.cookie);
    expect(mine.status).toBe(200);
    expect(mine.headers.get("Content-Type")).toBe("application/pdf");
    const winner = await pdfText(mine);
    expect(winner.sig).toContain("Signature is Valid");
    expect(winner.sig).toContain("ETSI.CAdES.detached");
    expect(winner.text).toContain("中标通知书");
    expect(winner.text).toContain(t.candidates[0]!.name);
    expect(winner.text).toContain("8650000.00");
    expect(winner.text).toContain("三十日内");
    const first = await db().awardLetter.findFirstOrThrow({ where: { tenderId: t.id, bidderOrgId: bidder1.organizationId } });
    expect(first.firstDownloadedAt).not.toBeNull();
    // A second download keeps the first time.
    await download(bidder1.cookie);
    expect((await db().awardLetter.findFirstOrThrow({ where: { id: first.id } })).firstDownloadedAt?.getTime()).toBe(
      first.firstDownloadedAt?.getTime(),
    );

    const other = await pdfText(await download(bidder2.cookie));
    expect(other.sig).toContain("Signature is Valid");
    expect(other.text).toContain("中标结果通知书");
    expect(other.text).toContain(`中标人：${t.candidates[0]!.name}`);

    // Bidder 2 asking for bidder 1's letter gets nothing; the supervisor and the public neither.
    expect((await download(bidder2.cookie, `?bidder=${bidder1.organizationId}`)).status).toBe(404);
    expect((await download(supervisor.cookie, `?bidder=${bidder1.organizationId}`)).status).toBe(403);
    expect((await download("", `?bidder=${bidder1.organizationId}`)).status).toBe(404);
    const stranger = await makeActor("BIDDER", "BIDDER");
    expect((await download(stranger.cookie)).status).toBe(404);
    expect(await db().auditEntry.count({ where: { action: "results.letter_refused", subjectId: t.id } })).toBe(4);

    // The agent downloads any letter; that does not count as the bidder's download.
    const bidder2Letter = await db().awardLetter.findFirstOrThrow({
      where: { tenderId: t.id, bidderOrgId: bidder2.organizationId },
    });
    const before = bidder2Letter.firstDownloadedAt?.getTime();
    const agentCopy = await download(agent.cookie, `?bidder=${bidder2.organizationId}`);
    expect(agentCopy.status).toBe(200);
    expect((await pdfText(agentCopy)).text).toContain("中标结果通知书");
    expect((await db().awardLetter.findUniqueOrThrow({ where: { id: bidder2Letter.id } })).firstDownloadedAt?.getTime()).toBe(
      before,
    );
    expect(await db().auditEntry.count({ where: { action: "results.letter_downloaded", subjectId: t.id } })).toBe(4);
  });
});

describe("candidates passed over (Regs Art 55)", () => {
  it("records a decline with its cause, offers the next, awards it with the reason, and the result notice says why", async () => {
    const t = await tender();
    const agent = await cast.agent();
    const [first, second] = t.candidates;
    const outOfOrder = await act(agent, t.id, {
      intent: "decline",
      bidderOrgId: second!.bidderOrgId,
      cause: "declined",
      reason: "书面声明放弃",
    });
    expect(outOfOrder.status).toBe(422);
    expect((await refusalOf(outOfOrder)).code).toBe("tender.errors.AWARD.HIGHER_CANDIDATE_PENDING");
    const noReason = await act(agent, t.id, {
      intent: "decline",
      bidderOrgId: first!.bidderOrgId,
      cause: "declined",
      reason: "",
    });
    expect(noReason.status).toBe(400);
    expect((await refusalOf(noReason)).code).toBe("award.validation.reasonTooShort");
    const res = await act(agent, t.id, {
      intent: "decline",
      bidderOrgId: first!.bidderOrgId,
      cause: "no-performance-security",
      reason: "逾期未按招标文件要求提交履约保证金。",
    });
    expect(res.status).toBe(200);
    expect(await db().awardDecline.count({ where: { tenderId: t.id } })).toBe(1);
    expect((await award(agent, t.id, first!.bidderOrgId)).status).toBe(422);
    expect((await award(agent, t.id, second!.bidderOrgId)).status).toBe(200);
    const row = await db().award.findUniqueOrThrow({ where: { tenderId: t.id } });
    expect(row.winnerRank).toBe(2);
    expect(row.reason).toContain("逾期未按招标文件要求提交履约保证金");
    // Every bidder still gets its letter: the new winner the notice of award.
    const letters = await db().awardLetter.findMany({ where: { tenderId: t.id } });
    expect(letters.find((l) => l.kind === "notice-of-award")?.bidderOrgId).toBe(second!.bidderOrgId);
    const notice = (await (
      await respond(() => resultLoader(args(get(`/tenders/${t.id}/result`), { tenderId: t.id })))
    ).json()) as { notice: { winner: { rank: number }; declines: { rank: number; cause: string; name: string }[] } };
    expect(notice.notice.winner.rank).toBe(2);
    expect(notice.notice.declines).toEqual([
      expect.objectContaining({ rank: 1, cause: "no-performance-security", name: first!.name }),
    ]);
  });

  it("re-tenders only once every candidate was passed over", async () => {
    const t = await tender();
    const agent = await cast.agent();
    const early = await act(agent, t.id, { intent: "retender" });
    expect(early.status).toBe(409);
    expect(await refusalOf(early)).toMatchObject({ code: "tender.errors.AWARD.CANDIDATE_LEFT", params: { rank: 1 } });
    for (const c of t.candidates)
      expect(
        (
          await act(agent, t.id, {
            intent: "decline",
            bidderOrgId: c.bidderOrgId,
            cause: "declined",
            reason: "书面声明放弃中标。",
          })
        ).status,
      ).toBe(200);
    expect((await award(agent, t.id, t.candidates[2]!.bidderOrgId)).status).toBe(422);
    expect((await act(agent, t.id, { intent: "retender" })).status).toBe(200);
    expect((await db().tender.findUniqueOrThrow({ where: { id: t.id } })).status).toBe("RETENDERED");
    expect(await db().auditEntry.count({ where: { action: "results.retendered", subjectId: t.id } })).toBe(1);
    expect(await db().award.count({ where: { tenderId: t.id } })).toBe(0);
  });
});

describe("after the award (TBL Arts 46-47, Regs Art 57)", () => {
  it("the contract (bad amounts refused with a clear message), the report and every refund stop their clocks", async () => {
    const t = await tender();
    const [agent, bidder1, bidder2, bidder3] = await Promise.all([cast.agent(), cast.bidder1(), cast.bidder2(), cast.bidder3()]);
    expect((await award(agent, t.id, bidder1.organizationId)).status).toBe(200);
    const row = await db().award.findUniqueOrThrow({ where: { tenderId: t.id } });
    const clock = (kind: string) =>
      db().deadlineClock.findUnique({ where: { kind_subjectType_subjectId: { kind, subjectType: "Award", subjectId: row.id } } });
    const today = shanghaiDate(new Date());
    const contract = (fields: Record<string, string>) => act(agent, t.id, { intent: "contract", ...fields });

    // Bad input: each refused, nothing written, the clock still running.
    const cases: [Record<string, string>, number, string][] = [
      [{ signedOn: today, amount: "八百六十五万" }, 400, "award.refusal.badAmount"],
      [{ signedOn: today, amount: "8650000.001" }, 400, "award.refusal.badAmount"],
      [{ signedOn: today, amount: "" }, 400, "award.refusal.amountRequired"],
      [{ signedOn: today, amount: "0" }, 400, "award.refusal.amountNotPositive"],
      [{ signedOn: "2026-02-30", amount: "8650000" }, 422, "tender.errors.CALENDAR.INVALID_DATE"],
      [{ signedOn: "", amount: "8650000" }, 400, "award.refusal.dateRequired"],
      [
        { signedOn: shanghaiDate(new Date(Date.now() + 3 * 86_400_000)), amount: "8650000" },
        422,
        "tender.errors.AWARD.CONTRACT_IN_FUTURE",
      ],
      [{ signedOn: today, amount: "8,650,000.01" }, 422, "tender.errors.AWARD.CONTRACT_PRICE_MISMATCH"],
    ];
    for (const [fields, status, code] of cases) {
      const res = await contract(fields);
      expect(res.status, JSON.stringify(fields)).toBe(status);
      expect((await refusalOf(res)).code, JSON.stringify(fields)).toBe(code);
    }
    expect((await db().award.findUniqueOrThrow({ where: { id: row.id } })).contractSignedAt).toBeNull();
    expect((await clock("sign-contract"))?.stoppedAt).toBeNull();
    expect(await clock("security-refund")).toBeNull();
    expect(await db().auditEntry.count({ where: { action: "results.after_award_refused", subjectId: t.id } })).toBe(cases.length);

    // The contract: "8,650,000.00 元" is the winning price in fen; the refund clock opens.
    expect((await contract({ signedOn: today, amount: "8,650,000.00元" })).status).toBe(200);
    const recorded = await db().award.findUniqueOrThrow({ where: { id: row.id } });
    expect(recorded.contractAmountCents).toBe(865_000_000n);
    expect(recorded.contractSignedAt?.getTime()).toBe(startOfShanghaiDay(today).getTime());
    expect((await clock("sign-contract"))?.stopReason).toBe("met");
    expect((await clock("security-refund"))?.dueAt.toISOString()).toBe(
      securityRefundDueAfterContract(startOfShanghaiDay(today)).value.toISOString(),
    );
    expect((await contract({ signedOn: today, amount: "8650000" })).status).toBe(409);

    // The written report.
    expect((await act(agent, t.id, { intent: "report" })).status).toBe(200);
    expect((await clock("award-report"))?.stopReason).toBe("met");
    expect((await db().award.findUniqueOrThrow({ where: { id: row.id } })).reportSubmittedById).toBe(agent.userId);
    expect((await act(agent, t.id, { intent: "report" })).status).toBe(409);

    // Refunds: one per bidder; the clock stops with the last.
    const refund = (orgId: string, amount = "100012.34") =>
      act(agent, t.id, { intent: "refund", bidderOrgId: orgId, amount, refundedOn: today });
    const stranger = await makeActor("BIDDER", "BIDDER");
    expect((await refusalOf(await refund(stranger.organizationId))).code).toBe("award.refusal.notABidder");
    expect((await refusalOf(await refund(bidder1.organizationId, "1O0000"))).code).toBe("award.refusal.badAmount");
    expect((await refund(bidder1.organizationId)).status).toBe(200);
    expect((await refund(bidder1.organizationId)).status).toBe(409);
    expect((await refund(bidder2.organizationId)).status).toBe(200);
    expect((await clock("security-refund"))?.stoppedAt).toBeNull();
    expect((await refund(bidder3.organizationId)).status).toBe(200);
    expect((await clock("security-refund"))?.stopReason).toBe("met");
    expect((await db().securityRefund.findMany({ where: { tenderId: t.id } })).map((r) => r.amountCents)).toEqual([
      10_001_234n,
      10_001_234n,
      10_001_234n,
    ]);
    expect(await db().auditEntry.count({ where: { action: "results.security_refunded", subjectId: row.id } })).toBe(3);
  });
});
