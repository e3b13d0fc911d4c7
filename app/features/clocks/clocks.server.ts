import { z } from "zod";
import {
  clarificationCutoff,
  clockDue,
  clockState,
  CLOCK_RULES,
  defaultProcedureRules,
  isClockKind,
  type ClockBasis,
  type ClockKind,
  type ClockState,
  type ProcurementType,
  type WorkingCalendar,
} from "../../../bidding-core/index";
import { appendAudit } from "../../platform/audit/audit.server.ts";
import { AUDIT_SUBJECT } from "../../platform/audit/subjects.ts";
import { now } from "../../platform/clock.server.ts";
import { db, type Tx } from "../../platform/db.server.ts";
import { notifyUser } from "../../platform/realtime.server.ts";
import { loadCalendar } from "../calendar/index.ts";
import { agentUserIds, supervisorUserIds, writeNotifications } from "./parties.server.ts";

/**
 * Node control (节点控制预警, docs/decisions/111): every statutory clock is a `deadline_clock` row.
 * Its end is counted by bidding-core from the start, the basis and the calendar; a warning goes
 * to the responsible party `warnBeforeMs` before, an alarm to them and the tender's supervisors
 * when it runs out. Timers are delayed bull jobs; a sweep every minute fires anything a lost
 * timer missed, so the row, not Redis, is the truth.
 */

/** The basis as stored: dates as ISO strings. */
export const StoredBasisSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("fixed"), due: z.string().datetime() }),
  z.object({ kind: z.literal("within-days"), days: z.number().int().positive() }),
  z.object({ kind: z.literal("working-days"), days: z.number().int().positive(), pausedWorkingDays: z.number().int().min(0) }),
]);
export type StoredBasis = z.infer<typeof StoredBasisSchema>;

function toCoreBasis(basis: StoredBasis): ClockBasis {
  return basis.kind === "fixed" ? { kind: "fixed", due: new Date(basis.due) } : basis;
}

export interface ClockInput {
  tenderId: string;
  kind: ClockKind;
  subjectType: string;
  subjectId: string;
  startedAt: Date;
  basis: StoredBasis;
  concernedUserIds?: readonly string[];
}

export interface ClockTimes {
  id: string;
  dueAt: Date;
  warnAt: Date;
  provisional: boolean;
  provisionalYears: number[];
}

function computeTimes(kind: ClockKind, startedAt: Date, basis: StoredBasis, calendar: WorkingCalendar) {
  const due = clockDue(kind, startedAt, toCoreBasis(basis), calendar);
  const warnAt = new Date(Math.max(startedAt.getTime(), due.value.getTime() - CLOCK_RULES[kind].warnBeforeMs));
  return { dueAt: due.value, warnAt, provisional: due.provisional, provisionalYears: [...due.provisionalYears] };
}

/** Starts a clock (or restarts the one of the same kind and subject) inside the caller's transaction. */
export async function openClock(tx: Tx, input: ClockInput, calendar: WorkingCalendar): Promise<ClockTimes> {
  const times = computeTimes(input.kind, input.startedAt, input.basis, calendar);
  const data = {
    tenderId: input.tenderId,
    startedAt: input.startedAt,
    basis: input.basis,
    ...times,
    warnedAt: null,
    alarmedAt: null,
    stoppedAt: null,
    stopReason: null,
    concernedUserIds: [...(input.concernedUserIds ?? [])],
  };
  const key = { kind: input.kind, subjectType: input.subjectType, subjectId: input.subjectId };
  const row = await tx.deadlineClock.upsert({
    where: { kind_subjectType_subjectId: key },
    create: { ...key, ...data, createdAt: now() },
    update: data,
    select: { id: true },
  });
  return { id: row.id, ...times };
}

/** Changes an open clock's basis (a pause ended, a deadline moved) and recounts its end. */
export async function rebaseClock(
  tx: Tx,
  key: { kind: ClockKind; subjectType: string; subjectId: string },
  basis: StoredBasis,
  calendar: WorkingCalendar,
): Promise<ClockTimes | null> {
  const row = await tx.deadlineClock.findUnique({
    where: { kind_subjectType_subjectId: key },
    select: { id: true, startedAt: true, stoppedAt: true, dueAt: true },
  });
  if (!row || row.stoppedAt) return null;
  const times = computeTimes(key.kind, row.startedAt, basis, calendar);
  const later = times.dueAt.getTime() > now().getTime();
  await tx.deadlineClock.update({
    where: { id: row.id },
    data: {
      basis,
      ...times,
      ...(later ? { alarmedAt: null } : {}),
      ...(times.warnAt.getTime() > now().getTime() ? { warnedAt: null } : {}),
    },
  });
  return { id: row.id, ...times };
}

/** Stops a clock: the step was taken ("met") or no longer applies ("void"). Idempotent. */
export async function stopClock(
  tx: Tx,
  key: { kind: ClockKind; subjectType: string; subjectId: string },
  reason: "met" | "void" | "paused",
): Promise<void> {
  await tx.deadlineClock.updateMany({ where: { ...key, stoppedAt: null }, data: { stoppedAt: now(), stopReason: reason } });
}

/** The clocks that exist for a subject, for the pages that show "answer by …". */
export async function clocksOf(subjectType: string, subjectIds: readonly string[]) {
  if (subjectIds.length === 0) return [];
  return db().deadlineClock.findMany({
    where: { subjectType, subjectId: { in: [...subjectIds] } },
    select: {
      id: true,
      kind: true,
      subjectId: true,
      dueAt: true,
      provisional: true,
      provisionalYears: true,
      stoppedAt: true,
      stopReason: true,
    },
  });
}

export { agentUserIds, supervisorUserIds, writeNotifications };

/** Pushes the live notification after the transaction committed. */
export function pushNotifications(userIds: readonly string[], kind: string, payload: Record<string, unknown> = {}): void {
  for (const userId of new Set(userIds)) notifyUser(userId, "notification", { kind, ...payload });
}

export interface ClockView {
  id: string;
  tenderId: string;
  tenderCode: string;
  tenderTitle: string;
  kind: ClockKind;
  article: string;
  party: string;
  subjectType: string;
  subjectId: string;
  startedAt: string;
  dueAt: string;
  provisional: boolean;
  provisionalYears: number[];
  state: ClockState;
}

/** Every open clock of the tenders a supervisor is assigned to (an admin sees all). */
export async function listOpenClocks(viewer: { id: string; role: string }): Promise<ClockView[]> {
  const tenderFilter =
    viewer.role === "ADMIN"
      ? {}
      : {
          tenderId: {
            in: (await db().tenderSupervisor.findMany({ where: { userId: viewer.id }, select: { tenderId: true } })).map(
              (t) => t.tenderId,
            ),
          },
        };
  const rows = await db().deadlineClock.findMany({
    where: { stoppedAt: null, ...tenderFilter },
    orderBy: { dueAt: "asc" },
    take: 500,
    select: {
      id: true,
      tenderId: true,
      kind: true,
      subjectType: true,
      subjectId: true,
      startedAt: true,
      dueAt: true,
      warnAt: true,
      provisional: true,
      provisionalYears: true,
    },
  });
  const tenders = await db().tender.findMany({
    where: { id: { in: [...new Set(rows.map((r) => r.tenderId))] } },
    select: { id: true, code: true, title: true },
  });
  const byId = new Map(tenders.map((t) => [t.id, t]));
  const at = now();
  return rows.flatMap((r) => {
    if (!isClockKind(r.kind)) return [];
    const rule = CLOCK_RULES[r.kind];
    return [
      {
        id: r.id,
        tenderId: r.tenderId,
        tenderCode: byId.get(r.tenderId)?.code ?? "",
        tenderTitle: byId.get(r.tenderId)?.title ?? "",
        kind: r.kind,
        article: rule.article,
        party: rule.party,
        subjectType: r.subjectType,
        subjectId: r.subjectId,
        startedAt: r.startedAt.toISOString(),
        dueAt: r.dueAt.toISOString(),
        provisional: r.provisional,
        provisionalYears: r.provisionalYears,
        state: clockState({ dueAt: r.dueAt, warnBeforeMs: r.dueAt.getTime() - r.warnAt.getTime(), stoppedAt: null, now: at }),
      },
    ];
  });
}

const TENDER_OPEN = ["PUBLISHED", "CLARIFICATION", "SUSPENDED", "BIDDING_CLOSED"] as const;

/**
 * The tender's own clocks, kept in step with its row: the opening (TBL Art 34, at the bid
 * deadline) and the last moment for a clarification that keeps the deadline (Regs Art 21).
 * Standing still while the procedure is suspended (restarted, with their end, when it resumes);
 * met when the tender moves past them; void when it ends otherwise.
 */
export async function syncTenderClocks(calendar: WorkingCalendar): Promise<ClockTimes[]> {
  const tenders = await db().tender.findMany({
    where: { status: { in: [...TENDER_OPEN] }, bidDeadline: { not: null } },
    select: { id: true, status: true, bidDeadline: true, publishedAt: true, procedureType: true, mandatory: true },
    // The nearest deadlines first: past 1 000 open tenders the farther ones wait for a later sweep.
    orderBy: { bidDeadline: "asc" },
    take: 1000,
  });
  const changed: ClockTimes[] = [];
  await db().$transaction(async (tx) => {
    const existing = await tx.deadlineClock.findMany({
      where: { subjectType: AUDIT_SUBJECT.Tender, subjectId: { in: tenders.map((t) => t.id) } },
      select: { kind: true, subjectId: true, dueAt: true, stoppedAt: true },
    });
    const find = (kind: string, id: string) => existing.find((c) => c.kind === kind && c.subjectId === id);
    for (const t of tenders) {
      const deadline = t.bidDeadline!;
      const rules = defaultProcedureRules(t.procedureType.toLowerCase() as ProcurementType, t.mandatory);
      const suspended = t.status === "SUSPENDED";
      // [kind, end, runs now, why it stands still otherwise]
      const wanted: [ClockKind, Date, boolean, "met" | "paused"][] = [
        ["bid-opening", deadline, !suspended, "paused"],
        [
          "clarification-notice",
          clarificationCutoff(deadline, rules.clarificationNoticeDays),
          t.status === "PUBLISHED" || t.status === "CLARIFICATION",
          suspended ? "paused" : "met",
        ],
      ];
      for (const [kind, due, runs, stillReason] of wanted) {
        const row = find(kind, t.id);
        const key = { kind, subjectType: AUDIT_SUBJECT.Tender, subjectId: t.id };
        if (!runs) {
          if (row && !row.stoppedAt) await stopClock(tx, key, stillReason);
          continue;
        }
        if (row && !row.stoppedAt && row.dueAt.getTime() === due.getTime()) continue;
        changed.push(
          await openClock(
            tx,
            { tenderId: t.id, ...key, startedAt: t.publishedAt ?? now(), basis: { kind: "fixed", due: due.toISOString() } },
            calendar,
          ),
        );
      }
    }
    // Tenders that moved past bidding: their opening clock is met (or void if the tender ended).
    const stale = await tx.deadlineClock.findMany({
      where: { subjectType: AUDIT_SUBJECT.Tender, stoppedAt: null },
      select: { id: true, tenderId: true },
    });
    const active = new Set(tenders.map((t) => t.id));
    const done = stale.filter((c) => !active.has(c.tenderId));
    if (done.length > 0) {
      const ended = await tx.tender.findMany({
        where: { id: { in: done.map((c) => c.tenderId) }, status: { in: ["CANCELLED", "FAILED", "RETENDERED"] } },
        select: { id: true },
      });
      const endedIds = new Set(ended.map((e) => e.id));
      for (const c of done)
        await tx.deadlineClock.update({
          where: { id: c.id },
          data: { stoppedAt: now(), stopReason: endedIds.has(c.tenderId) ? "void" : "met" },
        });
    }
  });
  return changed;
}

export type FireOutcome = "none" | "warned" | "alarmed";

/**
 * Sends the warning or the alarm a clock is due for, once each. Idempotent: the row records
 * what was sent, under a row lock, so a timer and the sweep never both send.
 */
export async function fireClock(clockId: string): Promise<FireOutcome> {
  const pushes: { users: string[]; kind: string }[] = [];
  const outcome = await db().$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM deadline_clock WHERE id = ${clockId}::uuid FOR UPDATE`;
    const c = await tx.deadlineClock.findUnique({ where: { id: clockId } });
    if (!c || c.stoppedAt || !isClockKind(c.kind)) return "none" as const;
    const at = now();
    const alarm = at.getTime() > c.dueAt.getTime() && !c.alarmedAt;
    const warn = !alarm && at.getTime() >= c.warnAt.getTime() && !c.warnedAt && !c.alarmedAt;
    if (!alarm && !warn) return "none" as const;
    const rule = CLOCK_RULES[c.kind];
    const tender = await tx.tender.findUnique({ where: { id: c.tenderId }, select: { code: true, title: true } });
    const responsible = rule.party === "agent" ? await agentUserIds(tx, c.tenderId) : await supervisorUserIds(tx, c.tenderId);
    const supervisors =
      alarm && rule.party === "agent" && c.kind !== "clarification-notice" ? await supervisorUserIds(tx, c.tenderId) : [];
    const kind = alarm ? "clock.alarm" : "clock.warning";
    const users = await writeNotifications(tx, [...responsible, ...supervisors], {
      kind,
      title: tender?.code ?? "",
      params: {
        clock: c.kind,
        code: tender?.code ?? "",
        tender: tender?.title ?? "",
        due: c.dueAt.toISOString(),
        article: rule.article,
        provisional: c.provisional,
      },
      link: "/supervision/clocks",
    });
    pushes.push({ users, kind });
    await tx.deadlineClock.update({
      where: { id: c.id },
      data: alarm ? { alarmedAt: at, warnedAt: c.warnedAt ?? at } : { warnedAt: at },
    });
    await appendAudit(
      {
        action: alarm ? "clock.alarm" : "clock.warning",
        subjectType: AUDIT_SUBJECT.DeadlineClock,
        subjectId: c.id,
        data: {
          kind: c.kind,
          tenderId: c.tenderId,
          subjectType: c.subjectType,
          subjectId: c.subjectId,
          dueAt: c.dueAt.toISOString(),
          notified: users.length,
        },
      },
      tx,
    );
    return alarm ? ("alarmed" as const) : ("warned" as const);
  });
  for (const p of pushes) pushNotifications(p.users, p.kind);
  return outcome;
}

/** Fires every clock whose warning or alarm is due (covers lost timers). */
export async function fireDueClocks(): Promise<{ warned: number; alarmed: number }> {
  const at = now();
  const due = await db().deadlineClock.findMany({
    where: {
      stoppedAt: null,
      OR: [
        { warnAt: { lte: at }, warnedAt: null },
        { dueAt: { lt: at }, alarmedAt: null },
      ],
    },
    select: { id: true },
    take: 500,
  });
  const counts = { warned: 0, alarmed: 0 };
  for (const c of due) {
    try {
      const outcome = await fireClock(c.id);
      if (outcome === "warned") counts.warned += 1;
      if (outcome === "alarmed") counts.alarmed += 1;
    } catch (error) {
      console.error(`clock ${c.id}: firing failed; the next sweep retries`, error);
    }
  }
  return counts;
}

export interface Recomputed {
  clockId: string;
  kind: ClockKind;
  before: Date;
  after: Date;
  provisional: boolean;
  times: ClockTimes;
}

/**
 * After a calendar change: recounts every open clock, writes those whose end or provisional state
 * changed, and tells the responsible party, the tender's supervisors and the people the clock
 * concerns (objector, complainant). One transaction and one audit entry per tender (listing each
 * clock's old and new end), so a change touching many clocks stays quick.
 */
export async function recomputeOpenClocks(actorId: string | null, calendar?: WorkingCalendar): Promise<Recomputed[]> {
  const cal = calendar ?? (await loadCalendar());
  const open = await db().deadlineClock.findMany({ where: { stoppedAt: null } });
  const byTender = new Map<string, { row: (typeof open)[number]; kind: ClockKind; times: ReturnType<typeof computeTimes> }[]>();
  for (const c of open) {
    if (!isClockKind(c.kind)) continue;
    const basis = StoredBasisSchema.safeParse(c.basis);
    if (!basis.success) continue;
    const times = computeTimes(c.kind, c.startedAt, basis.data, cal);
    if (times.dueAt.getTime() === c.dueAt.getTime() && times.provisional === c.provisional) continue;
    const list = byTender.get(c.tenderId) ?? [];
    list.push({ row: c, kind: c.kind, times });
    byTender.set(c.tenderId, list);
  }
  const changes: Recomputed[] = [];
  const pushes: string[] = [];
  for (const [tenderId, list] of byTender) {
    await db().$transaction(async (tx) => {
      const at = now();
      const tender = await tx.tender.findUnique({ where: { id: tenderId }, select: { code: true, title: true } });
      const [agents, supervisors] = await Promise.all([agentUserIds(tx, tenderId), supervisorUserIds(tx, tenderId)]);
      const notifications: { userId: string; kind: string; title: string; body: string; link: string }[] = [];
      for (const { row: c, kind, times } of list) {
        await tx.deadlineClock.update({
          where: { id: c.id },
          data: {
            ...times,
            ...(times.dueAt.getTime() > at.getTime() ? { alarmedAt: null } : {}),
            ...(times.warnAt.getTime() > at.getTime() ? { warnedAt: null } : {}),
          },
        });
        const users = new Set([...(CLOCK_RULES[kind].party === "agent" ? agents : []), ...supervisors, ...c.concernedUserIds]);
        const body = JSON.stringify({
          clock: kind,
          code: tender?.code ?? "",
          tender: tender?.title ?? "",
          before: c.dueAt.toISOString(),
          due: times.dueAt.toISOString(),
          provisional: times.provisional,
        });
        const link =
          c.subjectType === AUDIT_SUBJECT.Complaint
            ? `/complaints/${c.subjectId}`
            : c.subjectType === AUDIT_SUBJECT.Objection
              ? `/objections/${c.subjectId}`
              : `/tenders/${c.tenderId}`;
        for (const userId of users)
          notifications.push({ userId, kind: "clock.recomputed", title: tender?.code ?? "", body, link });
        changes.push({
          clockId: c.id,
          kind,
          before: c.dueAt,
          after: times.dueAt,
          provisional: times.provisional,
          times: { id: c.id, ...times },
        });
      }
      await tx.notification.createMany({ data: notifications });
      pushes.push(...notifications.map((n) => n.userId));
      await appendAudit(
        {
          actorId,
          action: "clock.recomputed",
          subjectType: AUDIT_SUBJECT.Tender,
          subjectId: tenderId,
          data: {
            clocks: list.map(({ row, kind, times }) => ({
              id: row.id,
              kind,
              before: row.dueAt.toISOString(),
              after: times.dueAt.toISOString(),
              provisional: times.provisional,
            })),
            notified: new Set(notifications.map((n) => n.userId)).size,
          },
        },
        tx,
      );
    });
  }
  pushNotifications(pushes, "clock.recomputed");
  return changes;
}
