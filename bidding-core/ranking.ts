import type { ComprehensiveResult } from "./evaluation/comprehensive";
import type { LowestPriceResult } from "./evaluation/lowest-price";
import type { ProcedureRules } from "./procedure-rules";

/**
 * Ranking with defined tie-breaks, independent of input order (docs/decisions/025):
 * - comprehensive method: higher total; then lower bid price; then higher technical score;
 * - lowest evaluated price method: lower evaluated price; then lower bid price.
 * Bids still equal after that are an unresolved tie, which the tenderer settles as the tender
 * documents say (Eval-Rules Arts 31, 35, recalled); they are listed by bidder id and flagged.
 */

export interface RankedBid<T> {
  readonly rank: number;
  readonly bid: T;
  /** Other bidders this bid is still tied with after every tie-break. */
  readonly unresolvedTieWith: readonly string[];
}

type Comparator<T> = (a: T, b: T) => number;

function compareBig(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const comprehensiveOrder: Comparator<ComprehensiveResult> = (a, b) =>
  b.total - a.total || compareBig(a.price, b.price) || b.technicalScore - a.technicalScore;

const lowestPriceOrder: Comparator<LowestPriceResult> = (a, b) =>
  compareBig(a.evaluatedPrice, b.evaluatedPrice) || compareBig(a.price, b.price);

function rank<T extends { readonly bidderId: string }>(bids: readonly T[], order: Comparator<T>): RankedBid<T>[] {
  const byId: Comparator<T> = (a, b) => (a.bidderId < b.bidderId ? -1 : a.bidderId > b.bidderId ? 1 : 0);
  const sorted = [...bids].sort((a, b) => order(a, b) || byId(a, b));
  return sorted.map((bid, i) => ({
    rank: i + 1,
    bid,
    unresolvedTieWith: sorted.filter((other) => other !== bid && order(bid, other) === 0).map((o) => o.bidderId),
  }));
}

export function rankComprehensive(results: readonly ComprehensiveResult[]): RankedBid<ComprehensiveResult>[] {
  return rank(results, comprehensiveOrder);
}

export function rankLowestPrice(results: readonly LowestPriceResult[]): RankedBid<LowestPriceResult>[] {
  return rank(results, lowestPriceOrder);
}

/** Regs Art 53: at most 3 ranked candidates (fewer if the procedure says so). */
export function selectCandidates<T extends { readonly bidderId: string }>(
  ranking: readonly RankedBid<T>[],
  rules: ProcedureRules,
): string[] {
  return ranking.slice(0, rules.maxCandidates).map((r) => r.bid.bidderId);
}
