// 中标 (TBL Art 45, Regs Arts 54-55): the tenderer's agent confirms the winner from the published
// candidates once the publicity is over and no objection is open; candidates passed over are
// recorded with their cause (award_decline); with none left the tender goes to re-tender.
// Confirming writes the award (the result notice is public from that instant), moves the tender
// to AWARDED, issues the signed letters to every bidder and opens the contract and report clocks.
import { z } from "zod";
import {
  AWARD_REPORT_DAYS,
  checkAwardChoice,
  checkDecline,
  checkRetenderAfterDeclines,
  CONTRACT_DAYS,
  DECLINE_CAUSES,
  domainError,
  formatYuan,
  nextCandidate,
  type DeclineCause,
} from "../../../bidding-core/index";
import type { TenderStatus } from "../../generated/prisma/enums.ts";
import { appendAudit } from "../../platform/audit/audit.server.ts";
import { AUDIT_SUBJECT } from "../../platform/audit/subjects.ts";
import type { SessionUser } from "../../platform/auth/auth.server.ts";
import { now } from "../../platform/clock.server.ts";
import { db, type Tx } from "../../platform/db.server.ts";
import { invalidatePublicTender } from "../../platform/public-cache.server.ts";
import { refuse, refusalFromDomain, type Outcome, type Refused } from "../../platform/refusal.ts";
import { loadCalendar } from "../calendar/index.ts";
import {
  agentUserIds,
  clocksOf,
  openClock,
  pushNotifications,
  scheduleClockTimers,
  supervisorUserIds,
  writeNotifications,
  type ClockTimes,
} from "../clocks/index.ts";
import { openObjectionCount } from "../objections/index.ts";
import { applyEvent } from "../tenders/index.ts";
import { prepareLetters, writeLetters, type PreparedLetter } from "./letters.server.ts";

/** A published candidate as candidate_publicity.candidates holds it (decision 113). */
export interface PublishedCandidate {
  rank: number;
  bidderOrgId: string;
  name: string;
  priceCents: string | null;
  score: string | null;
}

const CandidateSchema = z.object({
  rank: z.number().int().positive(),
  bidderOrgId: z.string().uuid(),
  name: z.string(),
  priceCents: z.string().nullable().optional(),
  evaluatedPriceCents: z.string().optional(),
  score: z.string().nullable().optional(),
});

export function publishedCandidates(json: unknown): PublishedCandidate[] {
  const parsed = z.array(CandidateSchema.passthrough()).safeParse(json);
  if (!parsed.success) return [];
  return parsed.data
    .map((c) => ({
      rank: c.rank,
      bidderOrgId: c.bidderOrgId,
      name: c.name,
      priceCents: c.priceCents ?? null,
      score: c.score ?? null,
    }))
    .sort((a, b) => a.rank - b.rank);
}

export const DeclineFormSchema = z.object({
  bidderOrgId: z.string().uuid("candidateRequired"),
  cause: z.enum(DECLINE_CAUSES, { message: "causeRequired" }),
  reason: z.string().trim().min(4, "reasonTooShort").max(4000),
});

export const AwardFormSchema = z.object({ winnerOrgId: z.string().uuid("candidateRequired") });

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
  bidSecurityCents: true,
  tendererOrg: { select: { name: true } },
  agentOrg: { select: { name: true } },
} as const;

async function lockedState(tx: Tx, tenderId: string) {
  await tx.$queryRaw`SELECT id FROM tender WHERE id = ${tenderId}::uuid FOR UPDATE`;
  const tender = await tx.tender.findUnique({ where: { id: tenderId }, select: TENDER_SELECT });
  if (!tender) return null;
  const [publicity, declines, award] = await Promise.all([
    tx.candidatePublicity.findUnique({ where: { tenderId } }),
    tx.awardDecline.findMany({ where: { tenderId }, orderBy: { rank: "asc" } }),
    tx.award.findUnique({ where: { tenderId }, select: { id: true } }),
  ]);
  return { tender, publicity, declines, award };
}
type LockedState = NonNullable<Awaited<ReturnType<typeof lockedState>>>;

/** Audits a refusal of the award step (inside the caller's transaction) and returns it. */
async function refused(tx: Tx, user: SessionUser | null, tenderId: string, step: string, r: Refused): Promise<Refused> {
  const { code, article, params } = r.refusal;
  await appendAudit(
    {
      actorId: user?.id ?? null,
      action: "results.award_refused",
      subjectType: AUDIT_SUBJECT.Tender,
      subjectId: tenderId,
      data: { tenderId, step, code, ...(article ? { article } : {}), ...(params ?? {}) },
    },
    tx,
  );
  return r;
}

/**
 * What the law says about deciding the award now (Regs Arts 54-55): a second award, an open
 * objection (or any suspension), a missing publicity and a publicity not over are refused.
 */
async function awardGate(state: LockedState, at: Date): Promise<Refused | null> {
  const { tender, publicity } = state;
  if (state.award) return refuse("award.refusal.alreadyAwarded", 409, { article: "TBL Art 45" });
  const open = await openObjectionCount(tender.id);
  if (open > 0 || tender.status === "SUSPENDED")
    return refusalFromDomain(domainError("TENDER.OBJECTION_PENDING", { count: open }), "tender.errors", 409);
  if (!publicity) return refuse("award.refusal.noPublicity", 409, { article: "Regs Art 54" });
  const outcome = applyEvent(
    { ...tender, publicity: { start: publicity.startsAt, end: publicity.endsAt } },
    { type: "award" },
    at,
  );
  if (!outcome.ok) return refusalFromDomain(outcome.error, "tender.errors", 409);
  return null;
}

/** The tender's agent staff only (its creator and its agent organisation's users). */
async function isAgent(tx: Tx, user: SessionUser, tenderId: string): Promise<boolean> {
  return user.role === "AGENT" && (await agentUserIds(tx, tenderId)).includes(user.id);
}

/** Runs one award step under the tender's lock: not found, not the agent, the gate, then `step`. */
async function awardStep<T>(
  user: SessionUser,
  tenderId: string,
  stepName: string,
  step: (tx: Tx, state: LockedState, at: Date) => Promise<Outcome<T>>,
): Promise<Outcome<T>> {
  if (!z.string().uuid().safeParse(tenderId).success) return refuse("award.refusal.notFound", 404);
  return db().$transaction(
    async (tx): Promise<Outcome<T>> => {
      const state = await lockedState(tx, tenderId);
      if (!state) return refuse("award.refusal.notFound", 404);
      if (!(await isAgent(tx, user, tenderId)))
        return refused(tx, user, tenderId, stepName, refuse("award.refusal.notAgent", 403));
      const at = now();
      const gate = await awardGate(state, at);
      if (gate) return refused(tx, user, tenderId, stepName, gate);
      const result = await step(tx, state, at);
      if (!result.ok) return refused(tx, user, tenderId, stepName, result);
      return result;
    },
    { maxWait: 20_000, timeout: 60_000 },
  );
}

/** Regs Art 55: records why the candidate offered now is passed over; the next one is offered. */
export async function declineCandidate(
  user: SessionUser,
  tenderId: string,
  input: z.infer<typeof DeclineFormSchema>,
): Promise<Outcome<{ next: PublishedCandidate | null }>> {
  const result = await awardStep(user, tenderId, "decline", async (tx, state, at) => {
    const candidates = publishedCandidates(state.publicity!.candidates);
    const declined = state.declines.map((d) => d.bidderOrgId);
    const check = checkDecline(candidatesForCore(candidates), declined, input.bidderOrgId);
    if (!check.ok) return refusalFromDomain(check.error, "tender.errors", 422);
    const row = await tx.awardDecline.create({
      data: {
        tenderId,
        bidderOrgId: input.bidderOrgId,
        rank: check.value.rank,
        cause: input.cause,
        reason: input.reason,
        recordedAt: at,
        recordedById: user.id,
      },
      select: { id: true },
    });
    await appendAudit(
      {
        actorId: user.id,
        action: "results.candidate_declined",
        subjectType: AUDIT_SUBJECT.Tender,
        subjectId: tenderId,
        data: {
          tenderId,
          declineId: row.id,
          bidderOrgId: input.bidderOrgId,
          rank: check.value.rank,
          cause: input.cause,
          reason: input.reason,
          article: "Regs Art 55",
        },
      },
      tx,
    );
    const next = nextPublished(candidates, [...declined, input.bidderOrgId]);
    return { ok: true, value: { next } };
  });
  return result;
}

/** Regs Art 55 (bidding-core's `nextCandidate`): the published candidate offered now, or null. */
function nextPublished(candidates: readonly PublishedCandidate[], declinedIds: readonly string[]): PublishedCandidate | null {
  const next = nextCandidate(candidatesForCore(candidates), declinedIds);
  return candidates.find((c) => c.bidderOrgId === next?.bidderId) ?? null;
}

function candidatesForCore(candidates: readonly PublishedCandidate[]) {
  return candidates.map((c) => ({ rank: c.rank, bidderId: c.bidderOrgId }));
}

/** Regs Art 55: with every candidate passed over, the tender is re-tendered (a new tender, prefilled from this one). */
export async function retenderAfterDeclines(user: SessionUser, tenderId: string): Promise<Outcome<{ status: TenderStatus }>> {
  const result = await awardStep(user, tenderId, "retender", async (tx, state, at) => {
    const candidates = publishedCandidates(state.publicity!.candidates);
    const check = checkRetenderAfterDeclines(
      candidatesForCore(candidates),
      state.declines.map((d) => d.bidderOrgId),
    );
    if (!check.ok) return refusalFromDomain(check.error, "tender.errors", 409);
    const outcome = applyEvent(state.tender, { type: "retender" }, at);
    if (!outcome.ok) return refusalFromDomain(outcome.error, "tender.errors", 409);
    await tx.tender.update({ where: { id: tenderId }, data: { status: outcome.status } });
    await appendAudit(
      {
        actorId: user.id,
        action: "results.retendered",
        subjectType: AUDIT_SUBJECT.Tender,
        subjectId: tenderId,
        data: { tenderId, declines: state.declines.map((d) => ({ rank: d.rank, cause: d.cause })), article: "Regs Art 55" },
      },
      tx,
    );
    return { ok: true, value: { status: outcome.status } };
  });
  if (result.ok) await invalidatePublicTender(tenderId);
  return result;
}

export interface Awarded {
  awardId: string;
  winnerOrgId: string;
  rank: number;
  letters: number;
  contractDue: Date;
  reportDue: Date;
}

/**
 * Confirms the winner (TBL Art 45). The letters are rendered and signed first (content-addressed
 * files, harmless if the transaction then refuses); everything else — award, tender status,
 * letter rows, clocks, audit, notifications — is one transaction, so nothing is half-written.
 */
export async function confirmAward(
  user: SessionUser,
  tenderId: string,
  input: z.infer<typeof AwardFormSchema>,
): Promise<Outcome<Awarded>> {
  // A cheap read first, so a refused award does not sign letters for nothing.
  const pre = await awardStep(user, tenderId, "award", async (_tx, state) => {
    const check = checkAwardChoice(
      candidatesForCore(publishedCandidates(state.publicity!.candidates)),
      state.declines.map((d) => d.bidderOrgId),
      input.winnerOrgId,
    );
    return check.ok ? { ok: true, value: state } : refusalFromDomain(check.error, "tender.errors", 422);
  });
  if (!pre.ok) return pre;
  const calendar = await loadCalendar();
  const at = now();
  const winner = publishedCandidates(pre.value.publicity!.candidates).find((c) => c.bidderOrgId === input.winnerOrgId)!;
  const prepared = await prepareLetters(pre.value.tender, winner, at);
  const timers: ClockTimes[] = [];
  const pushes: { users: string[]; kind: string }[] = [];
  const result = await awardStep(user, tenderId, "award", async (tx, state) => {
    const candidates = publishedCandidates(state.publicity!.candidates);
    const check = checkAwardChoice(
      candidatesForCore(candidates),
      state.declines.map((d) => d.bidderOrgId),
      input.winnerOrgId,
    );
    if (!check.ok) return refusalFromDomain(check.error, "tender.errors", 422);
    const outcome = applyEvent(
      { ...state.tender, publicity: { start: state.publicity!.startsAt, end: state.publicity!.endsAt } },
      { type: "award" },
      at,
    );
    if (!outcome.ok) return refusalFromDomain(outcome.error, "tender.errors", 409);
    const reason =
      winner.rank > 1
        ? state.declines.map((d) => `第${d.rank}名 ${nameOf(candidates, d.bidderOrgId)}：${d.reason}`).join("；")
        : null;
    const award = await tx.award.create({
      data: {
        tenderId,
        winnerOrgId: winner.bidderOrgId,
        winnerName: winner.name,
        winnerRank: winner.rank,
        priceCents: winner.priceCents === null ? null : BigInt(winner.priceCents),
        confirmedAt: at,
        confirmedById: user.id,
        reason,
        resultNoticeAt: at,
      },
      select: { id: true },
    });
    await tx.tender.update({ where: { id: tenderId }, data: { status: outcome.status } });
    const letters = await writeLetters(tx, award.id, tenderId, prepared, at);
    const base = { tenderId, subjectType: AUDIT_SUBJECT.Award, subjectId: award.id, startedAt: at };
    const contract = await openClock(
      tx,
      { ...base, kind: "sign-contract", basis: { kind: "within-days", days: CONTRACT_DAYS } },
      calendar,
    );
    const report = await openClock(
      tx,
      { ...base, kind: "award-report", basis: { kind: "within-days", days: AWARD_REPORT_DAYS } },
      calendar,
    );
    timers.push(contract, report);
    await appendAudit(
      {
        actorId: user.id,
        action: "results.awarded",
        subjectType: AUDIT_SUBJECT.Award,
        subjectId: award.id,
        data: {
          tenderId,
          winnerOrgId: winner.bidderOrgId,
          rank: winner.rank,
          priceCents: winner.priceCents,
          resultNoticeAt: at.toISOString(),
          declines: state.declines.map((d) => ({ rank: d.rank, bidderOrgId: d.bidderOrgId, cause: d.cause })),
          letters: letters.map((l) => ({ bidderOrgId: l.bidderOrgId, kind: l.kind, pdfSha256: l.pdfSha256 })),
          contractDue: contract.dueAt.toISOString(),
          reportDue: report.dueAt.toISOString(),
          article: "TBL Art 45",
        },
      },
      tx,
    );
    const tender = state.tender;
    for (const letter of prepared) {
      const users = await tx.user.findMany({
        where: { organizationId: letter.bidderOrgId, role: "BIDDER", disabledAt: null },
        select: { id: true },
      });
      pushes.push({
        kind: "award.letter",
        users: await writeNotifications(
          tx,
          users.map((u) => u.id),
          {
            kind: "award.letter",
            title: tender.code,
            params: { code: tender.code, tender: tender.title, letter: letter.kind },
            link: `/bids/${tenderId}`,
          },
        ),
      });
    }
    pushes.push({
      kind: "award.awarded",
      users: await writeNotifications(tx, await supervisorUserIds(tx, tenderId), {
        kind: "award.awarded",
        title: tender.code,
        params: { code: tender.code, tender: tender.title, winner: winner.name },
        link: `/tenders/${tenderId}/result`,
      }),
    });
    return {
      ok: true,
      value: {
        awardId: award.id,
        winnerOrgId: winner.bidderOrgId,
        rank: winner.rank,
        letters: letters.length,
        contractDue: contract.dueAt,
        reportDue: report.dueAt,
      },
    };
  });
  if (!result.ok) return result;
  await scheduleClockTimers(timers);
  await invalidatePublicTender(tenderId);
  for (const p of pushes) pushNotifications(p.users, p.kind);
  return result;
}

function nameOf(candidates: readonly PublishedCandidate[], orgId: string): string {
  return candidates.find((c) => c.bidderOrgId === orgId)?.name ?? "";
}

export type { PreparedLetter, DeclineCause };

/** The agent's award page: the publicity, the candidates, what is recorded, what comes next. Null: not found; "forbidden": not the agent. */
export async function agentAwardView(user: SessionUser, tenderId: string) {
  if (!z.string().uuid().safeParse(tenderId).success) return null;
  const tender = await db().tender.findUnique({ where: { id: tenderId }, select: TENDER_SELECT });
  if (!tender) return null;
  if (!(await db().$transaction((tx) => isAgent(tx, user, tenderId)))) return "forbidden" as const;
  const [publicity, declines, award, openObjections] = await Promise.all([
    db().candidatePublicity.findUnique({ where: { tenderId } }),
    db().awardDecline.findMany({ where: { tenderId }, orderBy: { rank: "asc" } }),
    db().award.findUnique({ where: { tenderId }, include: { letters: { orderBy: { kind: "asc" } } } }),
    openObjectionCount(tenderId),
  ]);
  const candidates = publicity ? publishedCandidates(publicity.candidates) : [];
  const next = nextPublished(
    candidates,
    declines.map((d) => d.bidderOrgId),
  );
  const [clocks, refunds, bidders] = award
    ? await Promise.all([
        clocksOf(AUDIT_SUBJECT.Award, [award.id]),
        db().securityRefund.findMany({ where: { tenderId }, orderBy: { refundedAt: "asc" } }),
        db().organization.findMany({
          where: { id: { in: award.letters.map((l) => l.bidderOrgId) } },
          select: { id: true, name: true },
        }),
      ])
    : [[], [], []];
  const nameOfOrg = (id: string) => bidders.find((b) => b.id === id)?.name ?? nameOf(candidates, id);
  return {
    tender: {
      id: tender.id,
      code: tender.code,
      title: tender.title,
      status: tender.status,
      bidSecurityCents: tender.bidSecurityCents.toString(),
      bidSecurityYuan: formatYuan(tender.bidSecurityCents),
    },
    publicity: publicity ? { startsAt: publicity.startsAt.toISOString(), endsAt: publicity.endsAt.toISOString() } : null,
    publicityOver: publicity ? publicity.endsAt.getTime() <= now().getTime() : false,
    openObjections,
    candidates,
    declines: declines.map((d) => ({
      rank: d.rank,
      bidderOrgId: d.bidderOrgId,
      name: nameOf(candidates, d.bidderOrgId),
      cause: d.cause,
      reason: d.reason,
      recordedAt: d.recordedAt.toISOString(),
    })),
    next,
    award: award
      ? {
          id: award.id,
          winnerOrgId: award.winnerOrgId,
          winnerName: award.winnerName,
          winnerRank: award.winnerRank,
          priceCents: award.priceCents?.toString() ?? null,
          confirmedAt: award.confirmedAt.toISOString(),
          contractSignedAt: award.contractSignedAt?.toISOString() ?? null,
          contractAmountCents: award.contractAmountCents?.toString() ?? null,
          reportSubmittedAt: award.reportSubmittedAt?.toISOString() ?? null,
          letters: award.letters.map((l) => ({
            bidderOrgId: l.bidderOrgId,
            name: nameOfOrg(l.bidderOrgId),
            kind: l.kind,
            issuedAt: l.issuedAt.toISOString(),
            firstDownloadedAt: l.firstDownloadedAt?.toISOString() ?? null,
          })),
          refunds: award.letters.map((l) => {
            const r = refunds.find((x) => x.bidderOrgId === l.bidderOrgId);
            return {
              bidderOrgId: l.bidderOrgId,
              name: nameOfOrg(l.bidderOrgId),
              amountCents: r?.amountCents.toString() ?? null,
              refundedAt: r?.refundedAt.toISOString() ?? null,
            };
          }),
          clocks: clocks.map((c) => ({
            kind: c.kind,
            dueAt: c.dueAt.toISOString(),
            provisional: c.provisional,
            stoppedAt: c.stoppedAt?.toISOString() ?? null,
          })),
        }
      : null,
  };
}
export type AgentAwardView = Exclude<NonNullable<Awaited<ReturnType<typeof agentAwardView>>>, "forbidden">;
