import { err, ok, type Result } from "../errors";
import type { AggregationMethod } from "./aggregate";

/**
 * The evaluation room's rules, each with where it comes from (decision 106). The tender
 * documents state the evaluation standard (TBL Art 19) and the tenderer sets a reasonable
 * evaluation time (Regs Art 48), so a tender's `evaluationConfig.roomRules` may set the
 * aggregation, the outlier threshold, the evaluation length and (at most 3) the number of
 * candidates; what it leaves out takes these defaults. The report's signing window is the
 * platform's, the same for every tender (decision 104), not the tender's.
 */
export const EVALUATION_DEFAULTS = {
  /** 去掉一个最高分和一个最低分 from 5 members (decision 104; the committee has at least 5, TBL Art 37). */
  aggregation: { kind: "trimmed-mean", trimFrom: 5 } as AggregationMethod,
  /** A member's part score more than this % from the part's median needs a written reason (decision 104). */
  outlierThresholdPercent: 20,
  /** Planned length of the session; more than a third asking extends it once by as much (Regs Art 48, decision 104). */
  evaluationHours: 8,
  /** Ranked candidates in the report (Regs Art 53: at most 3). */
  maxCandidates: 3,
} as const;

/** Hours the members have to sign or dissent once the report is drafted; silence after is agreement (Regs Art 53, decision 104). */
export const REPORT_SIGNING_HOURS = 2;

export interface EvaluationRules {
  readonly aggregation: AggregationMethod;
  readonly outlierThresholdPercent: number;
  readonly evaluationHours: number;
  readonly maxCandidates: number;
}

/** What a tender may state; anything absent takes the default. */
export interface TenderRoomRules {
  readonly aggregation?: AggregationMethod;
  readonly outlierThresholdPercent?: number;
  readonly evaluationHours?: number;
  readonly maxCandidates?: number;
}

/**
 * The rules the room applies to one tender: its stated ones checked, the rest the defaults.
 * Refused (`EVALUATION.INVALID_CONFIG`, `problem` names the rule): a trimmed mean from fewer
 * than 3 members (nothing would be left), a threshold outside 1–100 %, an evaluation length
 * outside 1–72 whole hours, candidates outside 1–3.
 */
export function evaluationRules(stated: TenderRoomRules = {}): Result<EvaluationRules> {
  const rules: EvaluationRules = { ...EVALUATION_DEFAULTS, ...stated };
  const a = rules.aggregation;
  if (!(a.kind === "mean" || (a.kind === "trimmed-mean" && Number.isInteger(a.trimFrom) && a.trimFrom >= 3)))
    return err("EVALUATION.INVALID_CONFIG", { problem: "aggregation" });
  const t = rules.outlierThresholdPercent;
  if (!(Number.isFinite(t) && t >= 1 && t <= 100))
    return err("EVALUATION.INVALID_CONFIG", { problem: "outlierThresholdPercent" });
  const h = rules.evaluationHours;
  if (!(Number.isInteger(h) && h >= 1 && h <= 72)) return err("EVALUATION.INVALID_CONFIG", { problem: "evaluationHours" });
  const c = rules.maxCandidates;
  if (!(Number.isInteger(c) && c >= 1 && c <= 3)) return err("EVALUATION.INVALID_CONFIG", { problem: "maxCandidates" });
  return ok(rules);
}
