import { roundHalfUp } from "./rounding";

/**
 * How the committee's scores for one bid become one score: the plain mean, or, when the
 * committee has at least `trimFrom` members, the mean after dropping one highest and one lowest
 * score (去掉一个最高分和一个最低分). The result is rounded to 2 decimals half-up.
 */
export type AggregationMethod = { readonly kind: "mean" } | { readonly kind: "trimmed-mean"; readonly trimFrom: number };

export function aggregateScores(scores: readonly number[], method: AggregationMethod): number {
  if (scores.length === 0) throw new RangeError("no scores to aggregate");
  const sorted = [...scores].sort((a, b) => a - b);
  const trim = method.kind === "trimmed-mean" && sorted.length >= Math.max(3, method.trimFrom);
  const kept = trim ? sorted.slice(1, -1) : sorted;
  const sum = kept.reduce((total, s) => total + s, 0);
  return roundHalfUp(sum / kept.length);
}

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError("no values");
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  if (sorted.length % 2 === 1) return sorted[mid]!;
  return (sorted[mid - 1]! + sorted[mid]!) / 2;
}
