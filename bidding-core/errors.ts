/**
 * Typed rule violations. Every error carries a stable `code` (the UI maps it to a zh-CN or
 * English message) and the `article` it enforces, so a refusal can always cite the law.
 * Rule violations are returned as `Result` values, never thrown: a refused bid is an expected
 * outcome, not a crash.
 */

/** Every error code bidding-core can return, with the article it enforces. */
export const ERROR_ARTICLES = {
  "TENDER.INVALID_TRANSITION": "TBL Chs. II-IV (procedure order)",
  "TENDER.DEADLINE_TOO_SOON": "TBL Art 24",
  "TENDER.AVAILABILITY_TOO_SHORT": "Regs Art 16",
  "TENDER.DOCUMENTS_NOT_OFFERED": "Regs Art 16",
  "TENDER.DEADLINE_NOT_REACHED": "TBL Art 34",
  "TENDER.OBJECTION_PENDING": "Regs Art 22 / Regs Art 54",
  "TENDER.PUBLICITY_NOT_OVER": "Regs Art 54",
  "TENDER.PUBLICITY_TOO_SHORT": "Regs Art 54",
  "TENDER.CANDIDATES_INVALID": "Regs Art 53",
  "TENDER.COMMITTEE_REQUIRED": "TBL Art 37",
  "TENDER.FAILURE_NOT_JUSTIFIED": "Regs Art 44 / Eval-Rules Art 27",
  "RULES.LOOSER_THAN_LAW": "TBL Art 24 / Regs Arts 16, 21, 22, 26, 54",
  "CLARIFICATION.AFTER_DEADLINE": "Regs Art 21",
  "OBJECTION.TOO_LATE": "Regs Art 22",
  "OBJECTION.OUTSIDE_PUBLICITY": "Regs Art 54",
  "COMPLAINT.TOO_LATE": "Regs Art 60",
  "COMPLAINT.OBJECTION_REQUIRED": "Regs Art 60",
  "COMPLAINT.OBJECTION_UNANSWERED": "Regs Art 60",
  "COMPLAINT.ACCEPTANCE_PENDING": "Regs Art 61",
  "BID.AFTER_DEADLINE": "Regs Art 36",
  "BID.NOT_ENCRYPTED": "Regs Art 36 / E-Measures Art 27",
  "BID.NO_DOCUMENTS": "E-Measures Art 26",
  "BID.ALREADY_WITHDRAWN": "TBL Art 29",
  "BID.SECURITY_TOO_HIGH": "Regs Art 26",
  "BID.SECURITY_VALIDITY_MISMATCH": "Regs Art 26",
  "BID.PERFORMANCE_SECURITY_TOO_HIGH": "Regs Art 58",
  "OPENING.BEFORE_DEADLINE": "TBL Art 34",
  "OPENING.TOO_FEW_BIDS": "Regs Art 44",
  "OPENING.MISSING_READ_OUT_ITEM": "E-Measures Art 30",
  "COMMITTEE.EVEN_SIZE": "TBL Art 37",
  "COMMITTEE.TOO_SMALL": "TBL Art 37",
  "COMMITTEE.TOO_FEW_EXPERTS": "TBL Art 37",
  "COMMITTEE.MISSING_SPECIALTY": "Regs Art 46",
  "COMMITTEE.DUPLICATE_MEMBER": "TBL Art 37",
  "COMMITTEE.AVOIDED_MEMBER": "Eval-Rules Art 12",
  "DRAW.POOL_TOO_SMALL": "Regs Art 46",
  "DRAW.INVALID_SEED": "Regs Art 46",
  "DRAW.INVALID_REQUIREMENT": "Regs Art 46",
  "DRAW.COMMITMENT_MISMATCH": "Regs Art 46",
  "DRAW.EVALUATION_BEFORE_DEADLINE": "TBL Art 34",
  "EVALUATION.INVALID_WEIGHTS": "Eval-Rules Art 35",
  "EVALUATION.SCORE_OUT_OF_RANGE": "Eval-Rules Art 35",
  "EVALUATION.MISSING_SCORE": "Eval-Rules Art 35",
  "EVALUATION.NO_VALID_BIDS": "Eval-Rules Art 27",
  "EVALUATION.INVALID_CONFIG": "Eval-Rules Art 35",
  "EVALUATION.MISSING_REASON": "Eval-Rules Arts 20-26",
  "EVALUATION.EMPTY_PART": "TBL Art 19 / Eval-Rules Art 35",
  "EVALUATION.POINTS_MISMATCH": "TBL Art 19 / Eval-Rules Art 35",
  "EVALUATION.INVALID_CRITERION": "TBL Art 19 / Eval-Rules Art 35",
  "EVALUATION.INVALID_ADJUSTMENT_RULE": "TBL Art 19 / Eval-Rules Art 31",
  "EVALUATION.NOT_A_MEMBER": "TBL Art 37",
  "EVALUATION.BID_REJECTED": "Eval-Rules Arts 20-26",
  "EVALUATION.TIED_FINDING": "Eval-Rules Art 20",
  "AWARD.NOT_A_CANDIDATE": "Regs Art 55",
  "AWARD.CANDIDATE_PASSED_OVER": "Regs Art 55",
  "AWARD.HIGHER_CANDIDATE_PENDING": "Regs Art 55",
  "AWARD.NO_CANDIDATE_LEFT": "Regs Art 55",
  "AWARD.CANDIDATE_LEFT": "Regs Art 55",
  "AWARD.CONTRACT_BEFORE_NOTICE": "TBL Art 46",
  "AWARD.CONTRACT_IN_FUTURE": "TBL Art 46",
  "AWARD.CONTRACT_PRICE_MISMATCH": "TBL Art 46 / Regs Art 57",
  "EVALUATION.ADJUSTMENT_OUT_OF_RANGE": "Eval-Rules Art 31",
  "MONEY.INVALID_AMOUNT": "Regs Art 26",
  "CALENDAR.INVALID_DATE": "Civil Code Art 201",
  "CALENDAR.YEAR_INVALID": "Civil Code Art 203",
  "OUTAGE.INVALID_TIME": "E-Measures Art 31",
  "OUTAGE.END_BEFORE_START": "E-Measures Art 31",
  "OUTAGE.IN_FUTURE": "E-Measures Art 31",
} as const;

export type ErrorCode = keyof typeof ERROR_ARTICLES;

/** The stable list of codes, for the UI's message table and its completeness test. */
export const ERROR_CODES = Object.keys(ERROR_ARTICLES) as readonly ErrorCode[];

export type ErrorParams = Readonly<Record<string, string | number | boolean>>;

export interface DomainError {
  readonly code: ErrorCode;
  readonly article: string;
  readonly params: ErrorParams;
}

export type Result<T, E = DomainError> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: E };

export function ok<T>(value: T): Result<T, never> {
  return { ok: true, value };
}

export function err(code: ErrorCode, params: ErrorParams = {}): Result<never> {
  return { ok: false, error: domainError(code, params) };
}

export function domainError(code: ErrorCode, params: ErrorParams = {}): DomainError {
  return { code, article: ERROR_ARTICLES[code], params };
}
