import { z } from "zod";
import { checkComplaintFiling, pausedWorkingDays, type ComplaintMatter, type WorkingCalendar } from "../../../bidding-core/index";
import { appendAudit } from "../../platform/audit/audit.server.ts";
import { AUDIT_SUBJECT } from "../../platform/audit/subjects.ts";
import type { SessionUser } from "../../platform/auth/auth.server.ts";
import { now } from "../../platform/clock.server.ts";
import { refuse as refuseWith, refusalFromDomain, type Outcome, type Refused } from "../../platform/refusal.ts";
import { db, type Tx } from "../../platform/db.server.ts";
import { invalidatePublicTender } from "../../platform/public-cache.server.ts";
import * as storage from "../../platform/storage.server.ts";
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
import {
  isSuspendedBy,
  liftSuspension,
  priorObjection,
  storeAttachment,
  suspendProcedure,
  type Attachment,
} from "../objections/index.ts";
import { parseBeijingLocal } from "../tenders/index.ts";
import { MATTERS } from "./matters.ts";

/**
 * Complaints (投诉) to the supervising department (Regs Arts 60-62): filed by a bidder within 10
 * days of knowing (after the required prior objection), accepted or not within 3 working days,
 * decided within 30 working days with the clock stopped for inspections and expert appraisals;
 * the supervisor may suspend the procedure; every acceptance refusal and decision is published
 * on the tender's notice page. The supervising department is the tender's assigned supervisors.
 */

export const ComplaintFormSchema = z.object({
  matter: z.enum(MATTERS),
  objectionId: z
    .string()
    .uuid()
    .optional()
    .or(z.literal("").transform(() => undefined)),
  knownAt: z.string().refine((v) => parseBeijingLocal(v) !== null, "badDate"),
  reasons: z.string().trim().min(10, "reasonsTooShort").max(20_000),
});

export const SupervisorActionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("accept") }),
  z.object({ intent: z.literal("not-accept"), reason: z.string().trim().min(5, "reasonTooShort").max(5_000) }),
  z.object({ intent: z.literal("pause"), reason: z.enum(["inspection", "appraisal"]) }),
  z.object({ intent: z.literal("resume-clock") }),
  z.object({ intent: z.literal("suspend-procedure") }),
  z.object({ intent: z.literal("lift-procedure") }),
  z.object({
    intent: z.literal("decide"),
    decision: z.enum(["upheld", "dismissed"]),
    text: z.string().trim().min(10, "decisionTooShort").max(20_000),
  }),
]);

/** Refusals are the platform's one shape (decision 062): `tender.errors.<CODE>` for the law, `remedies.refusal.<key>` otherwise. */
export type ComplaintResult<T> = Outcome<T>;

function refuse(key: string, status = 409): Refused {
  return refuseWith(`remedies.refusal.${key}`, status);
}

/** Regs Art 60: files a complaint, or refuses it (audited) citing the article. */
export async function fileComplaint(
  user: SessionUser,
  tenderId: string,
  input: z.infer<typeof ComplaintFormSchema>,
  attachment: Attachment | null,
): Promise<ComplaintResult<{ id: string; acceptanceDue: Date; provisional: boolean }>> {
  const discard = async () => (attachment ? storage.discard(attachment.staged) : undefined);
  const outcome = await fileChecked(user, tenderId, input, attachment);
  if (!outcome.ok) await discard();
  return outcome;
}

async function fileChecked(
  user: SessionUser,
  tenderId: string,
  input: z.infer<typeof ComplaintFormSchema>,
  attachment: Attachment | null,
): Promise<ComplaintResult<{ id: string; acceptanceDue: Date; provisional: boolean }>> {
  if (user.role !== "BIDDER" || !user.organizationId) return refuse("notBidder", 403);
  const tender = await db().tender.findUnique({
    where: { id: tenderId },
    select: { id: true, code: true, title: true, status: true },
  });
  if (!tender || tender.status === "DRAFT") return refuse("notFound", 404);
  const at = now();
  const knownAt = parseBeijingLocal(input.knownAt)!;
  if (knownAt.getTime() > at.getTime()) return refuse("knownInFuture", 400);
  const objection = input.objectionId ? await priorObjection(input.objectionId, user.organizationId, tenderId) : null;
  if (input.objectionId && (!objection || objection.target !== input.matter)) return refuse("objectionMismatch", 400);
  const calendar = await loadCalendar();
  const check = checkComplaintFiling({ filedAt: at, knownAt, matter: input.matter as ComplaintMatter, objection, calendar });
  if (!check.ok) {
    await appendAudit({
      actorId: user.id,
      action: "complaint.refused",
      subjectType: AUDIT_SUBJECT.Tender,
      subjectId: tenderId,
      data: {
        code: check.error.code,
        article: check.error.article,
        matter: input.matter,
        knownAt: knownAt.toISOString(),
        ...check.error.params,
      },
    });
    return refusalFromDomain(check.error, "tender.errors", 409);
  }
  const pushes: string[] = [];
  const { id, clock } = await db().$transaction(async (tx) => {
    const row = await tx.complaint.create({
      data: {
        tenderId,
        complainantOrgId: user.organizationId!,
        complainantUserId: user.id,
        matter: input.matter,
        objectionId: objection?.id ?? null,
        knownAt,
        filedAt: at,
        reasons: input.reasons,
      },
      select: { id: true },
    });
    if (attachment) await storeAttachment(tx, { complaintId: row.id }, attachment, at);
    const clock = await openClock(
      tx,
      {
        tenderId,
        kind: "complaint-acceptance",
        subjectType: AUDIT_SUBJECT.Complaint,
        subjectId: row.id,
        startedAt: at,
        basis: { kind: "working-days", days: 3, pausedWorkingDays: 0 },
        concernedUserIds: [user.id],
      },
      calendar,
    );
    await appendAudit(
      {
        actorId: user.id,
        action: "complaint.filed",
        subjectType: AUDIT_SUBJECT.Complaint,
        subjectId: row.id,
        data: {
          tenderId,
          matter: input.matter,
          objectionId: objection?.id ?? null,
          knownAt: knownAt.toISOString(),
          filingDeadline: check.value.filingDeadline.value.toISOString(),
          acceptanceDue: clock.dueAt.toISOString(),
          provisional: clock.provisional,
        },
      },
      tx,
    );
    pushes.push(
      ...(await writeNotifications(tx, await supervisorUserIds(tx, tenderId), {
        kind: "complaint.filed",
        title: tender.code,
        params: { code: tender.code, tender: tender.title, due: clock.dueAt.toISOString(), provisional: clock.provisional },
        link: `/complaints/${row.id}`,
      })),
    );
    return { id: row.id, clock };
  });
  await scheduleClockTimers([clock]);
  pushNotifications(pushes, "complaint.filed");
  return { ok: true, value: { id, acceptanceDue: clock.dueAt, provisional: clock.provisional } };
}

type Loaded = { id: string; tenderId: string; status: string; complainantUserId: string; acceptanceAt: Date | null };

/** One supervisor action on a complaint of a tender they are assigned to. */
export async function actOnComplaint(
  user: SessionUser,
  complaintId: string,
  input: z.infer<typeof SupervisorActionSchema>,
): Promise<ComplaintResult<{ status: string }>> {
  const calendar = await loadCalendar();
  const timers: ClockTimes[] = [];
  const pushes: string[] = [];
  const result = await db().$transaction(async (tx): Promise<ComplaintResult<{ status: string; tenderId: string }>> => {
    const c = await tx.complaint.findUnique({
      where: { id: complaintId },
      select: { id: true, tenderId: true, status: true, complainantUserId: true, acceptanceAt: true },
    });
    if (!c) return refuse("notFound", 404);
    await tx.$queryRaw`SELECT id FROM tender WHERE id = ${c.tenderId}::uuid FOR UPDATE`;
    if (user.role !== "SUPERVISOR" || !(await supervisorUserIds(tx, c.tenderId)).includes(user.id))
      return refuse("notSupervisor", 403);
    const step = await applyAction(tx, user, c, input, calendar, timers);
    if (!step.ok) return step;
    await appendAudit(
      {
        actorId: user.id,
        action: `complaint.${input.intent}`,
        subjectType: AUDIT_SUBJECT.Complaint,
        subjectId: c.id,
        data: { tenderId: c.tenderId, ...step.value.audit },
      },
      tx,
    );
    if (step.value.notify) {
      const tender = await tx.tender.findUniqueOrThrow({ where: { id: c.tenderId }, select: { code: true, title: true } });
      const users = [c.complainantUserId, ...(step.value.notify === "all" ? await agentUserIds(tx, c.tenderId) : [])];
      pushes.push(
        ...(await writeNotifications(tx, users, {
          kind: `complaint.${input.intent}`,
          title: tender.code,
          params: { code: tender.code, tender: tender.title, ...step.value.audit },
          link: `/complaints/${c.id}`,
        })),
      );
    }
    return { ok: true, value: { status: step.value.status, tenderId: c.tenderId } };
  });
  if (!result.ok) return result;
  await scheduleClockTimers(timers);
  await invalidatePublicTender(result.value.tenderId);
  pushNotifications(pushes, `complaint.${input.intent}`);
  return { ok: true, value: { status: result.value.status } };
}

type Step = Outcome<{ status: string; audit: Record<string, string | number | boolean>; notify: "complainant" | "all" | null }>;

async function applyAction(
  tx: Tx,
  user: SessionUser,
  c: Loaded,
  input: z.infer<typeof SupervisorActionSchema>,
  calendar: WorkingCalendar,
  timers: ClockTimes[],
): Promise<Step> {
  const at = now();
  const key = (kind: "complaint-acceptance" | "complaint-decision") => ({
    kind,
    subjectType: AUDIT_SUBJECT.Complaint,
    subjectId: c.id,
  });
  switch (input.intent) {
    case "accept":
    case "not-accept": {
      if (c.status !== "RECEIVED") return refuse("acceptanceDecided");
      await stopClock(tx, key("complaint-acceptance"), "met");
      if (input.intent === "not-accept") {
        await tx.complaint.update({
          where: { id: c.id },
          data: { status: "NOT_ACCEPTED", acceptanceAt: at, acceptanceById: user.id, notAcceptedReason: input.reason },
        });
        return { ok: true, value: { status: "NOT_ACCEPTED", audit: { reason: input.reason }, notify: "all" } };
      }
      await tx.complaint.update({ where: { id: c.id }, data: { status: "ACCEPTED", acceptanceAt: at, acceptanceById: user.id } });
      const clock = await openClock(
        tx,
        {
          tenderId: c.tenderId,
          ...key("complaint-decision"),
          startedAt: at,
          basis: { kind: "working-days", days: 30, pausedWorkingDays: 0 },
          concernedUserIds: [c.complainantUserId],
        },
        calendar,
      );
      timers.push(clock);
      return {
        ok: true,
        value: {
          status: "ACCEPTED",
          audit: { decisionDue: clock.dueAt.toISOString(), provisional: clock.provisional },
          notify: "all",
        },
      };
    }
    case "pause": {
      if (c.status !== "ACCEPTED") return refuse("notAccepted");
      if ((await tx.complaintPause.count({ where: { complaintId: c.id, toAt: null } })) > 0) return refuse("alreadyPaused");
      await tx.complaintPause.create({ data: { complaintId: c.id, reason: input.reason, fromAt: at } });
      await stopClock(tx, key("complaint-decision"), "paused");
      return { ok: true, value: { status: c.status, audit: { reason: input.reason }, notify: "complainant" } };
    }
    case "resume-clock": {
      const open = await tx.complaintPause.findFirst({ where: { complaintId: c.id, toAt: null }, select: { id: true } });
      if (!open || !c.acceptanceAt) return refuse("notPaused");
      await tx.complaintPause.update({ where: { id: open.id }, data: { toAt: at } });
      const pauses = await tx.complaintPause.findMany({ where: { complaintId: c.id }, select: { fromAt: true, toAt: true } });
      const paused = pausedWorkingDays(
        pauses.map((p) => ({ from: p.fromAt, to: p.toAt ?? at })),
        calendar,
      );
      const clock = await openClock(
        tx,
        {
          tenderId: c.tenderId,
          ...key("complaint-decision"),
          startedAt: c.acceptanceAt,
          basis: { kind: "working-days", days: 30, pausedWorkingDays: paused },
          concernedUserIds: [c.complainantUserId],
        },
        calendar,
      );
      timers.push(clock);
      return {
        ok: true,
        value: {
          status: c.status,
          audit: { pausedWorkingDays: paused, decisionDue: clock.dueAt.toISOString() },
          notify: "complainant",
        },
      };
    }
    case "suspend-procedure": {
      if (c.status !== "ACCEPTED" && c.status !== "RECEIVED") return refuse("notOpen");
      if (await isSuspendedBy(tx, "complaint", c.id)) return refuse("alreadySuspended");
      const tender = await tx.tender.findUniqueOrThrow({ where: { id: c.tenderId }, select: { id: true, status: true } });
      if (["DRAFT", "CANCELLED", "AWARDED", "FAILED", "RETENDERED"].includes(tender.status)) return refuse("cannotSuspend");
      await suspendProcedure(tx, tender, "complaint", c.id, at);
      return { ok: true, value: { status: c.status, audit: { suspended: true }, notify: "all" } };
    }
    case "lift-procedure": {
      const lifted = await liftSuspension(tx, c.tenderId, "complaint", c.id, at);
      if (!lifted.startedAt) return refuse("notSuspended");
      return { ok: true, value: { status: c.status, audit: { resumed: lifted.resumed ?? "still-suspended" }, notify: "all" } };
    }
    case "decide": {
      if (c.status !== "ACCEPTED") return refuse("notAccepted");
      if ((await tx.complaintPause.count({ where: { complaintId: c.id, toAt: null } })) > 0) return refuse("stillPaused");
      await tx.complaint.update({
        where: { id: c.id },
        data: { status: "DECIDED", decision: input.decision, decisionText: input.text, decidedAt: at, decidedById: user.id },
      });
      await stopClock(tx, key("complaint-decision"), "met");
      const lifted = await liftSuspension(tx, c.tenderId, "complaint", c.id, at);
      return {
        ok: true,
        value: { status: "DECIDED", audit: { decision: input.decision, resumed: lifted.resumed ?? "none" }, notify: "all" },
      };
    }
  }
}

export interface ComplaintView {
  id: string;
  tenderId: string;
  tenderCode: string;
  tenderTitle: string;
  complainantName: string;
  matter: string;
  objectionId: string | null;
  knownAt: string;
  filedAt: string;
  reasons: string;
  status: string;
  acceptanceAt: string | null;
  notAcceptedReason: string | null;
  decision: string | null;
  decisionText: string | null;
  decidedAt: string | null;
  paused: boolean;
  procedureSuspended: boolean;
  clocks: {
    kind: string;
    dueAt: string;
    provisional: boolean;
    provisionalYears: number[];
    stoppedAt: string | null;
    stopReason: string | null;
  }[];
  attachments: { id: string; fileName: string }[];
  viewerIsSupervisor: boolean;
}

async function maySee(
  user: SessionUser,
  c: { tenderId: string; complainantOrgId: string },
): Promise<{ see: boolean; supervisor: boolean }> {
  if (user.role === "ADMIN") return { see: true, supervisor: false };
  if (user.role === "BIDDER") return { see: user.organizationId === c.complainantOrgId, supervisor: false };
  return db().$transaction(async (tx) => {
    if (user.role === "SUPERVISOR") {
      const ok = (await supervisorUserIds(tx, c.tenderId)).includes(user.id);
      return { see: ok, supervisor: ok };
    }
    return { see: user.role === "AGENT" && (await agentUserIds(tx, c.tenderId)).includes(user.id), supervisor: false };
  });
}

export async function getComplaint(user: SessionUser, id: string): Promise<ComplaintView | null> {
  const c = await db().complaint.findUnique({
    where: { id },
    include: { attachments: { select: { id: true, fileName: true } }, pauses: { where: { toAt: null }, select: { id: true } } },
  });
  if (!c) return null;
  const access = await maySee(user, c);
  if (!access.see) return null;
  const [tender, org, clocks, suspended] = await Promise.all([
    db().tender.findUniqueOrThrow({ where: { id: c.tenderId }, select: { code: true, title: true } }),
    db().organization.findUnique({ where: { id: c.complainantOrgId }, select: { name: true } }),
    clocksOf(AUDIT_SUBJECT.Complaint, [c.id]),
    db().$transaction((tx) => isSuspendedBy(tx, "complaint", c.id)),
  ]);
  return {
    id: c.id,
    tenderId: c.tenderId,
    tenderCode: tender.code,
    tenderTitle: tender.title,
    complainantName: org?.name ?? "",
    matter: c.matter,
    objectionId: c.objectionId,
    knownAt: c.knownAt.toISOString(),
    filedAt: c.filedAt.toISOString(),
    reasons: c.reasons,
    status: c.status,
    acceptanceAt: c.acceptanceAt?.toISOString() ?? null,
    notAcceptedReason: c.notAcceptedReason,
    decision: c.decision,
    decisionText: c.decisionText,
    decidedAt: c.decidedAt?.toISOString() ?? null,
    paused: c.pauses.length > 0,
    procedureSuspended: suspended,
    clocks: clocks.map((k) => ({
      kind: k.kind,
      dueAt: k.dueAt.toISOString(),
      provisional: k.provisional,
      provisionalYears: k.provisionalYears,
      stoppedAt: k.stoppedAt?.toISOString() ?? null,
      stopReason: k.stopReason,
    })),
    attachments: c.attachments,
    viewerIsSupervisor: access.supervisor,
  };
}

/** The complaints a supervisor handles (their assigned tenders) or a bidder filed. */
export async function listComplaints(user: SessionUser) {
  const where =
    user.role === "BIDDER"
      ? { complainantOrgId: user.organizationId ?? "-" }
      : user.role === "ADMIN"
        ? {}
        : {
            tenderId: {
              in: (await db().tenderSupervisor.findMany({ where: { userId: user.id }, select: { tenderId: true } })).map(
                (t) => t.tenderId,
              ),
            },
          };
  const rows = await db().complaint.findMany({
    where,
    orderBy: { filedAt: "desc" },
    take: 200,
    select: { id: true, tenderId: true, matter: true, status: true, filedAt: true },
  });
  const tenders = await db().tender.findMany({
    where: { id: { in: rows.map((r) => r.tenderId) } },
    select: { id: true, code: true, title: true },
  });
  const clocks = await clocksOf(
    AUDIT_SUBJECT.Complaint,
    rows.map((r) => r.id),
  );
  return rows.map((r) => {
    const open = clocks.find((k) => k.subjectId === r.id && !k.stoppedAt);
    return {
      ...r,
      filedAt: r.filedAt.toISOString(),
      tenderCode: tenders.find((t) => t.id === r.tenderId)?.code ?? "",
      tenderTitle: tenders.find((t) => t.id === r.tenderId)?.title ?? "",
      dueAt: open?.dueAt.toISOString() ?? null,
      dueKind: open?.kind ?? null,
      provisional: open?.provisional ?? false,
    };
  });
}

/** Published outcomes (Regs Art 61): decisions and refusals to accept, without the complainant's name. */
export async function publicComplaintDecisions(tenderId: string) {
  const rows = await db().complaint.findMany({
    where: { tenderId, status: { in: ["DECIDED", "NOT_ACCEPTED"] } },
    orderBy: { filedAt: "asc" },
    select: {
      id: true,
      matter: true,
      status: true,
      filedAt: true,
      acceptanceAt: true,
      notAcceptedReason: true,
      decision: true,
      decisionText: true,
      decidedAt: true,
    },
  });
  return rows.map((r) => ({
    id: r.id,
    matter: r.matter,
    status: r.status,
    filedAt: r.filedAt.toISOString(),
    acceptanceAt: r.acceptanceAt?.toISOString() ?? null,
    notAcceptedReason: r.notAcceptedReason,
    decision: r.decision,
    decisionText: r.decisionText,
    decidedAt: r.decidedAt?.toISOString() ?? null,
  }));
}

export async function complaintAttachment(user: SessionUser, attachmentId: string) {
  const a = await db().remedyAttachment.findUnique({
    where: { id: attachmentId },
    select: { fileName: true, storageKey: true, complaint: { select: { tenderId: true, complainantOrgId: true } } },
  });
  if (!a?.complaint || !(await maySee(user, a.complaint)).see) return null;
  return { fileName: a.fileName, storageKey: a.storageKey };
}
