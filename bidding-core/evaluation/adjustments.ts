import { err, ok, type Result } from "../errors";
import type { Fen } from "../money";
import type { AggregationMethod } from "./aggregate";
import type { AdjustmentRule } from "./scoring-table";

/**
 * The committee's adjustments in the lowest evaluated price method (经评审的最低投标价法,
 * Eval-Rules Arts 30-33): each member states, per remaining bid and per adjustment rule of the
 * tender documents, an amount in fen (positive adds to the price, negative deducts); the
 * committee may adjust only by the documents' rules (Eval-Rules Art 31), so an amount outside a
 * rule's bounds is refused. The members' amounts for one rule and one bid become the committee's
 * amount by the evaluation's aggregation method, on fen, rounded half-up to the fen (decision 105).
 */

/** One amount checked against its rule's bounds (percent of the bid price, compared exactly in basis points). */
export function checkAdjustment(rule: AdjustmentRule, amount: Fen, price: Fen): Result<Fen> {
  const basisPoints = (percent: number) => BigInt(Math.round(percent * 100));
  const scaled = amount * 10_000n;
  const low = rule.minPercent === undefined ? null : basisPoints(rule.minPercent) * price;
  const high = rule.maxPercent === undefined ? null : basisPoints(rule.maxPercent) * price;
  if ((low !== null && scaled < low) || (high !== null && scaled > high))
    return err("EVALUATION.ADJUSTMENT_OUT_OF_RANGE", {
      adjustmentId: rule.id,
      factor: rule.factor,
      amount: amount.toString(),
      minPercent: rule.minPercent ?? "",
      maxPercent: rule.maxPercent ?? "",
    });
  return ok(amount);
}

/** a / b rounded half-up (away from zero at the half) in whole fen. */
function divideHalfUp(a: bigint, b: bigint): bigint {
  const negative = a < 0n !== b < 0n;
  const absA = a < 0n ? -a : a;
  const absB = b < 0n ? -b : b;
  const q = (absA * 2n + absB) / (absB * 2n);
  return negative ? -q : q;
}

/**
 * The committee's amount for one rule on one bid: the mean of the members' amounts, or with
 * `trimmed-mean` and at least `trimFrom` members the mean without one highest and one lowest
 * (the same method as the scores, so one member alone cannot move the evaluated price).
 */
export function aggregateAmounts(amounts: readonly Fen[], method: AggregationMethod): Fen {
  if (amounts.length === 0) throw new RangeError("no amounts to aggregate");
  const sorted = [...amounts].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const trim = method.kind === "trimmed-mean" && sorted.length >= Math.max(3, method.trimFrom);
  const kept = trim ? sorted.slice(1, -1) : sorted;
  return divideHalfUp(
    kept.reduce((sum, a) => sum + a, 0n),
    BigInt(kept.length),
  );
}
