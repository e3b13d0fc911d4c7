import { z } from "zod";
import { Prisma } from "../../generated/prisma/client.ts";
import {
  checkPublicity,
  checkResultObjection,
  committeeListDisclosable,
  defaultProcedureRules,
  minimumPublicity,
  type ProcurementType,
  type TenderStatus as CoreStatus,
} from "../../../bidding-core/index";
import type { TenderStatus } from "../../generated/prisma/enums.ts";
import { appendAudit } from "../../platform/audit/audit.server.ts";
import { AUDIT_SUBJECT } from "../../platform/audit/subjects.ts";
import type { SessionUser } from "../../platform/auth/auth.server.ts";
import { now } from "../../platform/clock.server.ts";
import { db, publicDb, type Tx } from "../../platform/db.server.ts";
import { invalidatePublicTender } from "../../platform/public-cache.server.ts";
import { refuse, refusalFromDomain, type Outcome, type Refused } from "../../platform/refusal.ts";
import { loadCalendar } from "../calendar/index.ts";
import {
  agentUserIds,
  clocksOf,
  openClock,
  pushNotifications,
  scheduleClockTimers,
  stopClock,
  supervisorUserIds,
  writeNotifications,
  type ClockTimes,
} from "../clocks/index.ts";
import { reportSha256 } from "../evaluation/index.ts";
import { fixCommitteeResult } from "../experts/index.ts";
import {
  raiseObjection,
  type Attachment,
  type ObjectionFormSchema,
  type ObjectionResult,
  type ObjectionWindow,
} from "../objections/index.ts";
import { applyEvent, parseBeijingLocal } from "../tenders/index.ts";
import {
  publicityContent,
  StoredCandidates,
  StoredCommittee,
  StoredRejected,
  type PublicityContent,
} from "./publicity-content.ts";

/**
 * 中标候选人公示 (Regs Art 54; decision 113). The signed evaluation report opens the agent's
 * `publish-candidates` clock (3 days); the agent publishes the candidates for at least 3 full
 * days: one transaction freezes the notice in `candidate_publicity`, moves the tender to
 * PUBLICITY, meets the clock and audits it; then the committee's draw is published (TBL Art 37,
 * the result fixed). During the window a bidder of the tender may object (decision 112's
 * mechanism, target "result"); the objection suspends the procedure until the agent answers.
 */

const SUBJECT = AUDIT_SUBJECT.CandidatePublicity;

function refusal(key: string, status = 409): Refused {
  return refuse(`publicity.refusal.${key}`, status);
}

function rulesOf(tender: { procedureType: string; mandatory: boolean }) {
  return defaultProcedureRules(tender.procedureType.toLowerCase() as ProcurementType, tender.mandatory);
}

const TENDER_SELECT = {
  id: true,
  code: true,
  title: true,
  status: true,
  procedureType: true,
  mandatory: true,
  docsIssueAt: true,
  docsAvailableUntil: true,
  bidDeadline: true,
  qualificationRequirements: true,
  readOutItems: true,
} as const;

/**
 * Opens the `publish-candidates` clock of every tender whose report is signed and whose
 * candidates are not yet published (or of `tenderIds` only): started when the report was
 * issued, so a late sweep counts from the same instant. Idempotent (a clock already there is
 * kept). The results sweep runs it each minute; the agent's page runs it for its tender.
 */
export async function openPublishClocks(tenderIds?: readonly string[]): Promise<ClockTimes[]> {
  if (tenderIds && tenderIds.length === 0) return [];
  // Only reports not yet published and without the clock: a backlog of published tenders does not crowd out the rest.
  const todo = await db().$queryRaw<{ tenderId: string; reportSignedAt: Date }[]>`
    SELECT s.tender_id::text AS "tenderId", s.report_signed_at AS "reportSignedAt"
    FROM evaluation_session s
    WHERE s.report_signed_at IS NOT NULL
      ${tenderIds ? Prisma.sql`AND s.tender_id = ANY(${[...tenderIds]}::uuid[])` : Prisma.empty}
      AND NOT EXISTS (SELECT 1 FROM candidate_publicity p WHERE p.tender_id = s.tender_id)
      AND NOT EXISTS (
        SELECT 1 FROM deadline_clock c
        WHERE c.kind = 'publish-candidates' AND c.subject_type = ${SUBJECT} AND c.subject_id = s.tender_id
      )
    ORDER BY s.report_signed_at DESC
    LIMIT 500`;
  if (todo.length === 0) return [];
  const calendar = await loadCalendar();
  const opened: ClockTimes[] = [];
  for (const s of todo) {
    const clock = await db().$transaction(async (tx) => {
      // Serialised with publishCandidates, which meets the clock under the same lock: checked again
      // under it, so a clock the publication just met is never reopened (openClock would reset it).
      await tx.$queryRaw`SELECT id FROM tender WHERE id = ${s.tenderId}::uuid FOR UPDATE`;
      const tender = await tx.tender.findUnique({
        where: { id: s.tenderId },
        select: { status: true, procedureType: true, mandatory: true },
      });
      if (!tender || !["OPENED", "EVALUATING", "SUSPENDED"].includes(tender.status)) return null;
      const existing = await tx.deadlineClock.count({
        where: { kind: "publish-candidates", subjectType: SUBJECT, subjectId: s.tenderId },
      });
      if (existing > 0) return null;
      if ((await tx.candidatePublicity.count({ where: { tenderId: s.tenderId } })) > 0) return null;
      // The row is the record (decision 111), as the clocks sweep keeps it: no audit entry each sweep.
      return openClock(
        tx,
        {
          tenderId: s.tenderId,
          kind: "publish-candidates",
          subjectType: SUBJECT,
          subjectId: s.tenderId,
          startedAt: s.reportSignedAt,
          basis: { kind: "within-days", days: rulesOf(tender).publishCandidatesWithinDays },
          concernedUserIds: await agentUserIds(tx, s.tenderId),
        },
        calendar,
      );
    });
    if (clock) opened.push(clock);
  }
  await scheduleClockTimers(opened);
  return opened;
}

/** What the agent's page shows before (and after) publishing. */
export interface PublicityDraft {
  tender: { id: string; code: string; title: string; status: TenderStatus };
  reportSigned: boolean;
  reportReceivedAt: string | null;
  content: PublicityContent | null;
  readOutLabels: Record<string, string>;
  publishBy: { at: string; provisional: boolean; provisionalYears: number[] } | null;
  /** The shortest lawful window if it started now (Regs Art 54), for the form's default. */
  minimumEnd: string;
  published: PublishedPublicity | null;
}

export interface PublishedPublicity {
  publishedAt: string;
  startsAt: string;
  endsAt: string;
  remarks: string;
  content: PublicityContent;
}

/** The agent staff of the tender only; null when the tender is not theirs (the route answers 404). */
export async function publicityDraft(user: SessionUser, tenderId: string): Promise<PublicityDraft | null> {
  if (!z.string().uuid().safeParse(tenderId).success || user.role !== "AGENT") return null;
  const tender = await db().tender.findUnique({ where: { id: tenderId }, select: TENDER_SELECT });
  if (!tender || !(await db().$transaction((tx) => agentUserIds(tx, tenderId))).includes(user.id)) return null;
  await openPublishClocks([tenderId]);
  const [session, row, clocks] = await Promise.all([
    db().evaluationSession.findUnique({ where: { tenderId }, select: { report: true, reportSignedAt: true } }),
    db().candidatePublicity.findUnique({ where: { tenderId } }),
    clocksOf(SUBJECT, [tenderId]),
  ]);
  const clock = clocks.find((c) => c.kind === "publish-candidates");
  const signed = Boolean(session?.reportSignedAt && session.report);
  return {
    tender: { id: tender.id, code: tender.code, title: tender.title, status: tender.status },
    reportSigned: signed,
    reportReceivedAt: session?.reportSignedAt?.toISOString() ?? null,
    content: signed ? await contentOf(db(), tender, session!.report) : null,
    readOutLabels: readOutLabels(tender.readOutItems),
    publishBy: clock
      ? { at: clock.dueAt.toISOString(), provisional: clock.provisional, provisionalYears: clock.provisionalYears }
      : null,
    minimumEnd: minimumPublicity(now(), rulesOf(tender)).end.toISOString(),
    published: row ? toPublished(row) : null,
  };
}

type Reader = Pick<Tx, "openingBid" | "committeeRequest" | "committeeSeat" | "expertSpecialty">;

async function contentOf(
  client: Reader,
  tender: { id: string; qualificationRequirements: unknown },
  report: unknown,
): Promise<PublicityContent | null> {
  const [opened, request] = await Promise.all([
    client.openingBid.findMany({
      where: { session: { tenderId: tender.id } },
      select: { organizationId: true, readOut: true },
    }),
    client.committeeRequest.findFirst({
      where: { tenderId: tender.id, status: "DRAWN" },
      orderBy: { createdAt: "desc" },
      select: { id: true, representativeIds: true },
    }),
  ]);
  const seats = request
    ? await client.committeeSeat.findMany({
        where: { requestId: request.id },
        select: { specialty: true, expert: { select: { userId: true } } },
      })
    : [];
  const names = new Map(
    (
      await client.expertSpecialty.findMany({
        where: { code: { in: [...new Set(seats.map((s) => s.specialty))] } },
        select: { code: true, nameZh: true },
      })
    ).map((s) => [s.code, s.nameZh]),
  );
  const criteria = z
    .array(z.object({ id: z.string(), text: z.string() }))
    .catch([])
    .parse(tender.qualificationRequirements);
  return publicityContent({
    report,
    readOuts: new Map(
      opened.map((b) => [
        b.organizationId,
        Object.fromEntries(Object.entries((b.readOut ?? {}) as Record<string, unknown>).map(([k, v]) => [k, String(v)])),
      ]),
    ),
    criteria: new Map(criteria.map((c) => [c.id, c.text])),
    specialties: new Map(seats.map((s) => [s.expert.userId, names.get(s.specialty) ?? s.specialty])),
    representativeIds: new Set(request?.representativeIds ?? []),
  });
}

/** The tender's 唱标 items' labels by key (the price is its own column). */
function readOutLabels(items: unknown): Record<string, string> {
  const parsed = z
    .array(z.object({ key: z.string(), label: z.string() }))
    .catch([])
    .parse(items);
  return Object.fromEntries(parsed.map((i) => [i.key, i.label]));
}

function toPublished(row: {
  publishedAt: Date;
  startsAt: Date;
  endsAt: Date;
  remarks: string;
  candidates: unknown;
  rejected: unknown;
  committee: unknown;
}): PublishedPublicity {
  return {
    publishedAt: row.publishedAt.toISOString(),
    startsAt: row.startsAt.toISOString(),
    endsAt: row.endsAt.toISOString(),
    remarks: row.remarks,
    content: {
      candidates: StoredCandidates.parse(row.candidates),
      rejected: StoredRejected.parse(row.rejected),
      committee: StoredCommittee.parse(row.committee),
    },
  };
}

/** The agent's form: the window in Beijing time (an empty start: now) and remarks. */
export const PublishFormSchema = z.object({
  startsAt: z.string().trim().max(40).optional().default(""),
  endsAt: z.string().trim().min(1, "endsAtRequired").max(40),
  remarks: z.string().trim().max(4000).optional().default(""),
});
export type PublishForm = z.infer<typeof PublishFormSchema>;

/**
 * Publishes the candidates (Regs Art 54). Only the tender's agent staff; the report must be
 * signed; once; not while the procedure is suspended; the window at least 3 full days. Every
 * refusal is audited; on success nothing is written unless all of it is.
 */
export async function publishCandidates(
  user: SessionUser,
  tenderId: string,
  input: PublishForm,
): Promise<Outcome<{ startsAt: Date; endsAt: Date; drawPublished: boolean }>> {
  if (!z.string().uuid().safeParse(tenderId).success) return refusal("notFound", 404);
  const pushes: string[] = [];
  const calendar = await loadCalendar();
  const result = await db().$transaction(async (tx): Promise<Outcome<{ startsAt: Date; endsAt: Date }>> => {
    await tx.$queryRaw`SELECT id FROM tender WHERE id = ${tenderId}::uuid FOR UPDATE`;
    const tender = await tx.tender.findUnique({ where: { id: tenderId }, select: TENDER_SELECT });
    if (!tender) return refusal("notFound", 404);
    const at = now();
    const refused = async (r: Refused) => {
      await appendAudit(
        {
          actorId: user.id,
          action: "results.publish_refused",
          subjectType: AUDIT_SUBJECT.Tender,
          subjectId: tenderId,
          data: {
            code: r.refusal.code,
            ...(r.refusal.article ? { article: r.refusal.article } : {}),
            ...(r.refusal.params ?? {}),
          },
        },
        tx,
      );
      return r;
    };
    if (user.role !== "AGENT" || !(await agentUserIds(tx, tenderId)).includes(user.id)) return refused(refusal("notAgent", 403));
    const session = await tx.evaluationSession.findUnique({
      where: { tenderId },
      select: { report: true, reportSignedAt: true },
    });
    if (!session?.reportSignedAt || !session.report) return refused(refusal("reportNotSigned"));
    if (await tx.candidatePublicity.findUnique({ where: { tenderId }, select: { id: true } }))
      return refused(refusal("alreadyPublished"));
    if (tender.status === "SUSPENDED") return refused(refusal("suspended"));
    const startsAt = input.startsAt ? parseBeijingLocal(input.startsAt) : at;
    const endsAt = parseBeijingLocal(input.endsAt);
    if (!startsAt || !endsAt) return refused(refusal("badTime", 400));
    // A start a minute back is "now" as the agent typed it; earlier would shorten the window already run.
    if (startsAt.getTime() < at.getTime() - 60_000) return refused(refusal("startInPast", 400));
    const rules = rulesOf(tender);
    const window = { start: new Date(Math.max(startsAt.getTime(), at.getTime())), end: endsAt };
    const long = checkPublicity(window, rules);
    if (!long.ok) return refused(refusalFromDomain(long.error, "tender.errors", 409));
    const content = await contentOf(tx, tender, session.report);
    if (!content) return refused(refusal("noCandidates"));
    // The row lags the room (evaluation does not move the status): walk the lifecycle from OPENED.
    let row = { ...tender };
    if (row.status === "OPENED") {
      const started = applyEvent(row, { type: "start-evaluation", committeeValidated: true }, at);
      if (!started.ok) return refused(refusalFromDomain(started.error, "tender.errors", 409));
      row = { ...row, status: started.status };
    }
    const moved = applyEvent(
      row,
      { type: "publish-candidates", candidates: content.candidates.map((c) => c.bidderOrgId), publicity: window },
      at,
    );
    if (!moved.ok) return refused(refusalFromDomain(moved.error, "tender.errors", 409));
    const hash = reportSha256(session.report);
    await tx.candidatePublicity.create({
      data: {
        tenderId,
        reportSha256: hash,
        reportReceivedAt: session.reportSignedAt,
        publishedAt: at,
        publishedById: user.id,
        startsAt: window.start,
        endsAt: window.end,
        candidates: content.candidates as object[],
        rejected: content.rejected as object[],
        committee: content.committee as object[],
        remarks: input.remarks,
      },
    });
    await tx.tender.update({ where: { id: tenderId }, data: { status: moved.status } });
    // Published before a sweep opened its clock: the clock is recorded all the same, and met.
    const clockKey = { kind: "publish-candidates", subjectType: SUBJECT, subjectId: tenderId } as const;
    if ((await tx.deadlineClock.count({ where: clockKey })) === 0)
      await openClock(
        tx,
        {
          tenderId,
          ...clockKey,
          startedAt: session.reportSignedAt,
          basis: { kind: "within-days", days: rules.publishCandidatesWithinDays },
          concernedUserIds: await agentUserIds(tx, tenderId),
        },
        calendar,
      );
    await stopClock(tx, clockKey, "met");
    await appendAudit(
      {
        actorId: user.id,
        action: "results.candidates_published",
        subjectType: AUDIT_SUBJECT.Tender,
        subjectId: tenderId,
        data: {
          reportSha256: hash,
          startsAt: window.start.toISOString(),
          endsAt: window.end.toISOString(),
          candidates: content.candidates.map((c) => ({ rank: c.rank, bidderOrgId: c.bidderOrgId })),
          rejected: content.rejected.map((r) => r.bidderOrgId),
          committee: content.committee.length,
        },
      },
      tx,
    );
    // The bidders hear of it (they may object during the window), and the supervisors.
    const bidders = await tx.user.findMany({
      where: {
        role: "BIDDER",
        disabledAt: null,
        organizationId: {
          in: (await tx.openingBid.findMany({ where: { session: { tenderId } }, select: { organizationId: true } })).map(
            (b) => b.organizationId,
          ),
        },
      },
      select: { id: true },
    });
    pushes.push(
      ...(await writeNotifications(tx, [...bidders.map((b) => b.id), ...(await supervisorUserIds(tx, tenderId))], {
        kind: "publicity.published",
        title: tender.code,
        params: { code: tender.code, tender: tender.title, endsAt: window.end.toISOString() },
        link: `/tenders/${tenderId}/candidates`,
      })),
    );
    return { ok: true, value: { startsAt: window.start, endsAt: window.end } };
  });
  if (!result.ok) return result;
  // TBL Art 37: the result is fixed, the draw's seed and pool are published with the committee.
  const draw = await fixCommitteeResult(tenderId, user.id);
  await invalidatePublicTender(tenderId);
  pushNotifications(pushes, "publicity.published");
  return { ok: true, value: { ...result.value, drawPublished: draw.ok } };
}

/** The public notice (`/tenders/:id/candidates`), read from the public pool (decision 070); null before publication. */
export interface PublicCandidateNotice {
  tender: { id: string; code: string; title: string; status: TenderStatus };
  publishedAt: string;
  startsAt: string;
  endsAt: string;
  remarks: string;
  reportSha256: string;
  candidates: PublicityContent["candidates"];
  rejected: PublicityContent["rejected"];
  /** Empty if the law does not (yet) let the names out. */
  committee: PublicityContent["committee"];
  readOutLabels: Record<string, string>;
  /** Whether an objection may be raised now (inside the window, the tender in publicity). */
  objectionsOpen: boolean;
  drawPublished: boolean;
}

export async function publicCandidateNotice(tenderId: string): Promise<PublicCandidateNotice | null> {
  if (!z.string().uuid().safeParse(tenderId).success) return null;
  const client = publicDb();
  const [row, tender] = await Promise.all([
    client.candidatePublicity.findUnique({ where: { tenderId } }),
    client.tender.findUnique({
      where: { id: tenderId },
      select: { id: true, code: true, title: true, status: true, readOutItems: true },
    }),
  ]);
  if (!row || !tender || row.publishedAt.getTime() > now().getTime()) return null;
  const [suspension, draw] = await Promise.all([
    tender.status === "SUSPENDED"
      ? client.procedureSuspension.findFirst({
          where: { tenderId, liftedAt: null },
          orderBy: { startedAt: "asc" },
          select: { fromStatus: true },
        })
      : null,
    client.committeeRequest.findFirst({
      where: { tenderId, status: "DRAWN" },
      orderBy: { createdAt: "desc" },
      select: { resultFixedAt: true },
    }),
  ]);
  const published = toPublished(row);
  const stage = toCore(tender.status);
  const from = suspension ? toCore(suspension.fromStatus) : undefined;
  const at = now().getTime();
  return {
    tender: { id: tender.id, code: tender.code, title: tender.title, status: tender.status },
    readOutLabels: readOutLabels(tender.readOutItems),
    publishedAt: published.publishedAt,
    startsAt: published.startsAt,
    endsAt: published.endsAt,
    remarks: published.remarks,
    reportSha256: row.reportSha256,
    candidates: published.content.candidates,
    rejected: published.content.rejected,
    committee: committeeListDisclosable(stage, from) ? published.content.committee : [],
    objectionsOpen: at >= row.startsAt.getTime() && at <= row.endsAt.getTime() && (stage === "publicity" || from === "publicity"),
    drawPublished: Boolean(draw?.resultFixedAt),
  };
}

function toCore(status: TenderStatus): CoreStatus {
  return status.toLowerCase().replace("_", "-") as CoreStatus;
}

/** Regs Art 54: an objection to the result is raised inside the publicity window, while the tender is in publicity. */
export function resultObjectionWindow(publicity: { startsAt: Date; endsAt: Date }): ObjectionWindow {
  return (tender, at, rules, calendar) => {
    if (tender.status !== "PUBLICITY" && tender.status !== "SUSPENDED") return refuse("remedies.refusal.notInPublicity", 409);
    const check = checkResultObjection(at, { start: publicity.startsAt, end: publicity.endsAt }, rules, calendar);
    return check.ok ? null : refusalFromDomain(check.error, "tender.errors", 409);
  };
}

/**
 * A bidder's objection to the result (Regs Art 54): only an organisation that bid on this
 * tender, only during the window; then decision 112's one mechanism (suspension, answer clock).
 */
export async function raiseResultObjection(
  user: SessionUser,
  tenderId: string,
  input: z.infer<typeof ObjectionFormSchema>,
  attachment: Attachment | null,
): Promise<ObjectionResult<{ id: string; answerDue: Date; provisional: boolean }>> {
  const publicity = z.string().uuid().safeParse(tenderId).success
    ? await db().candidatePublicity.findUnique({ where: { tenderId }, select: { startsAt: true, endsAt: true } })
    : null;
  if (user.role === "BIDDER" && user.organizationId && publicity) {
    const bid = await db().openingBid.count({ where: { organizationId: user.organizationId, session: { tenderId } } });
    const sealed = await db().bid.count({
      where: { tenderId, organizationId: user.organizationId, status: { not: "WITHDRAWN" } },
    });
    if (bid + sealed === 0) {
      await appendAudit({
        actorId: user.id,
        action: "objection.refused",
        subjectType: AUDIT_SUBJECT.Tender,
        subjectId: tenderId,
        data: { target: "result", code: "remedies.refusal.notTenderBidder", organizationId: user.organizationId },
      });
      return refuse("remedies.refusal.notTenderBidder", 403);
    }
  }
  const window: ObjectionWindow = publicity
    ? resultObjectionWindow(publicity)
    : () => refuse("remedies.refusal.notInPublicity", 409);
  return raiseObjection(user, tenderId, "result", window, input, attachment);
}

/** Whether the tender's objection page offers the result target (the candidates are published). */
export async function resultObjectionTarget(tenderId: string): Promise<{ startsAt: string; endsAt: string } | null> {
  if (!z.string().uuid().safeParse(tenderId).success) return null;
  const row = await db().candidatePublicity.findUnique({ where: { tenderId }, select: { startsAt: true, endsAt: true } });
  return row ? { startsAt: row.startsAt.toISOString(), endsAt: row.endsAt.toISOString() } : null;
}

/** Whether the tender's candidate notice is out (the notice page links it), from the public pool. */
export async function candidateNoticePublished(tenderId: string): Promise<boolean> {
  if (!z.string().uuid().safeParse(tenderId).success) return false;
  return (await publicDb().candidatePublicity.count({ where: { tenderId, publishedAt: { lte: now() } } })) > 0;
}
