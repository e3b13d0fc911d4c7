import { z } from "zod";
import {
  SCORING_PARTS,
  validateAdjustmentRules,
  validateScoringTable,
  type AdjustmentRule,
  type DomainError,
  type Result,
  type ScoringCriterion,
  type Weights,
} from "../../../bidding-core/index";

/**
 * The scoring table (评分标准) as the tender form submits it: repeated row fields, one value per
 * row, rows left wholly blank ignored (the page always offers a blank row, so a browser without
 * JavaScript adds a criterion by filling it and submitting). bidding-core checks the table; a
 * refusal names the row as the agent sees it on the page.
 */

export const CRITERION_FIELDS = ["criterionPart", "criterionName", "criterionPoints", "criterionGuidance"] as const;
export const ADJUSTMENT_FIELDS = ["adjustmentFactor", "adjustmentRule", "adjustmentMin", "adjustmentMax"] as const;

const cell = (list: readonly string[] | undefined, i: number) => (list?.[i] ?? "").trim();

/** Maps a refusal's 1-based `row` (among the rows kept) back to the row on the page. */
function onPageRow(error: DomainError, kept: readonly number[]): DomainError {
  const row = error.params.row;
  if (typeof row !== "number") return error;
  return { ...error, params: { ...error.params, row: (kept[row - 1] ?? row - 1) + 1 } };
}

export function parseScoringTable(
  rows: { criterionPart: string[]; criterionName: string[]; criterionPoints: string[]; criterionGuidance: string[] },
  weights: Weights,
): Result<ScoringCriterion[]> {
  const criteria: ScoringCriterion[] = [];
  const kept: number[] = [];
  const count = Math.max(rows.criterionName.length, rows.criterionPoints.length, rows.criterionGuidance.length);
  for (let i = 0; i < count; i++) {
    const name = cell(rows.criterionName, i);
    const points = cell(rows.criterionPoints, i);
    const guidance = cell(rows.criterionGuidance, i);
    if (!name && !points && !guidance) continue;
    const part = cell(rows.criterionPart, i) as ScoringCriterion["part"];
    criteria.push({
      id: `c${criteria.length + 1}`,
      part,
      name,
      maxPoints: points === "" ? Number.NaN : Number(points),
      guidance,
    });
    kept.push(i);
  }
  const checked = validateScoringTable(criteria, weights);
  if (!checked.ok) return { ok: false, error: onPageRow(checked.error, kept) };
  return { ok: true, value: criteria };
}

/** A bound in percent as typed: blank is no bound; anything else must be a number (bidding-core checks its range). */
const percent = (text: string): number | undefined => (text === "" ? undefined : Number(text));

export function parseAdjustmentRules(rows: {
  adjustmentFactor: string[];
  adjustmentRule: string[];
  adjustmentMin?: string[];
  adjustmentMax?: string[];
}): Result<AdjustmentRule[]> {
  const rules: AdjustmentRule[] = [];
  const kept: number[] = [];
  const count = Math.max(rows.adjustmentFactor.length, rows.adjustmentRule.length);
  for (let i = 0; i < count; i++) {
    const factor = cell(rows.adjustmentFactor, i);
    const rule = cell(rows.adjustmentRule, i);
    const min = percent(cell(rows.adjustmentMin, i));
    const max = percent(cell(rows.adjustmentMax, i));
    if (!factor && !rule && min === undefined && max === undefined) continue;
    rules.push({
      id: `a${rules.length + 1}`,
      factor,
      rule,
      ...(min === undefined ? {} : { minPercent: min }),
      ...(max === undefined ? {} : { maxPercent: max }),
    });
    kept.push(i);
  }
  const checked = validateAdjustmentRules(rules);
  if (!checked.ok) return { ok: false, error: onPageRow(checked.error, kept) };
  return { ok: true, value: rules };
}

/** The stored shapes (JSON column), checked when read back. */
export const ScoringCriterionSchema = z.object({
  id: z.string(),
  part: z.enum(SCORING_PARTS),
  name: z.string(),
  maxPoints: z.number(),
  guidance: z.string(),
});
export const AdjustmentRuleSchema = z.object({
  id: z.string(),
  factor: z.string(),
  rule: z.string(),
  minPercent: z.number().optional(),
  maxPercent: z.number().optional(),
});

/** A stored table as the form's repeated row values. */
export function scoringTableValues(criteria: readonly ScoringCriterion[]): Record<(typeof CRITERION_FIELDS)[number], string[]> {
  return {
    criterionPart: criteria.map((c) => c.part),
    criterionName: criteria.map((c) => c.name),
    criterionPoints: criteria.map((c) => String(c.maxPoints)),
    criterionGuidance: criteria.map((c) => c.guidance),
  };
}

export function adjustmentRuleValues(rules: readonly AdjustmentRule[]): Record<(typeof ADJUSTMENT_FIELDS)[number], string[]> {
  return {
    adjustmentFactor: rules.map((r) => r.factor),
    adjustmentRule: rules.map((r) => r.rule),
    adjustmentMin: rules.map((r) => (r.minPercent === undefined ? "" : String(r.minPercent))),
    adjustmentMax: rules.map((r) => (r.maxPercent === undefined ? "" : String(r.maxPercent))),
  };
}
