// Who sees what of a committee (TBL Art 37): names only for the admin and the tender's assigned
// supervisors until the result is fixed; the agent counts and states; the public the commitment,
// then everything needed to re-run the draw.
import type { DrawRequirement, EligibleExpert, PublishedDraw } from "../../../bidding-core/index.ts";
import type { CommitteeSeatStatus } from "../../generated/prisma/enums.ts";
import type { SessionUser } from "../../platform/auth/auth.server.ts";
import { appendAudit } from "../../platform/audit/audit.server.ts";
import { AUDIT_SUBJECT } from "../../platform/audit/subjects.ts";
import { now } from "../../platform/clock.server.ts";
import { invalidatePublicTender } from "../../platform/public-cache.server.ts";
import { db, type PrismaClient } from "../../platform/db.server.ts";
import { drawResultOf } from "./draw.server.ts";

const REQUEST_SELECT = {
  id: true,
  tenderId: true,
  status: true,
  requirements: true,
  representativeIds: true,
  evaluationStartAt: true,
  drawLeadHours: true,
  confirmWindowMinutes: true,
  drawAt: true,
  seedCommitment: true,
  poolHash: true,
  failure: true,
  drawnAt: true,
  resultFixedAt: true,
  decisionNote: true,
  createdAt: true,
} as const;

/** The tender's current request: the newest one. */
async function latestRequest(tenderId: string) {
  return db().committeeRequest.findFirst({ where: { tenderId }, orderBy: { createdAt: "desc" }, select: REQUEST_SELECT });
}

function requirementsOf(json: unknown): DrawRequirement[] {
  return json as DrawRequirement[];
}

/** The current holder of each seat: the latest invitation per seat number. */
function currentSeats<T extends { seat: number; invitedAt: Date }>(rows: readonly T[]): T[] {
  const bySeat = new Map<number, T>();
  for (const r of [...rows].sort((a, b) => a.invitedAt.getTime() - b.invitedAt.getTime())) bySeat.set(r.seat, r);
  return [...bySeat.values()].sort((a, b) => a.seat - b.seat);
}

const ACTIVE_SEAT: readonly CommitteeSeatStatus[] = ["INVITED", "CONFIRMED"];

/** The agent's view: the request and, per specialty, how many seats are confirmed. No names. */
export async function agentCommitteeView(tenderId: string) {
  const request = await latestRequest(tenderId);
  if (!request) return null;
  const seats = currentSeats(
    await db().committeeSeat.findMany({
      where: { requestId: request.id },
      select: { seat: true, specialty: true, status: true, invitedAt: true },
    }),
  );
  const requirements = requirementsOf(request.requirements);
  return {
    ...serialiseRequest(request),
    counts: requirements.map((r) => {
      const mine = seats.filter((s) => s.specialty === r.specialty);
      return {
        specialty: r.specialty,
        seats: r.count,
        confirmed: mine.filter((s) => s.status === "CONFIRMED").length,
        invited: mine.filter((s) => s.status === "INVITED").length,
      };
    }),
  };
}

function serialiseRequest(r: NonNullable<Awaited<ReturnType<typeof latestRequest>>>) {
  return {
    id: r.id,
    tenderId: r.tenderId,
    status: r.status,
    requirements: requirementsOf(r.requirements),
    representatives: r.representativeIds.length,
    evaluationStartAt: r.evaluationStartAt.toISOString(),
    drawLeadHours: r.drawLeadHours,
    confirmWindowMinutes: r.confirmWindowMinutes,
    drawAt: r.drawAt?.toISOString() ?? null,
    seedCommitment: r.seedCommitment,
    poolHash: r.poolHash,
    failure: r.failure,
    drawnAt: r.drawnAt?.toISOString() ?? null,
    resultFixed: r.resultFixedAt !== null,
    decisionNote: r.decisionNote,
  };
}

/** Requests on the tenders this supervisor is assigned to, newest first. */
export async function supervisorRequests(userId: string) {
  const rows = await db().committeeRequest.findMany({
    where: { tender: { supervisors: { some: { userId } } } },
    orderBy: { createdAt: "desc" },
    take: 100,
    select: {
      id: true,
      status: true,
      createdAt: true,
      evaluationStartAt: true,
      tender: { select: { id: true, code: true, title: true } },
    },
  });
  return rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString(), evaluationStartAt: r.evaluationStartAt.toISOString() }));
}

/**
 * The supervisors' and admin's view of one request: names, employers, seat states, reserves and
 * the exclusions with their reasons. Anyone else gets 403.
 */
export async function confidentialCommitteeView(user: SessionUser, requestId: string) {
  const request = await db().committeeRequest.findUnique({
    where: { id: requestId },
    select: {
      ...REQUEST_SELECT,
      excluded: true,
      result: true,
      tender: { select: { code: true, title: true, bidDeadline: true } },
    },
  });
  if (!request) throw new Response("Not Found", { status: 404 });
  const assigned =
    user.role === "SUPERVISOR" &&
    (await db().tenderSupervisor.count({ where: { tenderId: request.tenderId, userId: user.id } })) === 1;
  if (!assigned && user.role !== "ADMIN") throw new Response("Forbidden", { status: 403, statusText: "Forbidden" });
  const seats = await db().committeeSeat.findMany({
    where: { requestId },
    orderBy: [{ seat: "asc" }, { invitedAt: "asc" }],
    select: {
      id: true,
      seat: true,
      specialty: true,
      status: true,
      invitedAt: true,
      respondBy: true,
      respondedAt: true,
      endReason: true,
      expertId: true,
    },
  });
  const excluded = (request.excluded ?? []) as { expertId: string; reasons: string[] }[];
  const result = drawResultOf(request.result);
  const ids = [
    ...new Set([...seats.map((s) => s.expertId), ...excluded.map((e) => e.expertId), ...result.reserves.map((r) => r.expertId)]),
  ];
  const experts = await db().expert.findMany({
    where: { id: { in: ids } },
    select: { id: true, name: true, employer: { select: { name: true } } },
  });
  const who = new Map(experts.map((e) => [e.id, { name: e.name, employer: e.employer.name }] as const));
  const usedIds = new Set(seats.map((s) => s.expertId));
  return {
    ...serialiseRequest(request),
    tender: { code: request.tender.code, title: request.tender.title },
    seats: seats.map((s) => ({
      ...s,
      ...who.get(s.expertId),
      invitedAt: s.invitedAt.toISOString(),
      respondBy: s.respondBy.toISOString(),
      respondedAt: s.respondedAt?.toISOString() ?? null,
    })),
    reserves: result.reserves.map((r, i) => ({ order: i + 1, ...r, ...who.get(r.expertId), used: usedIds.has(r.expertId) })),
    excluded: excluded.map((e) => ({ ...e, ...who.get(e.expertId) })),
  };
}

/** What an invited expert sees: the tender's name, the time, what to prepare. Never the bidders. */
export async function expertInvitations(userId: string) {
  const seats = await db().committeeSeat.findMany({
    where: { expert: { userId } },
    orderBy: { invitedAt: "desc" },
    take: 50,
    select: {
      id: true,
      status: true,
      respondBy: true,
      specialty: true,
      request: { select: { evaluationStartAt: true, tender: { select: { code: true, title: true } } } },
    },
  });
  return seats.map((s) => ({
    id: s.id,
    status: s.status,
    respondBy: s.respondBy.toISOString(),
    specialty: s.specialty,
    evaluationStartAt: s.request.evaluationStartAt.toISOString(),
    tenderCode: s.request.tender.code,
    tenderTitle: s.request.tender.title,
  }));
}

export interface CommitteeMemberForRoom {
  readonly seat: number | null;
  readonly userId: string;
  readonly expertId: string | null;
  readonly role: "expert" | "tenderer-representative";
  readonly specialty: string | null;
  readonly status: CommitteeSeatStatus | "REPRESENTATIVE";
  /** 组长 is elected among the drawn experts; the tenderer's representatives do not chair. */
  readonly chairEligible: boolean;
}

/**
 * The committee of a tender for the evaluation room: confirmed (and still invited) experts by
 * seat, then the tenderer's representatives. Null when no draw has been made.
 */
export async function loadCommittee(
  tenderId: string,
): Promise<{ requestId: string; evaluationStartAt: Date; resultFixed: boolean; members: CommitteeMemberForRoom[] } | null> {
  const request = await db().committeeRequest.findFirst({
    where: { tenderId, status: "DRAWN" },
    orderBy: { createdAt: "desc" },
    select: { id: true, evaluationStartAt: true, resultFixedAt: true, representativeIds: true },
  });
  if (!request) return null;
  const seats = currentSeats(
    await db().committeeSeat.findMany({
      where: { requestId: request.id },
      select: {
        seat: true,
        specialty: true,
        status: true,
        invitedAt: true,
        expertId: true,
        expert: { select: { userId: true } },
      },
    }),
  );
  const members: CommitteeMemberForRoom[] = seats
    .filter((s) => ACTIVE_SEAT.includes(s.status))
    .map((s) => ({
      seat: s.seat,
      userId: s.expert.userId,
      expertId: s.expertId,
      role: "expert",
      specialty: s.specialty,
      status: s.status,
      chairEligible: s.status === "CONFIRMED",
    }));
  for (const userId of request.representativeIds)
    members.push({
      seat: null,
      userId,
      expertId: null,
      role: "tenderer-representative",
      specialty: null,
      status: "REPRESENTATIVE",
      chairEligible: false,
    });
  return {
    requestId: request.id,
    evaluationStartAt: request.evaluationStartAt,
    resultFixed: request.resultFixedAt !== null,
    members,
  };
}

/**
 * The result is fixed (the committee is published with the candidates; the results issue calls
 * this, tests may): the seed secret and the eligible list become public. Idempotent, audited.
 */
export async function fixCommitteeResult(tenderId: string, actorId: string | null): Promise<{ ok: boolean }> {
  const fixed = await db().$transaction(async (tx) => {
    const request = await tx.committeeRequest.findFirst({
      where: { tenderId, status: "DRAWN" },
      orderBy: { createdAt: "desc" },
      select: { id: true, resultFixedAt: true, seedSecret: true },
    });
    if (!request) return { ok: false };
    if (request.resultFixedAt) return { ok: true };
    await tx.committeeRequest.update({ where: { id: request.id }, data: { resultFixedAt: now() } });
    await appendAudit(
      {
        actorId,
        action: "experts.result_fixed",
        subjectType: AUDIT_SUBJECT.Tender,
        subjectId: tenderId,
        data: { requestId: request.id, seedSecret: request.seedSecret },
      },
      tx,
    );
    return { ok: true };
  });
  if (fixed.ok) await invalidatePublicTender(tenderId);
  return fixed;
}

export type PublicDraw =
  | { state: "none" }
  | {
      state: "committed" | "drawn";
      seedCommitment: string;
      poolHash: string | null;
      drawAt: string | null;
      drawnAt: string | null;
      requirements: DrawRequirement[];
    }
  | { state: "failed"; seedCommitment: string | null; requirements: DrawRequirement[] }
  | { state: "published"; draw: PublishedDraw; drawnAt: string | null; names: Record<string, string> };

/**
 * The public page's data (and `/tenders/:id/draw.json`). Before the result: only the commitments.
 * The notice page passes `publicDb()`, so its reads stay on the public pool (decision 070).
 */
export async function publicDraw(tenderId: string, client: PrismaClient = db()): Promise<PublicDraw> {
  const request = await client.committeeRequest.findFirst({
    where: { tenderId, status: { in: ["APPROVED", "DRAWN", "FAILED"] } },
    orderBy: { createdAt: "desc" },
    select: {
      status: true,
      requirements: true,
      seedCommitment: true,
      poolHash: true,
      drawAt: true,
      drawnAt: true,
      resultFixedAt: true,
      seedSecret: true,
      mixHash: true,
      eligible: true,
      result: true,
    },
  });
  if (!request) return { state: "none" };
  const requirements = requirementsOf(request.requirements);
  if (request.status === "FAILED") return { state: "failed", seedCommitment: request.seedCommitment, requirements };
  if (!request.resultFixedAt || !request.seedSecret || !request.mixHash || !request.poolHash || !request.seedCommitment) {
    return {
      state: request.status === "DRAWN" ? "drawn" : "committed",
      seedCommitment: request.seedCommitment ?? "",
      poolHash: request.poolHash,
      drawAt: request.drawAt?.toISOString() ?? null,
      drawnAt: request.drawnAt?.toISOString() ?? null,
      requirements,
    };
  }
  const result = drawResultOf(request.result);
  const experts = await client.expert.findMany({
    where: { id: { in: result.members.map((m) => m.expertId) } },
    select: { id: true, name: true },
  });
  return {
    state: "published",
    drawnAt: request.drawnAt?.toISOString() ?? null,
    names: Object.fromEntries(experts.map((e) => [e.id, e.name])),
    draw: {
      commitment: request.seedCommitment,
      poolHash: request.poolHash,
      secretHex: request.seedSecret,
      mixHex: request.mixHash,
      eligible: request.eligible as unknown as EligibleExpert[],
      requirements,
      members: result.members,
      reserves: result.reserves,
    },
  };
}
