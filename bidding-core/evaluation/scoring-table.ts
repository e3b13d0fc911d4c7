import { err, ok, type Result } from "../errors";
import type { Weights } from "./comprehensive";

/**
 * The tender's scoring table (评分标准). The tender documents must state the evaluation standard
 * (TBL Art 19) and the committee may score only against it (Eval-Rules Art 17, recalled): each
 * criterion of the comprehensive method belongs to the technical or the commercial part and has
 * its maximum points and the guidance an expert scores by. The maximum points of a part add up
 * to that part's weight, so a member's points for a part are already weighted (a part of weight
 * 50 scores 0–50 points); the price part is computed, never scored (Eval-Rules Art 35).
 * For the lowest evaluated price method the documents state instead the adjustment rules
 * (价格折算因素) the committee applies (Eval-Rules Arts 30-33). Points are kept to 2 decimals.
 */

export const SCORING_PARTS = ["technical", "commercial"] as const;
export type ScoringPart = (typeof SCORING_PARTS)[number];

export interface ScoringCriterion {
  readonly id: string;
  readonly part: ScoringPart;
  readonly name: string;
  readonly maxPoints: number;
  readonly guidance: string;
}

/**
 * One adjustment rule of the lowest evaluated price method: the factor and how it converts, and
 * the bounds the documents set on the adjustment, in percent of the bid price (signed, at most 2
 * decimals, within -100…100: e.g. 工期每提前 1 日扣减 0.1%、最多 3% is -3…0). A rule without
 * bounds is bounded only by the evaluated price staying positive (`evaluateLowestPrice`).
 */
export interface AdjustmentRule {
  readonly id: string;
  readonly factor: string;
  readonly rule: string;
  readonly minPercent?: number;
  readonly maxPercent?: number;
}

const hundredths = (x: number): number => Math.round(x * 100);
const isPoints = (x: number): boolean => Number.isFinite(x) && x > 0 && Math.abs(hundredths(x) - x * 100) < 1e-6;

/** Sum of a part's maximum points, exact in hundredths. */
export function partPoints(criteria: readonly ScoringCriterion[], part: ScoringPart): number {
  return criteria.filter((c) => c.part === part).reduce((sum, c) => sum + hundredths(c.maxPoints), 0) / 100;
}

/**
 * Checks a comprehensive tender's scoring table against its weights: every criterion named,
 * with positive points (2 decimals at most) and guidance, names unique within a part; a part
 * with weight has criteria, and its points add up to its weight; a part without weight has none.
 * `row` in the params is 1-based, in the order given.
 */
export function validateScoringTable(
  criteria: readonly ScoringCriterion[],
  weights: Weights,
): Result<readonly ScoringCriterion[]> {
  const seen = new Set<string>();
  for (const [i, c] of criteria.entries()) {
    const row = i + 1;
    if (!(SCORING_PARTS as readonly string[]).includes(c.part))
      return err("EVALUATION.INVALID_CRITERION", { row, problem: "part" });
    if (c.name.trim() === "") return err("EVALUATION.INVALID_CRITERION", { row, problem: "name" });
    if (!isPoints(c.maxPoints)) return err("EVALUATION.INVALID_CRITERION", { row, problem: "points", name: c.name });
    if (c.guidance.trim() === "") return err("EVALUATION.INVALID_CRITERION", { row, problem: "guidance", name: c.name });
    const key = `${c.part}\0${c.name.trim()}`;
    if (seen.has(key)) return err("EVALUATION.INVALID_CRITERION", { row, problem: "duplicate", name: c.name });
    seen.add(key);
  }
  for (const part of SCORING_PARTS) {
    const weight = weights[part];
    const count = criteria.filter((c) => c.part === part).length;
    if (weight > 0 && count === 0) return err("EVALUATION.EMPTY_PART", { part, weight });
    const points = partPoints(criteria, part);
    if (hundredths(points) !== hundredths(weight)) return err("EVALUATION.POINTS_MISMATCH", { part, weight, points });
  }
  return ok(criteria);
}

/** Checks the adjustment rules of a lowest evaluated price tender: each names its factor and rule, factors unique. */
export function validateAdjustmentRules(rules: readonly AdjustmentRule[]): Result<readonly AdjustmentRule[]> {
  const seen = new Set<string>();
  for (const [i, r] of rules.entries()) {
    const row = i + 1;
    if (r.factor.trim() === "") return err("EVALUATION.INVALID_ADJUSTMENT_RULE", { row, problem: "factor" });
    if (r.rule.trim() === "") return err("EVALUATION.INVALID_ADJUSTMENT_RULE", { row, problem: "rule", factor: r.factor });
    if (seen.has(r.factor.trim()))
      return err("EVALUATION.INVALID_ADJUSTMENT_RULE", { row, problem: "duplicate", factor: r.factor });
    const bound = (x: number | undefined) =>
      x === undefined || (Number.isFinite(x) && x >= -100 && x <= 100 && Math.abs(hundredths(x) - x * 100) < 1e-6);
    if (!bound(r.minPercent) || !bound(r.maxPercent) || (r.minPercent ?? -100) > (r.maxPercent ?? 100))
      return err("EVALUATION.INVALID_ADJUSTMENT_RULE", { row, problem: "bounds", factor: r.factor });
    seen.add(r.factor.trim());
  }
  return ok(rules);
}

/**
 * A member's points for one criterion: refused outside 0 … the criterion's maximum or with more
 * than 2 decimals (Eval-Rules Art 35: scoring only by the tender's standard).
 */
export function checkCriterionPoints(criterion: ScoringCriterion, points: number): Result<number> {
  const valid =
    Number.isFinite(points) && points >= 0 && points <= criterion.maxPoints && Math.abs(hundredths(points) - points * 100) < 1e-6;
  if (!valid)
    return err("EVALUATION.SCORE_OUT_OF_RANGE", {
      criterionId: criterion.id,
      name: criterion.name,
      max: criterion.maxPoints,
      points,
    });
  return ok(points);
}
