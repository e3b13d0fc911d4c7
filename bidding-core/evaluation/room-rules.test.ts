import { describe, expect, it } from "vitest";
import { EVALUATION_DEFAULTS, evaluationRules, REPORT_SIGNING_HOURS } from "./room-rules";

describe("the evaluation room's rules (decision 106)", () => {
  it("decision 104: without a tender's own, trimmed mean from 5, 20 %, 8 h, 3 candidates; report window 2 h", () => {
    expect(evaluationRules()).toEqual({
      ok: true,
      value: {
        aggregation: { kind: "trimmed-mean", trimFrom: 5 },
        outlierThresholdPercent: 20,
        evaluationHours: 8,
        maxCandidates: 3,
      },
    });
    expect(REPORT_SIGNING_HOURS).toBe(2);
  });

  it("TBL Art 19 / Regs Art 48: the tender's stated rules replace the defaults one by one", () => {
    const r = evaluationRules({ aggregation: { kind: "mean" }, evaluationHours: 12 });
    expect(r.ok && r.value).toEqual({ ...EVALUATION_DEFAULTS, aggregation: { kind: "mean" }, evaluationHours: 12 });
    expect(evaluationRules({ outlierThresholdPercent: 15, maxCandidates: 1 })).toMatchObject({
      ok: true,
      value: { outlierThresholdPercent: 15, maxCandidates: 1, evaluationHours: 8 },
    });
  });

  it("refuses what cannot be applied, naming the rule (Regs Art 53: at most 3 candidates)", () => {
    const problem = (stated: Parameters<typeof evaluationRules>[0]) => {
      const r = evaluationRules(stated);
      return r.ok ? null : [r.error.code, r.error.params.problem];
    };
    expect(problem({ aggregation: { kind: "trimmed-mean", trimFrom: 2 } })).toEqual(["EVALUATION.INVALID_CONFIG", "aggregation"]);
    expect(problem({ outlierThresholdPercent: 0 })).toEqual(["EVALUATION.INVALID_CONFIG", "outlierThresholdPercent"]);
    expect(problem({ outlierThresholdPercent: 101 })).toEqual(["EVALUATION.INVALID_CONFIG", "outlierThresholdPercent"]);
    expect(problem({ evaluationHours: 0.5 })).toEqual(["EVALUATION.INVALID_CONFIG", "evaluationHours"]);
    expect(problem({ evaluationHours: 73 })).toEqual(["EVALUATION.INVALID_CONFIG", "evaluationHours"]);
    expect(problem({ maxCandidates: 4 })).toEqual(["EVALUATION.INVALID_CONFIG", "maxCandidates"]);
    expect(problem({ maxCandidates: 0 })).toEqual(["EVALUATION.INVALID_CONFIG", "maxCandidates"]);
  });
});
