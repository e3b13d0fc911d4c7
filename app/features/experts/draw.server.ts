// The draw (Regs Art 46) and what follows it: invitations, confirmations, reserves in order,
// replacement (Regs Art 48). Every step is audited; the seed reproduces the order of reserves.
import {
  drawSeed,
  nextReserve,
  poolHash,
  poolShortfalls,
  rerunDraw,
  verifySeed,
  type DrawRequirement,
  type DrawResult,
} from "../../../bidding-core/index.ts";
import type { Prisma } from "../../generated/prisma/client.ts";
import { appendAudit } from "../../platform/audit/audit.server.ts";
import { AUDIT_SUBJECT } from "../../platform/audit/subjects.ts";
import { now } from "../../platform/clock.server.ts";
import { refuse, type Refused } from "../../platform/refusal.ts";
import { invalidatePublicTender } from "../../platform/public-cache.server.ts";
import { db, type Tx } from "../../platform/db.server.ts";
import { avoidanceContext, poolProfiles, splitPool } from "./eligibility.server.ts";
import { deliverInvitations, noticeUsers, recordInvitationNotice, type ExpertInvitationMessage } from "./notifier.server.ts";

export type DrawOutcome =
  | { drawn: true; requestId: string; invited: { seatId: string; respondBy: Date }[] }
  | { drawn: false; requestId: string; reason: "not-found" | "not-approved" | "not-due" | "pool-too-small" };

function requirementsOf(json: Prisma.JsonValue): DrawRequirement[] {
  return (json as unknown as DrawRequirement[]).map((r) => ({ specialty: r.specialty, count: r.count, reserves: r.reserves }));
}

export function drawResultOf(json: Prisma.JsonValue | null): DrawResult {
  const r = (json ?? { members: [], reserves: [] }) as unknown as DrawResult;
  return { members: r.members, reserves: r.reserves };
}

interface SeatInvite {
  seat: number;
  expertId: string;
  specialty: string;
}

async function invite(
  tx: Tx,
  request: { id: string; confirmWindowMinutes: number; evaluationStartAt: Date; tender: { code: string; title: string } },
  seats: readonly SeatInvite[],
  at: Date,
) {
  const respondBy = new Date(at.getTime() + request.confirmWindowMinutes * 60_000);
  const messages: ExpertInvitationMessage[] = [];
  const invited: { seatId: string; respondBy: Date }[] = [];
  for (const s of seats) {
    const row = await tx.committeeSeat.create({
      data: { requestId: request.id, seat: s.seat, expertId: s.expertId, specialty: s.specialty, invitedAt: at, respondBy },
      select: { id: true, expert: { select: { userId: true, phone: true } } },
    });
    const message = {
      userId: row.expert.userId,
      phone: row.expert.phone,
      tenderCode: request.tender.code,
      tenderTitle: request.tender.title,
      evaluationStartAt: request.evaluationStartAt,
      respondBy,
    };
    await recordInvitationNotice(tx, message);
    messages.push(message);
    invited.push({ seatId: row.id, respondBy });
  }
  return { messages, invited };
}

async function staffOf(tenderId: string): Promise<{ agent: string[]; supervisors: string[] }> {
  const [tender, supervisors] = await Promise.all([
    db().tender.findUniqueOrThrow({ where: { id: tenderId }, select: { createdById: true } }),
    db().tenderSupervisor.findMany({ where: { tenderId }, select: { userId: true } }),
  ]);
  return { agent: [tender.createdById], supervisors: supervisors.map((s) => s.userId) };
}

/**
 * Runs the draw of an approved request once it is due (idempotent: a second run finds it drawn).
 * In one transaction: the pool is split by avoidance against the tender's actual bidders; the
 * eligible list's hash and the commitment go into the audit chain, and that entry's hash — which
 * did not exist before this moment — is mixed with the committed secret into the seed
 * (docs/decisions/080); bidding-core draws members and reserves; members are invited.
 */
export async function runDraw(requestId: string): Promise<DrawOutcome> {
  const at = now();
  const outcome = await db().$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM committee_request WHERE id = ${requestId}::uuid FOR UPDATE`;
    const request = await tx.committeeRequest.findUnique({
      where: { id: requestId },
      select: {
        id: true,
        tenderId: true,
        status: true,
        drawAt: true,
        requirements: true,
        seedSecret: true,
        seedCommitment: true,
        confirmWindowMinutes: true,
        evaluationStartAt: true,
        tender: { select: { code: true, title: true, bidDeadline: true } },
      },
    });
    if (!request) return { drawn: false as const, requestId, reason: "not-found" as const };
    if (request.status !== "APPROVED" || !request.seedSecret || !request.seedCommitment)
      return { drawn: false as const, requestId, reason: "not-approved" as const };
    // After the bid deadline, so avoidance sees the bidders that actually submitted.
    if (!request.drawAt || at < request.drawAt || !request.tender.bidDeadline || at < request.tender.bidDeadline)
      return { drawn: false as const, requestId, reason: "not-due" as const };
    // The secret must still be the one committed to (a changed row would make the draw unverifiable).
    const secret = verifySeed(request.seedSecret, request.seedCommitment);
    if (!secret.ok) throw new Error(`draw ${requestId}: the stored secret does not match its commitment`);
    const requirements = requirementsOf(request.requirements);
    const context = await avoidanceContext(tx, request.tenderId, at);
    const { eligible, excluded } = splitPool(await poolProfiles(tx, requirements, at), context);
    const shortfalls = poolShortfalls(eligible, requirements);
    if (shortfalls.length > 0) {
      const failure = { shortfalls: shortfalls.map((s) => ({ ...s })) };
      await tx.committeeRequest.update({
        where: { id: requestId },
        data: { status: "FAILED", failure, drawnAt: at, excluded: excluded.map((e) => ({ ...e })) },
      });
      await appendAudit(
        {
          action: "experts.draw_failed",
          subjectType: AUDIT_SUBJECT.Tender,
          subjectId: request.tenderId,
          data: { requestId, ...failure },
        },
        tx,
      );
      return {
        drawn: false as const,
        requestId,
        reason: "pool-too-small" as const,
        tenderId: request.tenderId,
        code: request.tender.code,
      };
    }
    const hash = poolHash(eligible);
    const fixed = await appendAudit(
      {
        action: "experts.pool_fixed",
        subjectType: AUDIT_SUBJECT.Tender,
        subjectId: request.tenderId,
        data: {
          requestId,
          seedCommitment: request.seedCommitment,
          poolHash: hash,
          eligible: eligible.length,
          excluded: excluded.length,
        },
      },
      tx,
    );
    const seed = drawSeed(secret.value, fixed.hash)!;
    const drawn = rerunDraw({ eligible, requirements, seed });
    if (!drawn.ok) throw new Error(`draw ${requestId}: ${drawn.error.code} after the shortfall check`);
    await tx.committeeRequest.update({
      where: { id: requestId },
      data: {
        status: "DRAWN",
        poolHash: hash,
        mixHash: fixed.hash,
        drawnAt: at,
        eligible: eligible.map((e) => ({ id: e.id, specialties: [...e.specialties] })),
        excluded: excluded.map((e) => ({ expertId: e.expertId, reasons: [...e.reasons] })),
        result: { members: drawn.value.members.map((m) => ({ ...m })), reserves: drawn.value.reserves.map((m) => ({ ...m })) },
      },
    });
    // The audit names pseudonymous ids only; names stay with the supervisors (TBL Art 37).
    await appendAudit(
      {
        action: "experts.drawn",
        subjectType: AUDIT_SUBJECT.Tender,
        subjectId: request.tenderId,
        data: {
          requestId,
          members: drawn.value.members.length,
          reserves: drawn.value.reserves.length,
          excluded: excluded.length,
        },
      },
      tx,
    );
    const seats = drawn.value.members.map((m, i) => ({ seat: i + 1, expertId: m.expertId, specialty: m.specialty }));
    const { messages, invited } = await invite(tx, request, seats, at);
    return { drawn: true as const, requestId, invited, messages, tenderId: request.tenderId, code: request.tender.code };
  });
  if (outcome.drawn) {
    const { messages, tenderId, code, ...rest } = outcome;
    await invalidatePublicTender(tenderId);
    await deliverInvitations(messages);
    const staff = await staffOf(tenderId);
    await noticeUsers(
      [...staff.agent, ...staff.supervisors],
      "experts.drawn",
      code,
      { code },
      `/agent/tenders/${tenderId}/committee`,
    );
    return rest;
  }
  if (outcome.reason === "pool-too-small" && "tenderId" in outcome) {
    const staff = await staffOf(outcome.tenderId);
    await noticeUsers(
      [...staff.agent, ...staff.supervisors],
      "experts.draw_failed",
      outcome.code,
      { code: outcome.code },
      `/agent/tenders/${outcome.tenderId}/committee`,
    );
    return { drawn: false, requestId, reason: "pool-too-small" };
  }
  return outcome as DrawOutcome;
}

/** Approved requests whose time has come (the sweep's catch for a lost delayed job). */
export async function dueDraws(): Promise<string[]> {
  const rows = await db().committeeRequest.findMany({
    where: { status: "APPROVED", drawAt: { lte: now() } },
    select: { id: true },
    take: 100,
  });
  return rows.map((r) => r.id);
}

type SeatEnd = "DECLINED" | "TIMED_OUT" | "REPLACED";

/**
 * Ends a seat's current holder and invites the next reserve of the same specialty, in the
 * draw's order (Regs Art 48). Never another specialty: with none left, the seat stays open and
 * the supervisors are told.
 */
async function endAndReplace(tx: Tx, seatId: string, status: SeatEnd, reason: string, actorId: string | null, at: Date) {
  const seat = await tx.committeeSeat.findUniqueOrThrow({
    where: { id: seatId },
    select: {
      id: true,
      seat: true,
      expertId: true,
      specialty: true,
      request: {
        select: {
          id: true,
          tenderId: true,
          result: true,
          confirmWindowMinutes: true,
          evaluationStartAt: true,
          tender: { select: { code: true, title: true } },
        },
      },
    },
  });
  await tx.committeeSeat.update({ where: { id: seatId }, data: { status, respondedAt: at, endReason: reason } });
  const used = await tx.committeeSeat.findMany({ where: { requestId: seat.request.id }, select: { expertId: true } });
  const next = nextReserve(
    drawResultOf(seat.request.result),
    seat.specialty,
    used.map((u) => u.expertId),
  );
  await appendAudit(
    {
      actorId,
      action: `experts.seat_${status.toLowerCase()}`,
      subjectType: AUDIT_SUBJECT.Tender,
      subjectId: seat.request.tenderId,
      data: {
        requestId: seat.request.id,
        seat: seat.seat,
        expertId: seat.expertId,
        reason,
        nextExpertId: next?.expertId ?? null,
      },
    },
    tx,
  );
  if (!next)
    return {
      messages: [] as ExpertInvitationMessage[],
      invited: [] as { seatId: string; respondBy: Date }[],
      exhausted: true,
      tenderId: seat.request.tenderId,
      code: seat.request.tender.code,
    };
  const result = await invite(tx, seat.request, [{ seat: seat.seat, expertId: next.expertId, specialty: next.specialty }], at);
  return {
    ...result,
    exhausted: false,
    tenderId: seat.request.tenderId,
    code: seat.request.tender.code,
    nextExpertId: next.expertId,
  };
}

async function afterReplace(r: Awaited<ReturnType<typeof endAndReplace>>) {
  await deliverInvitations(r.messages);
  if (r.exhausted) {
    const staff = await staffOf(r.tenderId);
    await noticeUsers(staff.supervisors, "experts.reserves_exhausted", r.code, { code: r.code }, `/supervisor/committees`);
  }
}

const REFUSED = {
  notFound: refuse("experts.own.notFound", 404),
  notInvited: refuse("experts.own.notInvited", 409),
  windowClosed: refuse("experts.own.windowClosed", 409),
  notMember: refuse("experts.own.notMember", 404),
} as const;

/** The invited expert confirms or declines; after the window the answer is refused and the seat moves on. */
export async function respondToInvitation(userId: string, seatId: string, accept: boolean): Promise<{ ok: true } | Refused> {
  const at = now();
  const out = await db().$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM committee_seat WHERE id = ${seatId}::uuid FOR UPDATE`;
    const seat = await tx.committeeSeat.findUnique({
      where: { id: seatId },
      select: {
        id: true,
        status: true,
        respondBy: true,
        seat: true,
        request: { select: { id: true, tenderId: true } },
        expert: { select: { userId: true } },
      },
    });
    if (!seat || seat.expert.userId !== userId) return { ok: false as const, error: "notFound" as const };
    if (seat.status !== "INVITED") return { ok: false as const, error: "notInvited" as const };
    if (at > seat.respondBy)
      return {
        ok: false as const,
        error: "windowClosed" as const,
        replace: await endAndReplace(tx, seat.id, "TIMED_OUT", "window", null, at),
      };
    if (!accept) return { ok: true as const, replace: await endAndReplace(tx, seat.id, "DECLINED", "declined", userId, at) };
    await tx.committeeSeat.update({ where: { id: seat.id }, data: { status: "CONFIRMED", respondedAt: at } });
    await appendAudit(
      {
        actorId: userId,
        action: "experts.seat_confirmed",
        subjectType: AUDIT_SUBJECT.Tender,
        subjectId: seat.request.tenderId,
        data: { requestId: seat.request.id, seat: seat.seat },
      },
      tx,
    );
    return { ok: true as const };
  });
  if ("replace" in out && out.replace) await afterReplace(out.replace);
  return out.ok ? { ok: true } : REFUSED[out.error];
}

/** Invitations whose window has passed: timed out, the next reserve invited. Idempotent. */
export async function expireInvitations(): Promise<number> {
  const at = now();
  const due = await db().committeeSeat.findMany({
    where: { status: "INVITED", respondBy: { lt: at } },
    select: { id: true },
    take: 200,
  });
  let expired = 0;
  for (const { id } of due) {
    const r = await db().$transaction(async (tx) => {
      await tx.$queryRaw`SELECT id FROM committee_seat WHERE id = ${id}::uuid FOR UPDATE`;
      const seat = await tx.committeeSeat.findUnique({ where: { id }, select: { status: true, respondBy: true } });
      if (!seat || seat.status !== "INVITED" || seat.respondBy >= at) return null;
      return endAndReplace(tx, id, "TIMED_OUT", "window", null, at);
    });
    if (r) {
      expired++;
      await afterReplace(r);
    }
  }
  return expired;
}

/**
 * Regs Art 48: a member who recuses, falls ill or leaves is replaced from the reserves of the
 * same specialty, in the draw's order; recorded. Called by the evaluation room. Returns the
 * invited replacement's expert id, or null when no reserve is left (the supervisors are told).
 */
export async function replaceMember(input: {
  tenderId: string;
  expertId: string;
  reason: "recused" | "ill" | "left" | string;
  actorId: string;
}): Promise<{ ok: true; replacementExpertId: string | null } | Refused> {
  const at = now();
  const r = await db().$transaction(async (tx) => {
    const seat = await tx.committeeSeat.findFirst({
      where: {
        expertId: input.expertId,
        status: { in: ["INVITED", "CONFIRMED"] },
        request: { tenderId: input.tenderId, status: "DRAWN" },
      },
      select: { id: true },
    });
    if (!seat) return null;
    await tx.$queryRaw`SELECT id FROM committee_seat WHERE id = ${seat.id}::uuid FOR UPDATE`;
    return endAndReplace(tx, seat.id, "REPLACED", input.reason.slice(0, 200), input.actorId, at);
  });
  if (!r) return REFUSED.notMember;
  await afterReplace(r);
  return { ok: true, replacementExpertId: "nextExpertId" in r && typeof r.nextExpertId === "string" ? r.nextExpertId : null };
}
