import { err, ok, type Result } from "../errors";
import type { Fen } from "../money";
import { roundHalfUp } from "./rounding";

/**
 * Price scoring for the comprehensive method, configured per tender (Eval-Rules Art 35: the
 * factors and formulas are fixed in the tender documents).
 *
 * Benchmark (评标基准价), computed in integer fen:
 *  - "lowest": the lowest valid price;
 *  - "average": the mean of valid prices (rounded down to the fen) × coefficient/1000, rounded
 *    down to the fen; the coefficient (e.g. 950 = 0.95) may be drawn at opening.
 * Formula, on a 0–100 scale before weighting:
 *  - "ratio": 100 × benchmark / price (低价优先);
 *  - "deviation": 100 − deviation% × penalty, where deviation% = |price − benchmark| / benchmark
 *    × 100 and the penalty per percent differs above and below the benchmark.
 * Scores are floored at 0 and rounded to 2 decimals half-up. Ratios use Number; prices up to
 * 9 × 10^13 yuan are exact as fen in a double, far above any tender.
 */

export type Benchmark = { readonly kind: "lowest" } | { readonly kind: "average"; readonly coefficientPermille: number };

export type PriceFormula =
  | { readonly kind: "ratio" }
  | {
      readonly kind: "deviation";
      readonly penaltyPerPercentAbove: number;
      readonly penaltyPerPercentBelow: number;
    };

export interface PriceScoring {
  readonly benchmark: Benchmark;
  readonly formula: PriceFormula;
}

export interface PricedBid {
  readonly bidderId: string;
  readonly price: Fen;
}

/**
 * The largest benchmark coefficient a tender may fix (1.2 = 1200‰; a platform cap on the
 * configuration the documents fix, Eval-Rules Art 35): above it the "benchmark" would reward
 * prices well over the bidders' own average.
 */
export const MAX_COEFFICIENT_PERMILLE = 1200;

/** A benchmark the tender documents may fix (Eval-Rules Art 35): an average's coefficient is a whole number of ‰ in (0, 1200]. */
export function checkBenchmark(benchmark: Benchmark): Result<Benchmark> {
  if (benchmark.kind === "lowest") return ok(benchmark);
  const coefficient = benchmark.coefficientPermille;
  if (!Number.isInteger(coefficient) || coefficient <= 0 || coefficient > MAX_COEFFICIENT_PERMILLE) {
    return err("EVALUATION.INVALID_CONFIG", { coefficientPermille: coefficient, max: MAX_COEFFICIENT_PERMILLE });
  }
  return ok(benchmark);
}

export function benchmarkPrice(prices: readonly Fen[], benchmark: Benchmark): Result<Fen> {
  if (prices.length === 0) return err("EVALUATION.NO_VALID_BIDS", {});
  if (prices.some((p) => p <= 0n)) return err("MONEY.INVALID_AMOUNT", { reason: "non-positive price" });
  if (benchmark.kind === "lowest") return ok(prices.reduce((min, p) => (p < min ? p : min)));
  const checked = checkBenchmark(benchmark);
  if (!checked.ok) return checked;
  const coefficient = benchmark.coefficientPermille;
  const average = prices.reduce((sum, p) => sum + p, 0n) / BigInt(prices.length);
  return ok((average * BigInt(coefficient)) / 1000n);
}

export function priceScore(price: Fen, benchmark: Fen, formula: PriceFormula): number {
  const p = Number(price);
  const b = Number(benchmark);
  if (formula.kind === "ratio") return roundHalfUp(Math.max(0, (100 * b) / p));
  const deviationPercent = (Math.abs(p - b) / b) * 100;
  const penalty = p > b ? formula.penaltyPerPercentAbove : formula.penaltyPerPercentBelow;
  return roundHalfUp(Math.max(0, 100 - deviationPercent * penalty));
}

/** Scores every valid bid's price against the benchmark of all valid prices. */
export function scorePrices(
  bids: readonly PricedBid[],
  scoring: PriceScoring,
): Result<{ readonly benchmark: Fen; readonly scores: ReadonlyMap<string, number> }> {
  const benchmark = benchmarkPrice(
    bids.map((b) => b.price),
    scoring.benchmark,
  );
  if (!benchmark.ok) return benchmark;
  const scores = new Map(bids.map((b) => [b.bidderId, priceScore(b.price, benchmark.value, scoring.formula)]));
  return ok({ benchmark: benchmark.value, scores });
}
