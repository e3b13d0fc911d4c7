import { action as objectionsAction, loader as objectionsLoader } from "~/routes/tenders.$tenderId_.objections.tsx";
import { action as objectionAction, loader as objectionLoader } from "~/routes/objections.$objectionId.tsx";
import { action as newComplaintAction } from "~/routes/tenders.$tenderId_.complaints.new.tsx";
import { action as complaintAction, loader as complaintLoader } from "~/routes/complaints.$complaintId.tsx";
import { action as calendarAction, loader as calendarLoader } from "~/routes/admin.calendar.tsx";
import { loader as clocksLoader } from "~/routes/supervision.clocks.tsx";
import { loader as noticeLoader } from "~/routes/tenders.$tenderId.tsx";
import { db, disconnectDb } from "~/platform/db.server.ts";
import { closeRedis } from "~/platform/redis.server.ts";
import { resetClockForTests } from "~/platform/clock.server.ts";
import { closeQueues } from "~/services/jobs.server.ts";
import { fireDueClocks, syncTenderClocks } from "~/features/clocks/index.ts";
import { loadCalendar } from "~/features/calendar/index.ts";
import { toBeijingLocal } from "~/features/tenders/index.ts";
import { closeBidding } from "~/features/tenders/close-bidding.jobs.server.ts";
import { openObjectionCount } from "~/features/objections/index.ts";
import { respond } from "../support/requests.ts";
import { args, get, makeActor, post, tinyPdf, upload, type Actor } from "../fixtures/publication.ts";
import { loader as attachmentLoader } from "~/routes/remedies.attachments.$attachmentId.ts";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { bj, endOfBj, moveClockTo, NOTICE_2027, publishedTender, type RemedyCast } from "../fixtures/remedies.ts";

const DAY = 86_400_000;
const filesDir = await mkdtemp(path.join(tmpdir(), "mb-remedies-"));
process.env.FILES_DIR = filesDir;

// The cast of the running test, re-signed in whenever a test moves the clock.
let current: RemedyCast | null = null;
const actorsOf = () => (current ? [current.agent, current.bidder, current.supervisor, current.admin] : []);

afterEach(() => {
  resetClockForTests();
  current = null;
});
afterAll(async () => {
  await db().calendarYear.deleteMany({});
  await closeQueues();
  await closeRedis();
  await disconnectDb();
  await rm(filesDir, { recursive: true, force: true });
});

async function body<T>(res: Response): Promise<T> {
  return (await res.json()) as T;
}

type Refused = { refusal: { code: string; status: number; article?: string; params?: Record<string, unknown> } };

function fileObjection(
  actor: Actor,
  tenderId: string,
  reasons = "招标文件第三章资格条件设置了与项目无关的业绩要求，排斥潜在投标人。",
) {
  return respond(() => objectionsAction(args(post(`/tenders/${tenderId}/objections`, actor, { reasons }), { tenderId })));
}

function fileComplaint(actor: Actor, tenderId: string, fields: Record<string, string>) {
  return respond(() =>
    newComplaintAction(
      args(
        post(`/tenders/${tenderId}/complaints/new`, actor, {
          reasons: "招标人对异议的答复未纠正排斥性条款，请求责令改正。",
          ...fields,
        }),
        { tenderId },
      ),
    ),
  );
}

function supervise(actor: Actor, complaintId: string, fields: Record<string, string>) {
  return respond(() => complaintAction(args(post(`/complaints/${complaintId}`, actor, fields), { complaintId })));
}

async function clockOf(kind: string, subjectId: string) {
  return db().deadlineClock.findUniqueOrThrow({
    where: {
      kind_subjectType_subjectId: {
        kind,
        subjectType: kind.startsWith("complaint") ? "Complaint" : kind === "objection-answer" ? "Objection" : "Tender",
        subjectId,
      },
    },
  });
}

describe("objections to the tender documents (Regs Art 22)", () => {
  it("Regs Art 22: refuses an objection less than 10 days before the deadline, citing the article, and audits the refusal", async () => {
    const now = Date.now();
    const cast = (current = await publishedTender({ issuedAt: new Date(now - 15 * DAY), bidDeadline: new Date(now + 9 * DAY) }));
    const res = await fileObjection(cast.bidder, cast.tenderId);
    expect(res.status).toBe(409);
    expect((await body<Refused>(res)).refusal).toMatchObject({
      code: "tender.errors.OBJECTION.TOO_LATE",
      article: "Regs Art 22",
    });
    expect(await db().objection.count({ where: { tenderId: cast.tenderId } })).toBe(0);
    expect(await db().auditEntry.count({ where: { action: "objection.refused", subjectId: cast.tenderId } })).toBe(1);
    expect((await db().tender.findUniqueOrThrow({ where: { id: cast.tenderId } })).status).toBe("PUBLISHED");
  });

  it("Regs Art 22: an objection in time suspends the procedure until the agent answers; the answer extends the deadline by the suspension", async () => {
    const start = Date.now();
    const deadline = new Date(start + 20 * DAY);
    const cast = (current = await publishedTender({ issuedAt: new Date(start - 5 * DAY), bidDeadline: deadline }));
    await moveClockTo(start, ...actorsOf());
    const res = await fileObjection(cast.bidder, cast.tenderId);
    expect(res.status).toBe(302);
    const objectionId = res.headers.get("Location")!.split("/").pop()!;
    expect((await db().tender.findUniqueOrThrow({ where: { id: cast.tenderId } })).status).toBe("SUSPENDED");
    const clock = await clockOf("objection-answer", objectionId);
    expect(clock.stoppedAt).toBeNull();
    expect(clock.concernedUserIds).toEqual([cast.bidder.userId]);
    expect(
      await db().notification.count({
        where: { userId: { in: [cast.agent.userId, cast.supervisor.userId] }, kind: "objection.raised" },
      }),
    ).toBe(2);
    // Another bidder's organisation does not see it; the agent does.
    const page = await respond(() =>
      objectionsLoader(args(get(`/tenders/${cast.tenderId}/objections`, cast.agent.cookie), { tenderId: cast.tenderId })),
    );
    expect((await body<{ objections: unknown[] }>(page)).objections).toHaveLength(1);
    // A bidder cannot answer; the agent answers two hours later and extends the deadline by them.
    const byBidder = await respond(() =>
      objectionAction(
        args(post(`/objections/${objectionId}`, cast.bidder, { answer: "答复", deadlineAction: "keep" }), { objectionId }),
      ),
    );
    expect(byBidder.status).toBe(403);
    await moveClockTo(start + 2 * 3_600_000, ...actorsOf());
    const answered = await respond(() =>
      objectionAction(
        args(
          post(`/objections/${objectionId}`, cast.agent, {
            answer: "经复核，删除第三章第 2 项业绩要求，另行发布澄清。",
            deadlineAction: "extend",
          }),
          { objectionId },
        ),
      ),
    );
    expect(answered.status).toBe(200);
    const tender = await db().tender.findUniqueOrThrow({ where: { id: cast.tenderId } });
    expect(tender.status).toBe("PUBLISHED");
    expect(tender.bidDeadline!.getTime()).toBe(deadline.getTime() + 2 * 3_600_000);
    expect((await clockOf("objection-answer", objectionId)).stopReason).toBe("met");
    const again = await respond(() =>
      objectionAction(
        args(post(`/objections/${objectionId}`, cast.agent, { answer: "再次答复：维持原答复。", deadlineAction: "keep" }), {
          objectionId,
        }),
      ),
    );
    expect(again.status).toBe(409);
    const view = await respond(() =>
      objectionLoader(args(get(`/objections/${objectionId}`, cast.bidder.cookie), { objectionId })),
    );
    expect((await body<{ objection: { status: string } }>(view)).objection.status).toBe("ANSWERED");
    expect(
      await db().auditEntry.count({
        where: { subjectId: objectionId, action: { in: ["objection.raised", "objection.answered"] } },
      }),
    ).toBe(2);
  });
});

describe("answering an objection", () => {
  it("two answers at once: one is recorded, the other is refused as already answered", async () => {
    const start = Date.now();
    const cast = (current = await publishedTender({
      issuedAt: new Date(start - 5 * DAY),
      bidDeadline: new Date(start + 20 * DAY),
    }));
    const res = await fileObjection(cast.bidder, cast.tenderId);
    expect(res.status).toBe(302);
    const objectionId = res.headers.get("Location")!.split("/").pop()!;
    const answer = (text: string) =>
      respond(() =>
        objectionAction(
          args(post(`/objections/${objectionId}`, cast.agent, { answer: text, deadlineAction: "keep" }), { objectionId }),
        ),
      );
    let answers: Promise<Response>[] = [];
    // Hold the tender's lock until both answers have read the objection and wait on it (polled, not slept).
    await db().$transaction(async (tx) => {
      await tx.$queryRaw`SELECT id FROM tender WHERE id = ${cast.tenderId}::uuid FOR UPDATE`;
      answers = [answer("经复核，维持招标文件原规定（甲）。"), answer("经复核，维持招标文件原规定（乙）。")];
      for (let i = 0; i < 1000; i++) {
        const [w] = await db().$queryRaw<{ n: number }[]>`
          SELECT count(*)::int AS n FROM pg_stat_activity
          WHERE datname = current_database() AND wait_event_type = 'Lock'`;
        if (w!.n >= 2) break;
        await new Promise((r) => setImmediate(r));
      }
    });
    const statuses = (await Promise.all(answers)).map((r) => r.status).sort();
    expect(statuses).toEqual([200, 409]);
    expect(await db().auditEntry.count({ where: { subjectId: objectionId, action: "objection.answered" } })).toBe(1);
  });
});

describe("the tender's own clocks (TBL Art 34, Regs Art 21)", () => {
  it("TBL Art 34: opening and clarification clocks follow the tender: stand still while suspended, restart on resumption, met once opened, void if cancelled", async () => {
    const now = Date.now();
    const cast = (current = await publishedTender({ issuedAt: new Date(now - 5 * DAY), bidDeadline: new Date(now + 20 * DAY) }));
    const other = await publishedTender({ issuedAt: new Date(now - 5 * DAY), bidDeadline: new Date(now + 20 * DAY) });
    const sync = async () => syncTenderClocks(await loadCalendar());
    const state = async (tenderId: string) =>
      Object.fromEntries(
        (await db().deadlineClock.findMany({ where: { subjectType: "Tender", subjectId: tenderId } })).map((c) => [
          c.kind,
          c.stopReason ?? (c.stoppedAt ? "stopped" : "open"),
        ]),
      );
    await sync();
    expect(await state(cast.tenderId)).toEqual({ "bid-opening": "open", "clarification-notice": "open" });
    await fileObjection(cast.bidder, cast.tenderId);
    await sync();
    expect(await state(cast.tenderId)).toEqual({ "bid-opening": "paused", "clarification-notice": "paused" });
    await db().tender.update({ where: { id: cast.tenderId }, data: { status: "PUBLISHED" } });
    await sync();
    expect(await state(cast.tenderId)).toEqual({ "bid-opening": "open", "clarification-notice": "open" });
    await db().tender.update({ where: { id: cast.tenderId }, data: { status: "BIDDING_CLOSED" } });
    await sync();
    expect(await state(cast.tenderId)).toEqual({ "bid-opening": "open", "clarification-notice": "met" });
    await db().tender.update({ where: { id: cast.tenderId }, data: { status: "OPENED" } });
    await db().tender.update({ where: { id: other.tenderId }, data: { status: "CANCELLED" } });
    await sync();
    expect(await state(cast.tenderId)).toEqual({ "bid-opening": "met", "clarification-notice": "met" });
    expect(await state(other.tenderId)).toEqual({ "bid-opening": "void", "clarification-notice": "void" });
  });
});

describe("attachments", () => {
  it("Regs Art 22: an objection carries its PDF; the objector and the agent may download it, another bidder may not; a non-PDF is refused and nothing filed", async () => {
    const now = Date.now();
    const cast = (current = await publishedTender({ issuedAt: new Date(now - 5 * DAY), bidDeadline: new Date(now + 20 * DAY) }));
    const fields = { reasons: "评分办法第 4.2 条与招标公告不一致，请澄清。" };
    const notPdf = await respond(() =>
      objectionsAction(
        args(
          upload(`/tenders/${cast.tenderId}/objections`, cast.bidder, fields, {
            name: "x.pdf",
            content: new TextEncoder().encode("<html>"),
          }),
          { tenderId: cast.tenderId },
        ),
      ),
    );
    expect(notPdf.status).toBe(400);
    expect(await db().objection.count({ where: { tenderId: cast.tenderId } })).toBe(0);
    const pdf = tinyPdf("异议证明材料");
    const filed = await respond(() =>
      objectionsAction(
        args(upload(`/tenders/${cast.tenderId}/objections`, cast.bidder, fields, { name: "证明材料.pdf", content: pdf }), {
          tenderId: cast.tenderId,
        }),
      ),
    );
    expect(filed.status).toBe(302);
    const objectionId = filed.headers.get("Location")!.split("/").pop()!;
    const [attachment] = await db().remedyAttachment.findMany({ where: { objectionId } });
    expect(attachment).toMatchObject({ fileName: "证明材料.pdf", sizeBytes: BigInt(pdf.byteLength) });
    for (const who of [cast.bidder, cast.agent]) {
      const res = await respond(() =>
        attachmentLoader(args(get(`/remedies/attachments/${attachment!.id}`, who.cookie), { attachmentId: attachment!.id })),
      );
      expect(res.status).toBe(200);
      expect(new Uint8Array(await res.arrayBuffer())).toEqual(pdf);
    }
    const stranger = await makeActor("BIDDER", "BIDDER");
    const refused = await respond(() =>
      attachmentLoader(args(get(`/remedies/attachments/${attachment!.id}`, stranger.cookie), { attachmentId: attachment!.id })),
    );
    expect(refused.status).toBe(404);
    const notUuid = await respond(() =>
      objectionLoader(args(get("/objections/1%27", cast.bidder.cookie), { objectionId: "1'" })),
    );
    expect(notUuid.status).toBe(404);
  });
});

describe("the suspended procedure (Regs Art 22: 暂停招标投标活动)", () => {
  it("Regs Art 22: bidding does not close while an objection is unanswered; once answered (deadline kept) it closes, and a moved deadline reaches the document holders", async () => {
    const start = Date.now();
    const deadline = new Date(start + 11 * DAY);
    const cast = (current = await publishedTender({ issuedAt: new Date(start - 12 * DAY), bidDeadline: deadline }));
    const holder = await db().tenderDocument.create({
      data: {
        tenderId: cast.tenderId,
        kind: "TENDER_DOCUMENTS",
        fileName: "招标文件.pdf",
        sizeBytes: 10n,
        sha256: "0".repeat(64),
        storageKey: "0".repeat(64),
        uploadedById: cast.agent.userId,
      },
      select: { id: true },
    });
    await db().documentDownload.create({
      data: {
        tenderId: cast.tenderId,
        documentId: holder.id,
        organizationId: cast.bidder.organizationId,
        userId: cast.bidder.userId,
      },
    });
    await moveClockTo(start, ...actorsOf());
    const objectionId = (await fileObjection(cast.bidder, cast.tenderId)).headers.get("Location")!.split("/").pop()!;
    const second = (
      await fileObjection(cast.bidder, cast.tenderId, "第二项异议：评分标准中业绩分值设置过高，与项目规模不相称。")
    ).headers
      .get("Location")!
      .split("/")
      .pop()!;
    // The deadline passes while the procedure stands suspended: bidding does not close.
    await moveClockTo(deadline.getTime() + 60_000, ...actorsOf());
    expect(await closeBidding(cast.tenderId)).toMatchObject({ closed: false, reason: "not-open" });
    expect((await db().tender.findUniqueOrThrow({ where: { id: cast.tenderId } })).status).toBe("SUSPENDED");
    expect(await openObjectionCount(cast.tenderId)).toBe(2);
    // Answering one of two keeps it suspended; the second answer moves the deadline and resumes.
    await respond(() =>
      objectionAction(
        args(post(`/objections/${objectionId}`, cast.agent, { answer: "维持招标文件第三章的规定。", deadlineAction: "keep" }), {
          objectionId,
        }),
      ),
    );
    expect((await db().tender.findUniqueOrThrow({ where: { id: cast.tenderId } })).status).toBe("SUSPENDED");
    expect(await openObjectionCount(cast.tenderId, "tender-documents")).toBe(1);
    const tooEarly = await respond(() =>
      objectionAction(
        args(
          post(`/objections/${second}`, cast.agent, {
            answer: "调整评分标准并顺延。",
            deadlineAction: "move",
            newDeadline: toBeijingLocal(new Date(deadline.getTime() - DAY)),
          }),
          { objectionId: second },
        ),
      ),
    );
    expect(tooEarly.status).toBe(400);
    const moved = new Date(deadline.getTime() + 16 * DAY);
    const answered = await respond(() =>
      objectionAction(
        args(
          post(`/objections/${second}`, cast.agent, {
            answer: "调整评分标准并顺延。",
            deadlineAction: "move",
            newDeadline: toBeijingLocal(moved),
          }),
          { objectionId: second },
        ),
      ),
    );
    expect(answered.status).toBe(200);
    const tender = await db().tender.findUniqueOrThrow({ where: { id: cast.tenderId } });
    expect(tender.status).toBe("PUBLISHED");
    expect(Math.abs(tender.bidDeadline!.getTime() - moved.getTime())).toBeLessThan(60_000);
    expect(await db().notification.count({ where: { userId: cast.bidder.userId, kind: "objection.answered" } })).toBe(2);
    expect(await closeBidding(cast.tenderId)).toMatchObject({ closed: false, reason: "deadline-not-reached" });
    await moveClockTo(moved.getTime() + 60_000, ...actorsOf());
    expect(await closeBidding(cast.tenderId)).toMatchObject({ closed: true });
  });
});

describe("complaints to the supervising department (Regs Arts 60-61)", () => {
  it("Regs Art 60: refuses a documents complaint without the prior objection, and one filed more than 10 days after knowing", async () => {
    const now = Date.now();
    const cast = (current = await publishedTender({ issuedAt: new Date(now - 5 * DAY), bidDeadline: new Date(now + 20 * DAY) }));
    const noObjection = await fileComplaint(cast.bidder, cast.tenderId, {
      matter: "tender-documents",
      knownAt: toBeijingLocal(new Date(now - DAY)),
    });
    expect(noObjection.status).toBe(409);
    expect((await body<Refused>(noObjection)).refusal).toMatchObject({
      code: "tender.errors.COMPLAINT.OBJECTION_REQUIRED",
      article: "Regs Art 60",
    });
    const late = await fileComplaint(cast.bidder, cast.tenderId, {
      matter: "other",
      knownAt: toBeijingLocal(new Date(now - 13 * DAY)),
    });
    expect(late.status).toBe(409);
    expect((await body<Refused>(late)).refusal).toMatchObject({
      code: "tender.errors.COMPLAINT.TOO_LATE",
      article: "Regs Art 60",
    });
    expect(await db().complaint.count({ where: { tenderId: cast.tenderId } })).toBe(0);
    expect(await db().auditEntry.count({ where: { action: "complaint.refused", subjectId: cast.tenderId } })).toBe(2);
  });

  it("Regs Art 60: while the objection awaits its answer within its time, a complaint on it is refused", async () => {
    const now = Date.now();
    const cast = (current = await publishedTender({ issuedAt: new Date(now - 5 * DAY), bidDeadline: new Date(now + 20 * DAY) }));
    const objectionId = (await fileObjection(cast.bidder, cast.tenderId)).headers.get("Location")!.split("/").pop()!;
    const res = await fileComplaint(cast.bidder, cast.tenderId, {
      matter: "tender-documents",
      objectionId,
      knownAt: toBeijingLocal(new Date(now - DAY)),
    });
    expect(res.status).toBe(409);
    expect((await body<Refused>(res)).refusal.code).toBe("tender.errors.COMPLAINT.OBJECTION_UNANSWERED");
  });

  it("Regs Art 61: clocks across the 2026 National Day holiday and its adjusted working Saturday; warning and alarm go out once", async () => {
    // Filed Wed 30 Sep 2026: 1-7 Oct off; Thu 8, Fri 9 and the adjusted Saturday 10 Oct count.
    await moveClockTo(bj("2026-09-29T09:00"), ...actorsOf());
    const cast = (current = await publishedTender({ issuedAt: bj("2026-09-10T09:00"), bidDeadline: bj("2026-10-20T09:30") }));
    const objectionRes = await fileObjection(cast.bidder, cast.tenderId);
    const objectionId = objectionRes.headers.get("Location")!.split("/").pop()!;
    // Raised Tue 29 Sep: 3 days end Thu 1 Oct, a holiday; the limit runs to the next working day.
    expect((await clockOf("objection-answer", objectionId)).dueAt).toEqual(endOfBj("2026-10-08"));
    await moveClockTo(bj("2026-09-29T15:00"), ...actorsOf());
    await respond(() =>
      objectionAction(
        args(post(`/objections/${objectionId}`, cast.agent, { answer: "维持招标文件。", deadlineAction: "keep" }), {
          objectionId,
        }),
      ),
    );
    await moveClockTo(bj("2026-09-30T10:00"), ...actorsOf());
    const filed = await fileComplaint(cast.bidder, cast.tenderId, {
      matter: "tender-documents",
      objectionId,
      knownAt: "2026-09-29T15:00",
    });
    expect(filed.status).toBe(302);
    const complaintId = filed.headers.get("Location")!.split("/").pop()!;
    const acceptance = await clockOf("complaint-acceptance", complaintId);
    expect(acceptance).toMatchObject({ dueAt: endOfBj("2026-10-10"), provisional: false });

    // The supervisor's dashboard lists it with the tender's own clocks once they are synced.
    await syncTenderClocks(await loadCalendar());
    const dashboard = await body<{ clocks: { kind: string; tenderId: string; state: string }[] }>(
      await respond(() => clocksLoader(args(get("/supervision/clocks", cast.supervisor.cookie)))),
    );
    expect(
      dashboard.clocks
        .filter((c) => c.tenderId === cast.tenderId)
        .map((c) => c.kind)
        .sort(),
    ).toEqual(["bid-opening", "clarification-notice", "complaint-acceptance"]);

    // A day before the end the supervisor is warned; after it, alarmed; each once.
    await moveClockTo(bj("2026-10-10T08:00"), ...actorsOf());
    await fireDueClocks();
    await fireDueClocks();
    expect(await db().notification.count({ where: { userId: cast.supervisor.userId, kind: "clock.warning" } })).toBe(1);
    await moveClockTo(bj("2026-10-11T00:00"), ...actorsOf());
    await fireDueClocks();
    await fireDueClocks();
    expect(
      await db().notification.count({ where: { userId: cast.supervisor.userId, kind: "clock.alarm" } }),
    ).toBeGreaterThanOrEqual(1);
    expect(await db().auditEntry.count({ where: { action: "clock.alarm", subjectId: acceptance.id } })).toBe(1);

    // Accepted late; the 30-working-day decision clock, stopped 2 working days for an appraisal.
    await moveClockTo(bj("2026-10-12T09:00"), ...actorsOf());
    expect((await supervise(cast.supervisor, complaintId, { intent: "accept" })).status).toBe(200);
    const decision = await clockOf("complaint-decision", complaintId);
    await moveClockTo(bj("2026-10-13T09:00"), ...actorsOf());
    expect((await supervise(cast.supervisor, complaintId, { intent: "pause", reason: "appraisal" })).status).toBe(200);
    expect(
      (
        await supervise(cast.supervisor, complaintId, {
          intent: "decide",
          decision: "dismissed",
          text: "经调查，投诉事项缺乏事实依据，予以驳回。",
        })
      ).status,
    ).toBe(409);
    await moveClockTo(bj("2026-10-15T09:00"), ...actorsOf());
    expect((await supervise(cast.supervisor, complaintId, { intent: "resume-clock" })).status).toBe(200);
    const resumed = await clockOf("complaint-decision", complaintId);
    expect(resumed.dueAt.getTime() - decision.dueAt.getTime()).toBeGreaterThanOrEqual(2 * DAY);
    expect(resumed.basis).toMatchObject({ pausedWorkingDays: 2 });
  });

  it("Regs Art 61: an acceptance deadline crossing New Year 2027 is provisional until the admin enters 2027, then recomputed and the people concerned told", async () => {
    await moveClockTo(bj("2026-12-30T16:00"), ...actorsOf());
    const cast = (current = await publishedTender({ issuedAt: bj("2026-12-01T09:00"), bidDeadline: bj("2027-01-20T09:30") }));
    const filed = await fileComplaint(cast.bidder, cast.tenderId, { matter: "other", knownAt: "2026-12-28T10:00" });
    expect(filed.status).toBe(302);
    const complaintId = filed.headers.get("Location")!.split("/").pop()!;
    // 2027 not entered: weekends only, so Thu 31 Dec, Fri 1 Jan, Mon 4 Jan — provisional.
    expect(await clockOf("complaint-acceptance", complaintId)).toMatchObject({
      dueAt: endOfBj("2027-01-04"),
      provisional: true,
      provisionalYears: [2027],
    });
    const page = await body<{ complaint: { clocks: { provisionalYears: number[] }[] } }>(
      await respond(() => complaintLoader(args(get(`/complaints/${complaintId}`, cast.bidder.cookie), { complaintId }))),
    );
    expect(page.complaint.clocks[0]!.provisionalYears).toEqual([2027]);

    // A year whose days do not parse is refused whole, and audited.
    const bad = await respond(() =>
      calendarAction(
        args(
          post("/admin/calendar", cast.admin, {
            year: "2027",
            reference: "国办发明电〔2026〕X号",
            days: "2027-01-01~2027-01-03 休 元旦\n2027-02-30 休 春节",
          }),
        ),
      ),
    );
    expect(bad.status).toBe(400);
    expect((await body<Refused>(bad)).refusal).toMatchObject({
      code: "tender.errors.CALENDAR.YEAR_INVALID",
      params: { problem: "bad-date", line: 2 },
    });
    expect(await db().calendarYear.count({ where: { year: 2027 } })).toBe(0);
    expect(await db().auditEntry.count({ where: { action: "calendar.year_refused", subjectId: "2027" } })).toBeGreaterThanOrEqual(
      1,
    );

    type Years = { years: { year: number; source: string; reference: string | null }[] };
    const years = async () =>
      (await body<Years>(await respond(() => calendarLoader(args(get("/admin/calendar", cast.admin.cookie)))))).years.find(
        (y) => y.year === 2027,
      );
    expect(await years()).toMatchObject({ source: "provisional", reference: null });
    const enteredBefore = await db().auditEntry.count({ where: { action: "calendar.year_entered", subjectId: "2027" } });
    const saved = await respond(() =>
      calendarAction(
        args(post("/admin/calendar", cast.admin, { year: "2027", reference: "国办发明电〔2026〕X号", days: NOTICE_2027 })),
      ),
    );
    expect(saved.status).toBe(200);
    expect(await body<{ ok: boolean; changed: number }>(saved)).toMatchObject({ ok: true });
    // 1-3 Jan off: Thu 31 Dec, Mon 4, Tue 5 Jan; no longer provisional.
    expect(await clockOf("complaint-acceptance", complaintId)).toMatchObject({
      dueAt: endOfBj("2027-01-05"),
      provisional: false,
      provisionalYears: [],
    });
    for (const userId of [cast.bidder.userId, cast.supervisor.userId]) {
      expect(await db().notification.count({ where: { userId, kind: "clock.recomputed" } })).toBe(1);
    }
    expect(await db().auditEntry.count({ where: { action: "calendar.year_entered", subjectId: "2027" } })).toBe(
      enteredBefore + 1,
    );
    expect(await years()).toMatchObject({ source: "entered", reference: "国办发明电〔2026〕X号" });

    // Accept and decide: the decision is published on the notice page.
    expect((await supervise(cast.bidder, complaintId, { intent: "accept" })).status).toBe(403);
    expect((await supervise(cast.supervisor, complaintId, { intent: "accept" })).status).toBe(200);
    expect((await supervise(cast.supervisor, complaintId, { intent: "suspend-procedure" })).status).toBe(200);
    expect((await db().tender.findUniqueOrThrow({ where: { id: cast.tenderId } })).status).toBe("SUSPENDED");
    expect(
      (
        await supervise(cast.supervisor, complaintId, {
          intent: "decide",
          decision: "upheld",
          text: "投诉成立，责令招标人修改招标文件第三章并重新公布。",
        })
      ).status,
    ).toBe(200);
    expect((await db().tender.findUniqueOrThrow({ where: { id: cast.tenderId } })).status).toBe("PUBLISHED");
    // Published in the notice page's history (decision 118).
    const notice = await body<{ history: { kind: string; decision?: string; decisionText?: string }[] }>(
      await respond(() => noticeLoader(args(get(`/tenders/${cast.tenderId}`), { tenderId: cast.tenderId }))),
    );
    expect(notice.history.filter((e) => e.kind === "complaint")).toEqual([
      expect.objectContaining({ decision: "upheld", decisionText: expect.stringContaining("投诉成立") }),
    ]);
  });
});
