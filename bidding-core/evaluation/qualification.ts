import { err, ok, type Result } from "../errors";

/**
 * Qualification and compliance review (资格审查 / 符合性审查): every criterion passes or fails for
 * every bid, and a failure must carry its reason, because a rejected bidder is told why
 * (Eval-Rules Arts 20-25). One failed criterion disqualifies the bid.
 */

export interface Criterion {
  readonly id: string;
  readonly description: string;
}

export interface CriterionFinding {
  readonly criterionId: string;
  readonly passed: boolean;
  readonly reason?: string;
}

export interface QualificationResult {
  readonly bidderId: string;
  readonly passed: boolean;
  readonly failures: readonly { readonly criterionId: string; readonly reason: string }[];
}

export function reviewQualification(input: {
  readonly bidderId: string;
  readonly criteria: readonly Criterion[];
  readonly findings: readonly CriterionFinding[];
}): Result<QualificationResult> {
  const failures: { criterionId: string; reason: string }[] = [];
  for (const criterion of input.criteria) {
    const finding = input.findings.find((f) => f.criterionId === criterion.id);
    if (!finding) {
      return err("EVALUATION.MISSING_SCORE", { bidderId: input.bidderId, criterionId: criterion.id });
    }
    if (finding.passed) continue;
    const reason = finding.reason?.trim();
    if (!reason) {
      return err("EVALUATION.MISSING_REASON", { bidderId: input.bidderId, criterionId: criterion.id });
    }
    failures.push({ criterionId: criterion.id, reason });
  }
  return ok({ bidderId: input.bidderId, passed: failures.length === 0, failures });
}
