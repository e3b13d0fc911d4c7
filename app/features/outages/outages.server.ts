import { z } from "zod";
import {
  checkIncident,
  HEARTBEAT_INTERVAL_MS,
  heartbeatStep,
  INCIDENT_DESCRIPTION_MAX,
  overlapsWindow,
  type TimeSpan,
} from "../../../bidding-core/index.ts";
import type { OutageSource } from "../../generated/prisma/enums.ts";
import { appendAudit } from "../../platform/audit/audit.server.ts";
import { AUDIT_SUBJECT } from "../../platform/audit/subjects.ts";
import type { SessionUser } from "../../platform/auth/auth.server.ts";
import { now } from "../../platform/clock.server.ts";
import { db, type Tx } from "../../platform/db.server.ts";
import { refuse, refusalFromDomain, type Outcome } from "../../platform/refusal.ts";
import { parseBeijingLocal } from "../tenders/index.ts";

/**
 * The platform's own unavailability (E-Measures Art 31; decision 091). Two sources, one table:
 * the heartbeat every running app process writes (a gap longer than bidding-core's
 * OUTAGE_GAP_MS between two beats is an outage, found by the first beat after it: after a
 * restart, or when the database answers again) and the incidents the centre's administrator
 * records (from, to, what happened). The opening asks `outagesOverlapping` at a window's end.
 */

export interface OutageView {
  id: string;
  source: OutageSource;
  from: string;
  to: string;
  description: string;
  recordedAt: string;
  recordedBy: string | null;
}

const HEARTBEAT_ROW = 1;

// This process's clock error is audited once, not every HEARTBEAT_INTERVAL_MS (reset by a good beat).
let clockErrorAudited = false;

/**
 * One heartbeat at `at` (decision 091, bidding-core's `heartbeatStep` against the database's
 * clock): moves the row forward and, if the last beat is older than the threshold, records the
 * gap as an outage (audited). A beat or a row far from the database's clock is a clock error:
 * audited (`platform.heartbeat_clock_error`), never an outage. Returns the outage found, if any.
 */
export async function beat(at: Date = now()): Promise<{ id: string; from: Date; to: Date } | null> {
  const result = await db().$transaction(async (tx) => {
    const clock = await tx.$queryRaw<{ at: Date }[]>`SELECT clock_timestamp() AS at`;
    const reference = clock[0]!.at;
    const clockError = (data: Record<string, unknown>) =>
      appendAudit(
        {
          actorId: null,
          action: "platform.heartbeat_clock_error",
          subjectType: AUDIT_SUBJECT.PlatformHeartbeat,
          subjectId: String(HEARTBEAT_ROW),
          data: { beatAt: at.toISOString(), databaseTime: reference.toISOString(), ...data },
        },
        tx,
      );
    // This process's own clock first: a wrong one writes nothing, not even the first row.
    const own = heartbeatStep(null, at, reference);
    if (own.kind === "clock-error") {
      if (!clockErrorAudited) await clockError({ kind: "beat", skewMs: own.skewMs });
      return { clockError: true, outage: null };
    }
    const inserted = await tx.$executeRaw`
      INSERT INTO platform_heartbeat (id, beat_at) VALUES (${HEARTBEAT_ROW}, ${at}) ON CONFLICT (id) DO NOTHING`;
    if (inserted === 1) return { clockError: false, outage: null };
    const rows = await tx.$queryRaw<{ beat_at: Date }[]>`
      SELECT beat_at FROM platform_heartbeat WHERE id = ${HEARTBEAT_ROW} FOR UPDATE`;
    const last = rows[0]?.beat_at ?? null;
    const step = heartbeatStep(last, at, reference);
    if (step.kind === "clock-error" || step.kind === "first" || step.kind === "behind")
      return { clockError: false, outage: null };
    await tx.platformHeartbeat.update({ where: { id: HEARTBEAT_ROW }, data: { beatAt: at } });
    if (step.kind === "row-untrusted") {
      await clockError({ kind: "row", rowAt: last!.toISOString(), aheadMs: step.aheadMs });
      return { clockError: false, outage: null };
    }
    const gap = step.outage;
    if (!gap) return { clockError: false, outage: null };
    const outage = await tx.platformOutage.create({
      data: { source: "HEARTBEAT", startedAt: gap.from, endedAt: gap.to, recordedAt: at },
      select: { id: true },
    });
    await appendAudit(
      {
        actorId: null,
        action: "platform.outage_detected",
        subjectType: AUDIT_SUBJECT.PlatformOutage,
        subjectId: outage.id,
        data: { from: gap.from.toISOString(), to: gap.to.toISOString(), gapMs: gap.to.getTime() - gap.from.getTime() },
      },
      tx,
    );
    return { clockError: false, outage: { id: outage.id, ...gap } };
  });
  if (result.clockError && !clockErrorAudited) {
    console.error(`heartbeat refused: this process's clock (${at.toISOString()}) is not the database's; no outage is recorded`);
  }
  clockErrorAudited = result.clockError;
  return result.outage;
}

let timer: NodeJS.Timeout | null = null;

/**
 * Starts this process's heartbeat: one beat now (so an outage that ended with this start is on
 * record before anything can end a decryption window), then one every HEARTBEAT_INTERVAL_MS.
 * A beat that fails (database away) is logged; the next successful one records the gap.
 */
export async function startHeartbeat(): Promise<void> {
  const once = async () => {
    try {
      const found = await beat();
      if (found) console.log(`platform outage on record: ${found.from.toISOString()} → ${found.to.toISOString()}`);
    } catch (error) {
      console.error("heartbeat failed:", (error as Error).message);
    }
  };
  await once();
  if (!timer) {
    timer = setInterval(() => void once(), HEARTBEAT_INTERVAL_MS);
    timer.unref();
  }
}

export function stopHeartbeat(): void {
  if (timer) clearInterval(timer);
  timer = null;
}

export const IncidentFormSchema = z.object({
  from: z.string().trim().min(1).max(40),
  to: z.string().trim().min(1).max(40),
  description: z.string().trim().min(1).max(INCIDENT_DESCRIPTION_MAX),
});

/** The centre's administrator records an incident that has happened (Beijing times, audited). */
export async function recordIncident(
  user: SessionUser,
  form: Record<string, unknown>,
): Promise<Outcome<{ id: string; from: string; to: string }>> {
  if (user.role !== "ADMIN") return refuse("outages.notAdmin", 403);
  const parsed = IncidentFormSchema.safeParse(form);
  if (!parsed.success) {
    const field = String(parsed.error.issues[0]?.path[0] ?? "description");
    return refuse("outages.invalid", 400, { params: { field } });
  }
  const from = parseBeijingLocal(parsed.data.from) ?? new Date(Number.NaN);
  const to = parseBeijingLocal(parsed.data.to) ?? new Date(Number.NaN);
  const at = now();
  const checked = checkIncident({ from, to }, at);
  if (!checked.ok) return refusalFromDomain(checked.error, "tender.errors", 422);
  const outage = await db().$transaction(async (tx) => {
    const row = await tx.platformOutage.create({
      data: {
        source: "INCIDENT",
        startedAt: from,
        endedAt: to,
        description: parsed.data.description,
        recordedById: user.id,
        recordedAt: at,
      },
      select: { id: true },
    });
    await appendAudit(
      {
        actorId: user.id,
        action: "platform.incident_recorded",
        subjectType: AUDIT_SUBJECT.PlatformOutage,
        subjectId: row.id,
        data: { from: from.toISOString(), to: to.toISOString(), description: parsed.data.description },
      },
      tx,
    );
    return row;
  });
  return { ok: true, value: { id: outage.id, from: from.toISOString(), to: to.toISOString() } };
}

/** Outages that share an instant with `window`, oldest first (bidding-core's `overlapsWindow`). */
export async function outagesOverlapping(window: TimeSpan, tx?: Tx): Promise<OutageView[]> {
  const rows = await (tx ?? db()).platformOutage.findMany({
    // The index narrows; bidding-core's rule decides.
    where: { startedAt: { lt: window.to }, endedAt: { gt: window.from } },
    orderBy: { startedAt: "asc" },
  });
  return rows.filter((r) => overlapsWindow({ from: r.startedAt, to: r.endedAt }, window)).map(toView);
}

/** The latest outages for the administrator's page. */
export async function recentOutages(limit = 50): Promise<OutageView[]> {
  const rows = await db().platformOutage.findMany({ orderBy: { startedAt: "desc" }, take: limit });
  const users = await db().user.findMany({
    where: { id: { in: rows.flatMap((r) => (r.recordedById ? [r.recordedById] : [])) } },
    select: { id: true, name: true },
  });
  return rows.map((r) => ({ ...toView(r), recordedBy: users.find((u) => u.id === r.recordedById)?.name ?? null }));
}

function toView(r: {
  id: string;
  source: OutageSource;
  startedAt: Date;
  endedAt: Date;
  description: string;
  recordedAt: Date;
}): OutageView {
  return {
    id: r.id,
    source: r.source,
    from: r.startedAt.toISOString(),
    to: r.endedAt.toISOString(),
    description: r.description,
    recordedAt: r.recordedAt.toISOString(),
    recordedBy: null,
  };
}
