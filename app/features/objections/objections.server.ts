import { z } from "zod";
import {
  checkDocumentObjection,
  defaultProcedureRules,
  documentObjectionCutoff,
  type ProcedureRules,
  type ProcurementType,
  type WorkingCalendar,
} from "../../../bidding-core/index";
import type { ProcedureType, TenderStatus } from "../../generated/prisma/enums.ts";
import { appendAudit } from "../../platform/audit/audit.server.ts";
import { AUDIT_SUBJECT } from "../../platform/audit/subjects.ts";
import type { SessionUser } from "../../platform/auth/auth.server.ts";
import { now } from "../../platform/clock.server.ts";
import { refuse as refuseWith, refusalFromDomain, type Outcome, type Refused } from "../../platform/refusal.ts";
import { db, type Tx } from "../../platform/db.server.ts";
import { invalidatePublicTender } from "../../platform/public-cache.server.ts";
import * as storage from "../../platform/storage.server.ts";
import type { StagedFile } from "../../platform/storage.server.ts";
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
import { parseBeijingLocal, scheduleCloseBidding } from "../tenders/index.ts";
import { liftSuspension, suspendProcedure } from "./suspension.server.ts";

/**
 * Objections (异议) to the tenderer, one mechanism for every target (docs/decisions/112). Now:
 * the tender documents (Regs Art 22: raised at least 10 days before the deadline, answered in
 * 3 days, the procedure suspended until then) and the result during the candidate publicity
 * (Regs Art 54: features/results' `resultObjectionWindow`), which reuses filing, answer,
 * suspension and clock; its answer has no deadline action.
 */

export type ObjectionTarget = "tender-documents" | "result";

/** Refusals are the platform's one shape (decision 062): `tender.errors.<CODE>` for the law, `remedies.refusal.<key>` otherwise. */
export type ObjectionResult<T> = Outcome<T>;

export const ObjectionFormSchema = z.object({
  reasons: z.string().trim().min(10, "reasonsTooShort").max(20_000),
});

export const AnswerFormSchema = z
  .object({
    answer: z.string().trim().min(5, "answerTooShort").max(20_000),
    deadlineAction: z.enum(["keep", "extend", "move"]),
    newDeadline: z.string().optional(),
  })
  .refine((v) => v.deadlineAction !== "move" || (v.newDeadline && parseBeijingLocal(v.newDeadline)), {
    message: "newDeadlineRequired",
    path: ["newDeadline"],
  });

export interface Attachment {
  fileName: string;
  staged: StagedFile;
}

const BIDDING_OPEN = ["PUBLISHED", "CLARIFICATION", "SUSPENDED"] as const;

function refuse(key: string, status = 409): Refused {
  return refuseWith(`remedies.refusal.${key}`, status);
}

/** The tender fields a target's window rule reads. */
export interface ObjectionTenderRow {
  id: string;
  code: string;
  title: string;
  status: TenderStatus;
  bidDeadline: Date | null;
  procedureType: ProcedureType;
  mandatory: boolean;
}

/**
 * A target's own rule: may an objection be raised at `at`? Null when it may; otherwise the
 * refusal (one of the law carries its article and is audited). Candidate publicity adds its
 * own (Regs Art 54: inside the publicity window, `checkResultObjection`).
 */
export type ObjectionWindow = (
  tender: ObjectionTenderRow,
  at: Date,
  rules: ProcedureRules,
  calendar: WorkingCalendar,
) => Refused | null;

/** Regs Art 22: while bidding is open, and at least 10 days before the deadline. */
export const documentsObjectionWindow: ObjectionWindow = (tender, at, rules, calendar) => {
  if (!(BIDDING_OPEN as readonly string[]).includes(tender.status) || !tender.bidDeadline) return refuse("biddingNotOpen");
  const check = checkDocumentObjection({
    target: "tender-documents",
    raisedAt: at,
    deadline: tender.bidDeadline,
    rules,
    calendar,
  });
  return check.ok ? null : refusalFromDomain(check.error, "tender.errors", 409);
};

/** A bidder's objection to the tender documents (Regs Art 22). */
export function raiseDocumentObjection(
  user: SessionUser,
  tenderId: string,
  input: z.infer<typeof ObjectionFormSchema>,
  attachment: Attachment | null,
) {
  return raiseObjection(user, tenderId, "tender-documents", documentsObjectionWindow, input, attachment);
}

/**
 * Files an objection on `target` if its window rule allows; refusals by the law are audited.
 * An accepted objection suspends the procedure and starts the tenderer's answer clock
 * (Regs Arts 22, 54: 3 days).
 */
export async function raiseObjection(
  user: SessionUser,
  tenderId: string,
  target: ObjectionTarget,
  window: ObjectionWindow,
  input: z.infer<typeof ObjectionFormSchema>,
  attachment: Attachment | null,
): Promise<ObjectionResult<{ id: string; answerDue: Date; provisional: boolean }>> {
  const discard = async () => (attachment ? storage.discard(attachment.staged) : undefined);
  if (user.role !== "BIDDER" || !user.organizationId) {
    await discard();
    return refuse("notBidder", 403);
  }
  const calendar = await loadCalendar();
  const pushes: string[] = [];
  const timers: ClockTimes[] = [];
  const result = await db().$transaction(
    async (tx): Promise<ObjectionResult<{ id: string; answerDue: Date; provisional: boolean }>> => {
      await tx.$queryRaw`SELECT id FROM tender WHERE id = ${tenderId}::uuid FOR UPDATE`;
      const tender = await tx.tender.findUnique({
        where: { id: tenderId },
        select: { id: true, code: true, title: true, status: true, bidDeadline: true, procedureType: true, mandatory: true },
      });
      if (!tender) return refuse("notFound", 404);
      const at = now();
      const rules = defaultProcedureRules(tender.procedureType.toLowerCase() as ProcurementType, tender.mandatory);
      const refused = window(tender, at, rules, calendar);
      if (refused) {
        const { code, article, params } = refused.refusal;
        if (article)
          await appendAudit(
            {
              actorId: user.id,
              action: "objection.refused",
              subjectType: AUDIT_SUBJECT.Tender,
              subjectId: tenderId,
              data: { target, code, article, ...params },
            },
            tx,
          );
        return refused;
      }
      const objection = await tx.objection.create({
        data: {
          tenderId,
          target,
          objectorOrgId: user.organizationId!,
          objectorUserId: user.id,
          reasons: input.reasons,
          raisedAt: at,
        },
        select: { id: true },
      });
      if (attachment) await storeAttachment(tx, { objectionId: objection.id }, attachment, at);
      const resumeTo = await suspendProcedure(tx, tender, "objection", objection.id, at);
      const clock = await openClock(
        tx,
        {
          tenderId,
          kind: "objection-answer",
          subjectType: AUDIT_SUBJECT.Objection,
          subjectId: objection.id,
          startedAt: at,
          basis: { kind: "within-days", days: rules.objectionAnswerDays },
          concernedUserIds: [user.id],
        },
        calendar,
      );
      await appendAudit(
        {
          actorId: user.id,
          action: "objection.raised",
          subjectType: AUDIT_SUBJECT.Objection,
          subjectId: objection.id,
          data: {
            tenderId,
            target,
            organizationId: user.organizationId,
            answerDue: clock.dueAt.toISOString(),
            provisional: clock.provisional,
            suspendedFrom: resumeTo,
            attachment: attachment?.staged.sha256 ?? null,
          },
        },
        tx,
      );
      pushes.push(
        ...(await writeNotifications(tx, [...(await agentUserIds(tx, tenderId)), ...(await supervisorUserIds(tx, tenderId))], {
          kind: "objection.raised",
          title: tender.code,
          params: {
            code: tender.code,
            tender: tender.title,
            target,
            due: clock.dueAt.toISOString(),
            provisional: clock.provisional,
          },
          link: `/objections/${objection.id}`,
        })),
      );
      timers.push(clock);
      return { ok: true, value: { id: objection.id, answerDue: clock.dueAt, provisional: clock.provisional } };
    },
  );
  if (!result.ok) {
    await discard();
    return result;
  }
  await scheduleClockTimers(timers);
  await invalidatePublicTender(tenderId);
  pushNotifications(pushes, "objection.raised");
  return result;
}

async function storeAttachment(
  tx: Tx,
  owner: { objectionId?: string; complaintId?: string },
  attachment: Attachment,
  at: Date,
): Promise<void> {
  const key = await storage.commit(attachment.staged);
  await tx.remedyAttachment.create({
    data: {
      ...owner,
      fileName: attachment.fileName,
      sizeBytes: BigInt(attachment.staged.sizeBytes),
      sha256: attachment.staged.sha256,
      storageKey: key,
      createdAt: at,
    },
  });
}

export { storeAttachment };

/**
 * The tenderer's (agent's) answer. Lifts the objection's suspension; the deadline is kept,
 * extended by the time the procedure stood suspended, or moved to a later instant.
 */
export interface AnswerOutcome {
  tenderId: string;
  bidDeadline: Date | null;
  moved: boolean;
  resumed: string | null;
}

export async function answerObjection(
  user: SessionUser,
  objectionId: string,
  input: z.infer<typeof AnswerFormSchema>,
): Promise<ObjectionResult<AnswerOutcome>> {
  const pushes: string[] = [];
  const result = await db().$transaction(async (tx): Promise<ObjectionResult<AnswerOutcome>> => {
    const objection = await tx.objection.findUnique({
      where: { id: objectionId },
      select: { id: true, tenderId: true, status: true, objectorUserId: true, target: true },
    });
    if (!objection) return refuse("notFound", 404);
    await tx.$queryRaw`SELECT id FROM tender WHERE id = ${objection.tenderId}::uuid FOR UPDATE`;
    if (!(await agentUserIds(tx, objection.tenderId)).includes(user.id)) return refuse("notAgent", 403);
    // Read again under the lock: another answer may have committed since the read above.
    const current = await tx.objection.findUniqueOrThrow({ where: { id: objection.id }, select: { status: true } });
    if (current.status !== "OPEN") return refuse("alreadyAnswered");
    const tender = await tx.tender.findUniqueOrThrow({
      where: { id: objection.tenderId },
      select: { code: true, title: true, bidDeadline: true },
    });
    const at = now();
    const lifted = await liftSuspension(tx, objection.tenderId, "objection", objection.id, at);
    const previous = tender.bidDeadline;
    // An objection to the result (Regs Art 54) comes after the bid deadline: its answer has no deadline action.
    const deadlineAction = objection.target === "result" ? null : input.deadlineAction;
    let next = previous;
    if (previous && deadlineAction === "extend" && lifted.startedAt)
      next = new Date(previous.getTime() + (at.getTime() - lifted.startedAt.getTime()));
    if (previous && deadlineAction === "move") {
      next = parseBeijingLocal(input.newDeadline ?? "");
      if (!next || next.getTime() <= Math.max(at.getTime(), previous.getTime())) return refuse("newDeadlineTooEarly", 400);
    }
    if (next && previous && next.getTime() !== previous.getTime())
      await tx.tender.update({ where: { id: objection.tenderId }, data: { bidDeadline: next } });
    await tx.objection.update({
      where: { id: objection.id },
      data: {
        status: "ANSWERED",
        answer: input.answer,
        answeredAt: at,
        answeredById: user.id,
        deadlineAction,
        previousDeadline: deadlineAction ? previous : null,
        newDeadline: deadlineAction ? next : null,
      },
    });
    await stopClock(tx, { kind: "objection-answer", subjectType: AUDIT_SUBJECT.Objection, subjectId: objection.id }, "met");
    await appendAudit(
      {
        actorId: user.id,
        action: "objection.answered",
        subjectType: AUDIT_SUBJECT.Objection,
        subjectId: objection.id,
        data: {
          tenderId: objection.tenderId,
          target: objection.target,
          deadlineAction,
          previousDeadline: previous?.toISOString() ?? null,
          newDeadline: next?.toISOString() ?? null,
          resumed: lifted.resumed,
        },
      },
      tx,
    );
    // A changed deadline reaches every document holder, as a clarification's does (Regs Art 21).
    const moved = next?.getTime() !== previous?.getTime();
    const holders = moved
      ? (
          await tx.documentDownload.findMany({
            where: { tenderId: objection.tenderId },
            distinct: ["userId"],
            select: { userId: true },
          })
        ).map((h) => h.userId)
      : [];
    pushes.push(
      ...(await writeNotifications(
        tx,
        [objection.objectorUserId, ...holders, ...(await supervisorUserIds(tx, objection.tenderId))],
        {
          kind: "objection.answered",
          title: tender.code,
          params: {
            code: tender.code,
            tender: tender.title,
            target: objection.target,
            deadlineAction: deadlineAction ?? "none",
            ...(next && deadlineAction ? { bidDeadline: next.toISOString() } : {}),
          },
          link: `/objections/${objection.id}`,
        },
      )),
    );
    return { ok: true, value: { tenderId: objection.tenderId, bidDeadline: next, moved, resumed: lifted.resumed } };
  });
  if (!result.ok) return result;
  await invalidatePublicTender(result.value.tenderId);
  if (result.value.moved && result.value.bidDeadline) await scheduleCloseBidding(result.value.tenderId, result.value.bidDeadline);
  pushNotifications(pushes, "objection.answered");
  return result;
}

export interface ObjectionView {
  id: string;
  tenderId: string;
  tenderCode: string;
  tenderTitle: string;
  target: string;
  objectorName: string;
  objectorUserId: string;
  reasons: string;
  raisedAt: string;
  status: "OPEN" | "ANSWERED";
  answer: string | null;
  answeredAt: string | null;
  deadlineAction: string | null;
  previousDeadline: string | null;
  newDeadline: string | null;
  answerDue: string | null;
  answerDueProvisional: boolean;
  provisionalYears: number[];
  attachments: { id: string; fileName: string; sizeBytes: number }[];
}

const VIEW_SELECT = {
  id: true,
  tenderId: true,
  target: true,
  objectorOrgId: true,
  objectorUserId: true,
  reasons: true,
  raisedAt: true,
  status: true,
  answer: true,
  answeredAt: true,
  deadlineAction: true,
  previousDeadline: true,
  newDeadline: true,
  attachments: { select: { id: true, fileName: true, sizeBytes: true } },
} as const;

async function toViews(rows: Awaited<ReturnType<typeof findRows>>): Promise<ObjectionView[]> {
  const [orgs, tenders, clocks] = await Promise.all([
    db().organization.findMany({ where: { id: { in: rows.map((r) => r.objectorOrgId) } }, select: { id: true, name: true } }),
    db().tender.findMany({ where: { id: { in: rows.map((r) => r.tenderId) } }, select: { id: true, code: true, title: true } }),
    clocksOf(
      AUDIT_SUBJECT.Objection,
      rows.map((r) => r.id),
    ),
  ]);
  return rows.map((r) => {
    const clock = clocks.find((c) => c.subjectId === r.id && c.kind === "objection-answer");
    const tender = tenders.find((t) => t.id === r.tenderId);
    return {
      id: r.id,
      tenderId: r.tenderId,
      tenderCode: tender?.code ?? "",
      tenderTitle: tender?.title ?? "",
      target: r.target,
      objectorName: orgs.find((o) => o.id === r.objectorOrgId)?.name ?? "",
      objectorUserId: r.objectorUserId,
      reasons: r.reasons,
      raisedAt: r.raisedAt.toISOString(),
      status: r.status,
      answer: r.answer,
      answeredAt: r.answeredAt?.toISOString() ?? null,
      deadlineAction: r.deadlineAction,
      previousDeadline: r.previousDeadline?.toISOString() ?? null,
      newDeadline: r.newDeadline?.toISOString() ?? null,
      answerDue: clock?.dueAt.toISOString() ?? null,
      answerDueProvisional: clock?.provisional ?? false,
      provisionalYears: clock?.provisionalYears ?? [],
      attachments: r.attachments.map((a) => ({ id: a.id, fileName: a.fileName, sizeBytes: Number(a.sizeBytes) })),
    };
  });
}

function findRows(where: { tenderId?: string; objectorOrgId?: string; id?: string }) {
  return db().objection.findMany({ where, orderBy: { raisedAt: "asc" }, select: VIEW_SELECT, take: 200 });
}

/** Who may read an objection: the objector's organisation, the tender's agents and supervisors, the admin. */
async function maySee(user: SessionUser, row: { tenderId: string; objectorOrgId: string }): Promise<boolean> {
  if (user.role === "ADMIN") return true;
  if (user.role === "BIDDER") return user.organizationId === row.objectorOrgId;
  return db().$transaction(async (tx) =>
    (user.role === "AGENT" ? await agentUserIds(tx, row.tenderId) : await supervisorUserIds(tx, row.tenderId)).includes(user.id),
  );
}

export async function getObjection(user: SessionUser, id: string): Promise<ObjectionView | null> {
  const rows = await findRows({ id });
  const row = rows[0];
  if (!row || !(await maySee(user, row))) return null;
  return (await toViews(rows))[0] ?? null;
}

/** The objections of a tender the user may see (a bidder: their organisation's). */
export async function tenderObjections(user: SessionUser, tenderId: string): Promise<ObjectionView[]> {
  const rows = await findRows(user.role === "BIDDER" ? { tenderId, objectorOrgId: user.organizationId ?? "-" } : { tenderId });
  const visible = [];
  for (const r of rows) if (await maySee(user, r)) visible.push(r);
  return toViews(visible);
}

/** A bidder organisation's objections on a tender, for the complaint form's prior-objection choice. */
export async function objectionsOfOrg(organizationId: string, tenderId: string): Promise<ObjectionView[]> {
  return toViews(await findRows({ tenderId, objectorOrgId: organizationId }));
}

/** Public outcome of answered objections (the notice page's history): no objector names. */
export async function publicObjectionOutcomes(tenderId: string) {
  const rows = await db().objection.findMany({
    where: { tenderId, status: "ANSWERED" },
    orderBy: { raisedAt: "asc" },
    select: { id: true, target: true, raisedAt: true, answeredAt: true, answer: true, deadlineAction: true, newDeadline: true },
  });
  return rows.map((r) => ({
    id: r.id,
    target: r.target,
    raisedAt: r.raisedAt.toISOString(),
    answeredAt: r.answeredAt?.toISOString() ?? null,
    answer: r.answer ?? "",
    deadlineAction: r.deadlineAction,
    newDeadline: r.newDeadline?.toISOString() ?? null,
  }));
}

/** The prior objection a complaint rests on, in bidding-core's terms. */
export async function priorObjection(objectionId: string, organizationId: string, tenderId: string) {
  const row = await db().objection.findFirst({
    where: { id: objectionId, objectorOrgId: organizationId, tenderId },
    select: { id: true, target: true, raisedAt: true, answeredAt: true },
  });
  if (!row) return null;
  const [clock] = await clocksOf(AUDIT_SUBJECT.Objection, [row.id]);
  return {
    id: row.id,
    target: row.target,
    raisedAt: row.raisedAt,
    answeredAt: row.answeredAt,
    answerDue: clock?.dueAt ?? row.raisedAt,
  };
}

/** The attachment file for someone who may see its objection. */
export async function objectionAttachment(user: SessionUser, attachmentId: string) {
  const a = await db().remedyAttachment.findUnique({
    where: { id: attachmentId },
    select: { fileName: true, storageKey: true, objection: { select: { tenderId: true, objectorOrgId: true } } },
  });
  if (!a?.objection || !(await maySee(user, a.objection))) return null;
  return { fileName: a.fileName, storageKey: a.storageKey };
}

/** The tender as the objection page shows it, with the last instant an objection may be raised (Regs Art 22). */
export async function objectionTender(tenderId: string) {
  const tender = await db().tender.findUnique({
    where: { id: tenderId },
    select: { id: true, code: true, title: true, status: true, bidDeadline: true, procedureType: true, mandatory: true },
  });
  if (!tender || tender.status === "DRAFT") return null;
  const rules = defaultProcedureRules(tender.procedureType.toLowerCase() as ProcurementType, tender.mandatory);
  const cutoff = tender.bidDeadline ? documentObjectionCutoff("tender-documents", tender.bidDeadline, rules).toISOString() : null;
  return { id: tender.id, code: tender.code, title: tender.title, status: tender.status, cutoff };
}

/** Regs Arts 22, 54: how many objections of the tender await their answer (a step the law blocks meanwhile, such as the award, refuses while any does). */
export async function openObjectionCount(tenderId: string, target?: ObjectionTarget): Promise<number> {
  return db().objection.count({ where: { tenderId, status: "OPEN", ...(target ? { target } : {}) } });
}
