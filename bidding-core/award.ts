import { parseLocalDate, shanghaiDate, type LocalDate } from "./calendar";
import { err, ok, type Result } from "./errors";
import { formatYuan, type Fen } from "./money";

/**
 * The award (中标) and what follows it, as pure rules: which candidate the tenderer may confirm
 * (Regs Art 55), how long the contract and the written report may take (TBL Arts 46, 47) and what
 * a recorded contract must satisfy (TBL Art 46, Regs Art 57).
 */

/** TBL Art 46: the written contract within 30 days of the notice of award. */
export const CONTRACT_DAYS = 30;
/** TBL Art 47: the written report to the supervising department within 15 days of the award. */
export const AWARD_REPORT_DAYS = 15;
/** Regs Art 57: bid securities (with interest) refunded within 5 days of the contract. */
export const SECURITY_REFUND_DAYS = 5;

/** Why a candidate is passed over (Regs Art 55). */
export const DECLINE_CAUSES = ["declined", "no-contract", "no-performance-security", "disqualified"] as const;
export type DeclineCause = (typeof DECLINE_CAUSES)[number];

export function isDeclineCause(value: string): value is DeclineCause {
  return (DECLINE_CAUSES as readonly string[]).includes(value);
}

export interface RankedCandidate {
  readonly rank: number;
  readonly bidderId: string;
}

/**
 * Regs Art 55: the first candidate is awarded; only when it gives up, does not sign, does not
 * give the performance security, or is found disqualified may the next one be, in rank order —
 * or the tender is re-tendered. The candidate to offer now, or null when none is left.
 */
export function nextCandidate<C extends RankedCandidate>(candidates: readonly C[], declinedIds: readonly string[]): C | null {
  const passed = new Set(declinedIds);
  return [...candidates].sort((a, b) => a.rank - b.rank).find((c) => !passed.has(c.bidderId)) ?? null;
}

/** Regs Art 55: the winner must be the candidate next in rank, no one passed over without a recorded cause. */
export function checkAwardChoice(
  candidates: readonly RankedCandidate[],
  declinedIds: readonly string[],
  winnerId: string,
): Result<RankedCandidate> {
  const chosen = candidates.find((c) => c.bidderId === winnerId);
  if (!chosen) return err("AWARD.NOT_A_CANDIDATE", {});
  if (declinedIds.includes(winnerId)) return err("AWARD.CANDIDATE_PASSED_OVER", { rank: chosen.rank });
  const next = nextCandidate(candidates, declinedIds);
  if (!next) return err("AWARD.NO_CANDIDATE_LEFT", {});
  if (next.bidderId !== winnerId) return err("AWARD.HIGHER_CANDIDATE_PENDING", { rank: chosen.rank, pending: next.rank });
  return ok(chosen);
}

/** Regs Art 55: a candidate may be passed over only in rank order (the one offered now). */
export function checkDecline(
  candidates: readonly RankedCandidate[],
  declinedIds: readonly string[],
  bidderId: string,
): Result<RankedCandidate> {
  const chosen = candidates.find((c) => c.bidderId === bidderId);
  if (!chosen) return err("AWARD.NOT_A_CANDIDATE", {});
  const next = nextCandidate(candidates, declinedIds);
  if (!next || next.bidderId !== bidderId) {
    return declinedIds.includes(bidderId)
      ? err("AWARD.CANDIDATE_PASSED_OVER", { rank: chosen.rank })
      : err("AWARD.HIGHER_CANDIDATE_PENDING", { rank: chosen.rank, pending: next?.rank ?? 0 });
  }
  return ok(chosen);
}

/** Regs Art 55: a re-tender after the award stage only once every candidate has been passed over. */
export function checkRetenderAfterDeclines(candidates: readonly RankedCandidate[], declinedIds: readonly string[]): Result<true> {
  const next = nextCandidate(candidates, declinedIds);
  if (next) return err("AWARD.CANDIDATE_LEFT", { rank: next.rank });
  return ok(true);
}

export interface ContractInput {
  /** The signing date as entered (YYYY-MM-DD, Beijing). */
  readonly signedOn: string;
  readonly amount: Fen;
  /** The winning bid's price, when the bid read one out. */
  readonly awardPrice: Fen | null;
  readonly noticeAt: Date;
  readonly now: Date;
}

/**
 * TBL Art 46: the contract follows the notice of award; Regs Art 57: its price agrees with the
 * winning bid. The signing date may not lie before the notice nor after today (Beijing dates).
 */
export function checkContract(input: ContractInput): Result<{ signedOn: LocalDate }> {
  const date = parseLocalDate(input.signedOn.trim());
  if (!date.ok) return date;
  if (date.value < shanghaiDate(input.noticeAt))
    return err("AWARD.CONTRACT_BEFORE_NOTICE", { signedOn: date.value, notice: shanghaiDate(input.noticeAt) });
  if (date.value > shanghaiDate(input.now)) return err("AWARD.CONTRACT_IN_FUTURE", { signedOn: date.value });
  if (input.awardPrice !== null && input.amount !== input.awardPrice)
    return err("AWARD.CONTRACT_PRICE_MISMATCH", { amount: formatYuan(input.amount), price: formatYuan(input.awardPrice) });
  return ok({ signedOn: date.value });
}
