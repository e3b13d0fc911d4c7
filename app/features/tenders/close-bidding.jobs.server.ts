import { z } from "zod";
import { appendAudit } from "../../platform/audit/audit.server.ts";
import { invalidatePublicTender } from "../../platform/public-cache.server.ts";
import { db } from "../../platform/db.server.ts";
import { notifyUser } from "../../platform/realtime.server.ts";
import { applyEvent } from "./lifecycle.server.ts";
import { OPEN_STATUSES } from "./enums.ts";
import { unfinalisedArrivals } from "../../platform/upload-arrivals.server.ts";
import { defineJob } from "../../platform/jobs/define.ts";
import { enqueueJob } from "../../platform/jobs/queues.server.ts";
import * as clock from "../../platform/clock.server.ts";
import { AUDIT_SUBJECT } from "../../platform/audit/subjects.ts";

/**
 * At the bid deadline bidding closes (TBL Art 34; docs/decisions/043). One delayed bull job per
 * tender and deadline (jobId `close:<tender>:<deadline ms>`), re-scheduled when a clarification
 * moves the deadline; a stale job finds a later deadline and does nothing. A sweep every minute
 * closes anything a lost Redis forgot. The submission path checks the deadline itself as well:
 * this job is not the only guard.
 */

export type CloseOutcome =
  | { closed: true; tenderId: string; bids: number }
  | {
      closed: false;
      tenderId: string;
      reason: "not-found" | "not-open" | "no-deadline" | "deadline-not-reached" | "bids-finalising";
      pending?: number;
    };

/** How soon a close that waited for on-time bids still being finalised is tried again. */
const FINALISING_RETRY_MS = 5_000;

/** Closes bidding if, by the current row, the deadline has passed. Idempotent. */
export async function closeBidding(tenderId: string, now = clock.now()): Promise<CloseOutcome> {
  const result = await db().$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM tender WHERE id = ${tenderId}::uuid FOR UPDATE`;
    const row = await tx.tender.findUnique({
      where: { id: tenderId },
      select: {
        status: true,
        procedureType: true,
        mandatory: true,
        docsIssueAt: true,
        docsAvailableUntil: true,
        bidDeadline: true,
        code: true,
        agentOrgId: true,
        createdById: true,
      },
    });
    if (!row) return { closed: false as const, tenderId, reason: "not-found" as const };
    if (!(OPEN_STATUSES as readonly string[]).includes(row.status))
      return { closed: false as const, tenderId, reason: "not-open" as const };
    if (!row.bidDeadline) return { closed: false as const, tenderId, reason: "no-deadline" as const };
    // Closing reads only the deadline; a row missing the other dates must not block it.
    const schedule = {
      docsIssueAt: row.docsIssueAt ?? row.bidDeadline,
      docsAvailableUntil: row.docsAvailableUntil ?? row.bidDeadline,
    };
    const outcome = applyEvent({ ...row, ...schedule }, { type: "close-bidding" }, now);
    if (!outcome.ok) return { closed: false as const, tenderId, reason: "deadline-not-reached" as const };
    // A bid whose last byte arrived in time but whose finalisation is queued, under way or to be
    // run again after a fault is on time (Regs Art 36): closing waits for it rather than race it.
    const pending = await unfinalisedArrivals(tenderId, row.bidDeadline);
    if (pending > 0) return { closed: false as const, tenderId, reason: "bids-finalising" as const, pending };
    await tx.tender.update({ where: { id: tenderId }, data: { status: outcome.status } });
    // Preparing the opening: the count of bids on record at the deadline, fixed in the chain.
    const bids = await tx.bid.count({ where: { tenderId, status: "SUBMITTED" } });
    await appendAudit(
      {
        action: "tender.bidding_closed",
        subjectType: AUDIT_SUBJECT.Tender,
        subjectId: tenderId,
        data: { code: row.code, bidDeadline: row.bidDeadline?.toISOString(), closedAt: now.toISOString(), bids },
      },
      tx,
    );
    const agents = await tx.user.findMany({
      where: {
        OR: [{ id: row.createdById }, ...(row.agentOrgId ? [{ organizationId: row.agentOrgId }] : [])],
        role: "AGENT",
        disabledAt: null,
      },
      select: { id: true },
    });
    const body = JSON.stringify({ code: row.code, bids, bidDeadline: row.bidDeadline?.toISOString() });
    await tx.notification.createMany({
      data: agents.map((a) => ({
        userId: a.id,
        kind: "tender.bidding_closed",
        title: row.code,
        body,
        link: `/agent/tenders/${tenderId}`,
      })),
    });
    return { closed: true as const, tenderId, bids, userIds: agents.map((a) => a.id) };
  });
  if (!result.closed) return result;
  await invalidatePublicTender(tenderId);
  const { userIds, ...closed } = result;
  for (const userId of userIds)
    notifyUser(userId, "notification", { kind: "tender.bidding_closed", tenderId, bids: closed.bids });
  return closed;
}

export const closeBiddingJob = defineJob({
  name: "tender.close-bidding",
  payload: z.object({ tenderId: z.string().uuid(), bidDeadline: z.string().datetime() }),
  async handler({ tenderId, bidDeadline }) {
    const outcome = await closeBidding(tenderId);
    if (!outcome.closed && outcome.reason === "bids-finalising")
      await scheduleCloseBidding(tenderId, new Date(bidDeadline), FINALISING_RETRY_MS);
    return outcome;
  },
});

/** Closes every open tender whose deadline has passed (covers a lost delayed job). */
export async function sweepDeadlines(now = clock.now()): Promise<CloseOutcome[]> {
  const due = await db().tender.findMany({
    where: { status: { in: [...OPEN_STATUSES] }, bidDeadline: { lte: now } },
    select: { id: true },
    take: 500,
  });
  const outcomes: CloseOutcome[] = [];
  for (const t of due) {
    try {
      outcomes.push(await closeBidding(t.id, now));
    } catch (error) {
      // One broken row must not keep the others open; the next sweep retries it.
      console.error(`close-bidding sweep: tender ${t.id} failed`, error);
    }
  }
  return outcomes;
}

export const closeBiddingSweepJob = defineJob({
  name: "tender.close-bidding-sweep",
  payload: z.object({ reason: z.enum(["schedule", "manual"]).default("schedule") }),
  schedule: { everyMs: () => 60_000, payload: { reason: "schedule" } },
  async handler() {
    const outcomes = await sweepDeadlines();
    return { closed: outcomes.filter((o) => o.closed).length };
  },
});

export function closeJobId(tenderId: string, bidDeadline: Date): string {
  return `close:${tenderId}:${bidDeadline.getTime()}`;
}

/**
 * Schedules the close at `bidDeadline`. Called after the publishing/clarifying transaction has
 * committed; if Redis is unavailable the sweep still closes the tender, so a failure is logged,
 * not thrown at the agent.
 */
export async function scheduleCloseBidding(tenderId: string, bidDeadline: Date, retryInMs?: number): Promise<void> {
  try {
    const delay = retryInMs ?? Math.max(0, bidDeadline.getTime() - clock.nowMs());
    // A retry has its own job id: the first job of this id is still the one running.
    const jobId =
      retryInMs === undefined ? closeJobId(tenderId, bidDeadline) : `${closeJobId(tenderId, bidDeadline)}:retry:${clock.nowMs()}`;
    await enqueueJob(closeBiddingJob, { tenderId, bidDeadline: bidDeadline.toISOString() }, { delay, jobId });
  } catch (error) {
    console.error(`could not schedule close-bidding for ${tenderId}; the sweep will close it`, error);
  }
}
