// Candidate publicity (Regs Art 54; decision 113) through its routes with real sessions: the
// publish-candidates clock opened by the signed report and met by the publication, each refusal
// (audited, nothing half-written), the publish transaction, the draw published with it, the
// public notice, and objections to the result inside and outside the window with the
// suspension and its lifting.
import { randomBytes, randomInt } from "node:crypto";
import { action as publicityAction, loader as publicityLoader } from "~/routes/agent.tenders_.$tenderId.publicity.tsx";
import { loader as candidatesLoader } from "~/routes/tenders.$tenderId_.candidates.tsx";
import { loader as noticeLoader } from "~/routes/tenders.$tenderId.tsx";
import { action as objectionsAction, loader as objectionsLoader } from "~/routes/tenders.$tenderId_.objections.tsx";
import { action as objectionAction } from "~/routes/objections.$objectionId.tsx";
import { loader as drawJson } from "~/routes/tenders_.$tenderId.draw[.]json.ts";
import { db, disconnectDb } from "~/platform/db.server.ts";
import { closeRedis } from "~/platform/redis.server.ts";
import { resetClockForTests } from "~/platform/clock.server.ts";
import { closeQueues } from "~/services/jobs.server.ts";
import { openObjectionCount } from "~/features/objections/index.ts";
import { openPublishClocks } from "~/features/results/index.ts";
import { toBeijingLocal } from "~/features/tenders/index.ts";
import { decideCommitteeRequest, runDraw, submitCommitteeRequest } from "~/features/experts/index.ts";
import { candidatesPublishBy, defaultProcedureRules, minimumPublicity } from "../../bidding-core/index";
import { respond } from "../support/requests.ts";
import { args, get, makeActor, post, type Actor } from "../fixtures/publication.ts";
import { moveClockTo } from "../fixtures/remedies.ts";
import { signedReportTender, type ResultsCast } from "../fixtures/results.ts";

const DAY = 86_400_000;
const HOUR = 3_600_000;
const RULES = defaultProcedureRules("works", true);

afterEach(() => resetClockForTests());
afterAll(async () => {
  await closeQueues();
  await closeRedis();
  await disconnectDb();
});

type Refused = { refusal: { code: string; status: number; article?: string; params?: Record<string, unknown> } | null };

const page = (path: string, actor: Actor | null, tenderId: string) =>
  respond(() => publicityLoader(args(get(path, actor?.cookie ?? ""), { tenderId })));

function publish(c: ResultsCast, actor: Actor, fields: { startsAt?: string; endsAt: string; remarks?: string }) {
  return respond(() =>
    publicityAction(
      args(post(`/agent/tenders/${c.tenderId}/publicity`, actor, { startsAt: "", remarks: "", ...fields }), {
        tenderId: c.tenderId,
      }),
    ),
  );
}

/**
 * A lawful end for a window starting now (Regs Art 54): the shortest one, a day later. The server
 * counts the 3 full days from its own now(); the day's margin keeps a run that crosses Beijing
 * midnight (16:00 UTC) between this and the request lawful.
 */
const lawfulEnd = (from = Date.now()) => toBeijingLocal(minimumPublicity(new Date(from + DAY), RULES).end);

async function audits(tenderId: string, action: string) {
  return db().auditEntry.findMany({ where: { subjectId: tenderId, action }, orderBy: { seq: "asc" } });
}

async function fileResultObjection(actor: Actor, tenderId: string) {
  return respond(() =>
    objectionsAction(
      args(
        post(`/tenders/${tenderId}/objections`, actor, {
          target: "result",
          reasons: "第一中标候选人拟派项目经理在其他在建项目任职，不满足招标文件要求，请复核评标结果。",
        }),
        { tenderId },
      ),
    ),
  );
}

describe("candidate publicity", () => {
  it("opens the publish-candidates clock from the signed report; refuses each unlawful publication, audited, writing nothing", async () => {
    const signedAt = new Date(Date.now() - 2 * HOUR);
    const c = await signedReportTender({ reportSignedAt: signedAt });
    const opened = await openPublishClocks([c.tenderId]);
    expect(opened).toHaveLength(1);
    const clock = await db().deadlineClock.findFirstOrThrow({ where: { tenderId: c.tenderId, kind: "publish-candidates" } });
    expect(clock.startedAt.toISOString()).toBe(signedAt.toISOString());
    expect(clock.dueAt.toISOString()).toBe(candidatesPublishBy(signedAt, RULES).value.toISOString());
    expect(clock.stoppedAt).toBeNull();
    // Idempotent: a second sweep opens nothing.
    expect(await openPublishClocks([c.tenderId])).toHaveLength(0);

    // A bidder, the public and another agency's agent do not reach the agent's page.
    const path = `/agent/tenders/${c.tenderId}/publicity`;
    expect((await page(path, c.bidders[0]!, c.tenderId)).status).toBe(403);
    const anon = await page(path, null, c.tenderId);
    expect(anon.status).toBe(302);
    expect(anon.headers.get("Location")).toContain("/login");
    const stranger = await makeActor("AGENT", "AGENT");
    expect((await page(path, stranger, c.tenderId)).status).toBe(404);

    // The agent's page: the report's candidates, the rejected bid and why, the committee.
    const draft = JSON.stringify(await (await page(path, c.agent, c.tenderId)).json());
    for (const n of [...c.bidderNames, ...c.expertNames]) expect(draft).toContain(n);
    expect(draft).toContain("安全生产许可证已过期");

    // Another agency's agent cannot publish (403, audited).
    const notAgent = await publish(c, stranger, { endsAt: lawfulEnd() });
    expect(notAgent.status).toBe(403);
    expect(((await notAgent.json()) as Refused).refusal?.code).toBe("publicity.refusal.notAgent");

    // Too short a window: the law's refusal with its article.
    const short = await publish(c, c.agent, { endsAt: toBeijingLocal(new Date(Date.now() + 2 * DAY)) });
    expect(short.status).toBe(409);
    expect(((await short.json()) as Refused).refusal).toMatchObject({
      code: "tender.errors.TENDER.PUBLICITY_TOO_SHORT",
      article: "Regs Art 54",
      params: { required: 3 },
    });
    // A start in the past.
    const past = await publish(c, c.agent, { startsAt: toBeijingLocal(new Date(Date.now() - DAY)), endsAt: lawfulEnd() });
    expect(((await past.json()) as Refused).refusal?.code).toBe("publicity.refusal.startInPast");

    // While the procedure is suspended (a supervisor's order on a complaint).
    await db().tender.update({ where: { id: c.tenderId }, data: { status: "SUSPENDED" } });
    const suspended = await publish(c, c.agent, { endsAt: lawfulEnd() });
    expect(((await suspended.json()) as Refused).refusal?.code).toBe("publicity.refusal.suspended");
    await db().tender.update({ where: { id: c.tenderId }, data: { status: "OPENED" } });

    const refused = await audits(c.tenderId, "results.publish_refused");
    expect(refused.map((a) => (a.data as { code: string }).code)).toEqual([
      "publicity.refusal.notAgent",
      "tender.errors.TENDER.PUBLICITY_TOO_SHORT",
      "publicity.refusal.startInPast",
      "publicity.refusal.suspended",
    ]);
    // Nothing half-written: no notice, the status and the clock as they were, the draw not published.
    expect(await db().candidatePublicity.count({ where: { tenderId: c.tenderId } })).toBe(0);
    expect((await db().tender.findUniqueOrThrow({ where: { id: c.tenderId } })).status).toBe("OPENED");
    expect((await db().deadlineClock.findUniqueOrThrow({ where: { id: clock.id } })).stoppedAt).toBeNull();
    expect((await db().committeeRequest.findFirstOrThrow({ where: { tenderId: c.tenderId } })).resultFixedAt).toBeNull();
    // The public notice does not exist yet, and the notice page does not link it.
    expect(
      (await respond(() => candidatesLoader(args(get(`/tenders/${c.tenderId}/candidates`), { tenderId: c.tenderId })))).status,
    ).toBe(404);
  });

  it("a window's end taken just before Beijing midnight is still lawful when the server's day has turned", async () => {
    const c = await signedReportTender({ reportSignedAt: new Date(Date.now() - HOUR) });
    // The next Beijing midnight (16:00 UTC).
    const midnight = Math.ceil((Date.now() - 16 * HOUR) / DAY) * DAY + 16 * HOUR;
    const endsAt = lawfulEnd(midnight - 1_000);
    await moveClockTo(midnight + 1_000, c.agent);
    const res = await publish(c, c.agent, { endsAt });
    expect(((await res.json()) as Refused).refusal).toBeNull();
  });

  it("refuses to publish before the report is signed", async () => {
    const c = await signedReportTender({ reportSignedAt: new Date(Date.now() - HOUR) });
    await db().evaluationSession.update({ where: { tenderId: c.tenderId }, data: { reportSignedAt: null } });
    expect(await openPublishClocks([c.tenderId])).toHaveLength(0);
    const res = await publish(c, c.agent, { endsAt: lawfulEnd() });
    expect(res.status).toBe(409);
    expect(((await res.json()) as Refused).refusal?.code).toBe("publicity.refusal.reportNotSigned");
    expect(await db().candidatePublicity.count({ where: { tenderId: c.tenderId } })).toBe(0);
  });

  it("a sweep racing the publication waits for the tender's lock and does not reopen the clock the publication met", async () => {
    const c = await signedReportTender({ reportSignedAt: new Date(Date.now() - HOUR) });
    let sweep: Promise<unknown> | null = null;
    await db().$transaction(async (tx) => {
      // The publication's transaction: the tender locked, the clock recorded and met (not yet committed).
      await tx.$queryRaw`SELECT id FROM tender WHERE id = ${c.tenderId}::uuid FOR UPDATE`;
      const at = new Date();
      await tx.deadlineClock.create({
        data: {
          tenderId: c.tenderId,
          kind: "publish-candidates",
          subjectType: "CandidatePublicity",
          subjectId: c.tenderId,
          startedAt: at,
          basis: { kind: "fixed" },
          dueAt: new Date(at.getTime() + DAY),
          warnAt: at,
          stoppedAt: at,
          stopReason: "met",
          createdAt: at,
        },
      });
      sweep = openPublishClocks([c.tenderId]);
      // Until the sweep waits on a lock held by this transaction (polled, not slept).
      for (let i = 0; i < 500; i++) {
        const [w] = await db().$queryRaw<{ n: number }[]>`
          SELECT count(*)::int AS n FROM pg_stat_activity
          WHERE datname = current_database() AND wait_event_type = 'Lock'`;
        if (w!.n > 0) break;
        await new Promise((r) => setImmediate(r));
      }
    });
    await expect(sweep!).resolves.toEqual([]);
    const clock = await db().deadlineClock.findFirstOrThrow({ where: { tenderId: c.tenderId, kind: "publish-candidates" } });
    expect(clock.stopReason).toBe("met");
    expect(clock.stoppedAt).not.toBeNull();
  });

  it("publishes in one transaction: the frozen notice, PUBLICITY, the clock met, audited, the committee's result fixed; then once only", async () => {
    const c = await signedReportTender({ reportSignedAt: new Date(Date.now() - HOUR) });
    await openPublishClocks([c.tenderId]);
    const endsAt = lawfulEnd();
    const ok = await publish(c, c.agent, { endsAt, remarks: "公示期内如有异议请在线提出。" });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ refusal: null });

    const row = await db().candidatePublicity.findUniqueOrThrow({ where: { tenderId: c.tenderId } });
    expect(toBeijingLocal(row.endsAt)).toBe(endsAt);
    expect(row.publishedById).toBe(c.agent.userId);
    expect(row.remarks).toBe("公示期内如有异议请在线提出。");
    const candidates = row.candidates as {
      rank: number;
      bidderOrgId: string;
      name: string;
      priceCents: string;
      score: string;
      readOut: Record<string, string>;
    }[];
    expect(candidates.map((x) => [x.rank, x.name])).toEqual([
      [1, c.bidderNames[0]],
      [2, c.bidderNames[1]],
    ]);
    expect(candidates[0]).toMatchObject({ priceCents: "865000000", readOut: { price: "8650000.00" } });
    expect(candidates[0]!.score).toMatch(/^\d+\.\d{2}$/);
    expect(row.rejected).toEqual([
      {
        bidderOrgId: c.bidders[2]!.organizationId,
        name: c.bidderNames[2],
        stage: "qualification",
        reasons: [expect.stringContaining("安全生产许可证已过期")],
      },
    ]);
    expect((row.committee as { name: string; role: string }[]).map((m) => [m.name, m.role])).toEqual([
      [c.expertNames[0], "chair"],
      [c.expertNames[1], "member"],
      [c.expertNames[2], "member"],
    ]);
    const session = await db().evaluationSession.findUniqueOrThrow({ where: { tenderId: c.tenderId } });
    expect(row.reportReceivedAt.toISOString()).toBe(session.reportSignedAt!.toISOString());
    expect(row.reportSha256).toMatch(/^[0-9a-f]{64}$/);

    expect((await db().tender.findUniqueOrThrow({ where: { id: c.tenderId } })).status).toBe("PUBLICITY");
    const clock = await db().deadlineClock.findFirstOrThrow({ where: { tenderId: c.tenderId, kind: "publish-candidates" } });
    expect(clock.stopReason).toBe("met");
    const [published] = await audits(c.tenderId, "results.candidates_published");
    expect(published?.actorId).toBe(c.agent.userId);
    expect(published?.data).toMatchObject({ reportSha256: row.reportSha256, rejected: [c.bidders[2]!.organizationId] });
    // fixCommitteeResult ran: the draw's result is fixed and audited.
    expect((await db().committeeRequest.findFirstOrThrow({ where: { tenderId: c.tenderId } })).resultFixedAt).not.toBeNull();
    expect(await audits(c.tenderId, "experts.result_fixed")).toHaveLength(1);
    // The bidders are told.
    expect(await db().notification.count({ where: { userId: c.bidders[0]!.userId, kind: "publicity.published" } })).toBe(1);

    // The public notice: candidates, the rejection, the committee's names, the window.
    const notice = await respond(() =>
      candidatesLoader(args(get(`/tenders/${c.tenderId}/candidates`), { tenderId: c.tenderId })),
    );
    expect(notice.status).toBe(200);
    const text = JSON.stringify(await notice.json());
    for (const n of [...c.bidderNames, ...c.expertNames]) expect(text).toContain(n);
    expect(text).toContain('"objectionsOpen":true');
    // The notice page links it.
    const tenderPage = (await (
      await respond(() => noticeLoader(args(get(`/tenders/${c.tenderId}`), { tenderId: c.tenderId })))
    ).json()) as {
      candidates: boolean;
    };
    expect(tenderPage.candidates).toBe(true);

    // Once only.
    const again = await publish(c, c.agent, { endsAt: lawfulEnd() });
    expect(((await again.json()) as Refused).refusal?.code).toBe("publicity.refusal.alreadyPublished");
    expect(await db().candidatePublicity.count({ where: { tenderId: c.tenderId } })).toBe(1);
  });

  it("objections to the result: a bidder of the tender inside the window suspends the procedure; the agent's answer resumes the publicity", async () => {
    const c = await signedReportTender({ reportSignedAt: new Date(Date.now() - HOUR) });
    expect((await publish(c, c.agent, { endsAt: lawfulEnd() })).status).toBe(200);
    const bidDeadline = (await db().tender.findUniqueOrThrow({ where: { id: c.tenderId } })).bidDeadline;

    // The objection page offers the result target.
    const form = (await (
      await respond(() =>
        objectionsLoader(args(get(`/tenders/${c.tenderId}/objections`, c.bidders[1]!.cookie), { tenderId: c.tenderId })),
      )
    ).json()) as { publicity: { endsAt: string } | null; cutoff: string | null };
    expect(form.publicity).not.toBeNull();
    expect(form.cutoff).toBeNull();

    // A bidder that did not bid on this tender may not.
    const outsider = await makeActor("BIDDER", "BIDDER");
    const no = await fileResultObjection(outsider, c.tenderId);
    expect(no.status).toBe(403);
    expect(((await no.json()) as Refused).refusal?.code).toBe("remedies.refusal.notTenderBidder");

    const filed = await fileResultObjection(c.bidders[1]!, c.tenderId);
    expect(filed.status).toBe(302);
    const objection = await db().objection.findFirstOrThrow({ where: { tenderId: c.tenderId, target: "result" } });
    expect((await db().tender.findUniqueOrThrow({ where: { id: c.tenderId } })).status).toBe("SUSPENDED");
    const suspension = await db().procedureSuspension.findFirstOrThrow({
      where: { tenderId: c.tenderId, sourceId: objection.id },
    });
    expect(suspension.fromStatus).toBe("PUBLICITY");
    expect(await openObjectionCount(c.tenderId)).toBe(1);
    const answerClock = await db().deadlineClock.findFirstOrThrow({
      where: { kind: "objection-answer", subjectId: objection.id },
    });
    expect(answerClock.stoppedAt).toBeNull();

    // While suspended the public notice says so and still names the committee (TBL Art 37).
    const during = (await (
      await respond(() => candidatesLoader(args(get(`/tenders/${c.tenderId}/candidates`), { tenderId: c.tenderId })))
    ).json()) as { notice: { committee: unknown[]; tender: { status: string } } };
    expect(during.notice.tender.status).toBe("SUSPENDED");
    expect(during.notice.committee).toHaveLength(3);

    // A second bidder objects too while suspended; one answer does not resume while the other is open.
    expect((await fileResultObjection(c.bidders[0]!, c.tenderId)).status).toBe(302);
    const second = await db().objection.findFirstOrThrow({
      where: { tenderId: c.tenderId, objectorOrgId: c.bidders[0]!.organizationId },
    });

    const answer = (id: string) =>
      respond(() =>
        objectionAction(
          args(
            post(`/objections/${id}`, c.agent, {
              answer: "经复核，项目经理已于投标前解除原项目任职，评标结果维持。",
              deadlineAction: "move",
              newDeadline: "2099-01-01T09:00",
            }),
            {
              objectionId: id,
            },
          ),
        ),
      );
    expect((await answer(objection.id)).status).toBe(200);
    expect((await db().tender.findUniqueOrThrow({ where: { id: c.tenderId } })).status).toBe("SUSPENDED");
    expect((await answer(second.id)).status).toBe(200);
    const after = await db().tender.findUniqueOrThrow({ where: { id: c.tenderId } });
    expect(after.status).toBe("PUBLICITY");
    // No deadline action on a result objection: the bid deadline stays, whatever the form said.
    expect(after.bidDeadline?.toISOString()).toBe(bidDeadline?.toISOString());
    const answered = await db().objection.findUniqueOrThrow({ where: { id: objection.id } });
    expect(answered).toMatchObject({ status: "ANSWERED", deadlineAction: null, newDeadline: null });
    expect(await openObjectionCount(c.tenderId)).toBe(0);
    expect((await db().deadlineClock.findUniqueOrThrow({ where: { id: answerClock.id } })).stopReason).toBe("met");
  });

  it("refuses an objection to the result before the candidates are published and after the window, with the article, audited", async () => {
    const c = await signedReportTender({ reportSignedAt: new Date(Date.now() - HOUR) });
    const before = await fileResultObjection(c.bidders[0]!, c.tenderId);
    expect(((await before.json()) as Refused).refusal?.code).toBe("remedies.refusal.notInPublicity");
    expect((await publish(c, c.agent, { endsAt: lawfulEnd() })).status).toBe(200);
    const row = await db().candidatePublicity.findUniqueOrThrow({ where: { tenderId: c.tenderId } });

    await moveClockTo(row.endsAt.getTime() + 60_000, c.bidders[0]!);
    const late = await fileResultObjection(c.bidders[0]!, c.tenderId);
    expect(late.status).toBe(409);
    expect(((await late.json()) as Refused).refusal).toMatchObject({
      code: "tender.errors.OBJECTION.OUTSIDE_PUBLICITY",
      article: "Regs Art 54",
      params: { end: row.endsAt.toISOString() },
    });
    const [audit] = await audits(c.tenderId, "objection.refused");
    expect(audit?.data).toMatchObject({
      target: "result",
      code: "tender.errors.OBJECTION.OUTSIDE_PUBLICITY",
      article: "Regs Art 54",
    });
    expect(await db().objection.count({ where: { tenderId: c.tenderId } })).toBe(0);
    expect((await db().tender.findUniqueOrThrow({ where: { id: c.tenderId } })).status).toBe("PUBLICITY");
    // The public notice says objections are closed.
    const notice = (await (
      await respond(() => candidatesLoader(args(get(`/tenders/${c.tenderId}/candidates`), { tenderId: c.tenderId })))
    ).json()) as { notice: { objectionsOpen: boolean } };
    expect(notice.notice.objectionsOpen).toBe(false);
  });

  it("publishing opens a real draw's verification: draw.json is published with the seed and pool", async () => {
    const c = await signedReportTender({ reportSignedAt: new Date(Date.now() - HOUR) });
    // Replace the fixture's committee by a real draw from the pool (as experts-routes does it).
    await db().committeeRequest.deleteMany({ where: { tenderId: c.tenderId } });
    const code = `R${String(randomInt(10_000)).padStart(4, "0")}`;
    for (const [level, own, parent] of [
      [1, "R", null],
      [2, code.slice(0, 3), "R"],
      [3, code, code.slice(0, 3)],
    ] as const)
      await db().expertSpecialty.upsert({
        where: { code: own },
        update: {},
        create: { code: own, level, parentCode: parent, nameZh: "抽取测试", nameEn: "Draw test" },
      });
    for (let i = 0; i < 7; i++) {
      const e = await makeActor("EXPERT", "EXPERT_EMPLOYER");
      await db().expert.create({
        data: {
          userId: e.userId,
          name: `抽取专家${randomBytes(2).toString("hex")}`,
          idNumberHash: randomBytes(32).toString("hex"),
          employerOrgId: e.organizationId,
          title: "高工",
          yearsOfPractice: 10,
          region: "明州",
          phone: "13800000000",
          status: "APPROVED",
          specialties: { create: { specialtyCode: code } },
        },
      });
    }
    // The request is made while bidding is closed (before the opening), as in the real order.
    await db().tender.update({ where: { id: c.tenderId }, data: { status: "BIDDING_CLOSED" } });
    const user = (a: Actor, role: "AGENT" | "SUPERVISOR") => ({
      id: a.userId,
      email: "",
      name: "",
      role,
      organizationId: a.organizationId,
      organizationName: null,
    });
    const submitted = await submitCommitteeRequest(user(c.agent, "AGENT"), c.tenderId, {
      requirements: [{ specialty: code, count: 5, reserves: 2 }],
      representativeIds: [],
      evaluationStart: toBeijingLocal(new Date(Date.now() + 3 * HOUR)),
      drawLeadHours: 24,
      confirmWindowMinutes: 15,
    });
    expect(submitted).toMatchObject({ ok: true });
    const request = await db().committeeRequest.findFirstOrThrow({ where: { tenderId: c.tenderId } });
    expect(
      await decideCommitteeRequest(user(c.supervisor, "SUPERVISOR"), request.id, { approve: true, note: "同意" }),
    ).toMatchObject({
      ok: true,
    });
    expect((await runDraw(request.id)).drawn).toBe(true);
    await db().tender.update({ where: { id: c.tenderId }, data: { status: "OPENED" } });

    const draw = async () =>
      (await (await respond(() => drawJson(args(get(`/tenders/${c.tenderId}/draw.json`), { tenderId: c.tenderId })))).json()) as {
        state: string;
        draw?: { secretHex: string };
      };
    expect((await draw()).state).toBe("drawn");
    expect((await publish(c, c.agent, { endsAt: lawfulEnd() })).status).toBe(200);
    const after = await draw();
    expect(after.state).toBe("published");
    expect(after.draw?.secretHex).toMatch(/^[0-9a-f]{64}$/);
  });
});
