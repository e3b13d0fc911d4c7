import { err, ok, type Result } from "./errors";

/**
 * The numbers the law sets for a procedure. A procedure type (工程/货物/服务, 依法必须招标 or not)
 * may choose stricter values, never looser ones: `validateProcedureRules` refuses a looser
 * setting. "Stricter" depends on the rule, so each field declares its direction.
 */

export type ProcurementType = "works" | "goods" | "services";

export interface ProcedureRules {
  readonly procurementType: ProcurementType;
  /** 依法必须招标: the project must be tendered by law (TBL Art 3). */
  readonly mandatory: boolean;
  /** Regs Art 16: tender documents available for at least this many full days. */
  readonly minDocumentAvailabilityDays: number;
  /** TBL Art 24: full days from first issue of the documents to the bid deadline. */
  readonly minDaysIssueToDeadline: number;
  /** Regs Art 21: full days a preparation-affecting clarification must leave before the deadline. */
  readonly clarificationNoticeDays: number;
  /** Regs Art 21: the same for prequalification documents, before the application deadline. */
  readonly prequalificationClarificationNoticeDays: number;
  /** Regs Art 22: objections to the tender documents close this many days before the deadline. */
  readonly documentObjectionDays: number;
  /** Regs Art 22: objections to prequalification documents close this many days before theirs. */
  readonly prequalificationObjectionDays: number;
  /** Regs Arts 22, 54: the tenderer answers an objection within this many days. */
  readonly objectionAnswerDays: number;
  /** Regs Art 54: candidates are published within this many days of receiving the report. */
  readonly publishCandidatesWithinDays: number;
  /** Regs Art 54: candidates are public for at least this many full days. */
  readonly minPublicityDays: number;
  /** Regs Art 26: bid security cap in basis points of the estimated price (200 = 2%). */
  readonly maxBidSecurityBasisPoints: number;
  /** TBL Art 37: minimum committee size (odd). */
  readonly minCommitteeSize: number;
  /** Regs Art 44: fewer bids than this and the tender fails (流标). */
  readonly minBidsToOpen: number;
  /** Eval-Rules Art 57 (recalled): ranked candidates, at most 3 (Regs Art 53). */
  readonly maxCandidates: number;
}

type Direction = "atLeast" | "atMost" | "exact";

/** The statutory value of each number and which way is stricter. */
const LAW: Readonly<
  Record<
    Exclude<keyof ProcedureRules, "procurementType" | "mandatory">,
    {
      readonly value: number;
      readonly direction: Direction;
      readonly article: string;
    }
  >
> = {
  minDocumentAvailabilityDays: { value: 5, direction: "atLeast", article: "Regs Art 16" },
  minDaysIssueToDeadline: { value: 20, direction: "atLeast", article: "TBL Art 24" },
  clarificationNoticeDays: { value: 15, direction: "atLeast", article: "Regs Art 21" },
  prequalificationClarificationNoticeDays: { value: 3, direction: "atLeast", article: "Regs Art 21" },
  // Objection windows limit a bidder's right, so the law's value is the only lawful one.
  documentObjectionDays: { value: 10, direction: "exact", article: "Regs Art 22" },
  prequalificationObjectionDays: { value: 2, direction: "exact", article: "Regs Art 22" },
  objectionAnswerDays: { value: 3, direction: "atMost", article: "Regs Art 22" },
  publishCandidatesWithinDays: { value: 3, direction: "atMost", article: "Regs Art 54" },
  minPublicityDays: { value: 3, direction: "atLeast", article: "Regs Art 54" },
  maxBidSecurityBasisPoints: { value: 200, direction: "atMost", article: "Regs Art 26" },
  minCommitteeSize: { value: 5, direction: "atLeast", article: "TBL Art 37" },
  minBidsToOpen: { value: 3, direction: "atLeast", article: "Regs Art 44" },
  maxCandidates: { value: 3, direction: "atMost", article: "Regs Art 53" },
};

/**
 * TBL Art 24's 20 days bind projects that must be tendered by law; for the others the law asks
 * only for "a reasonable time", so its floor there is 0 while the default stays 20.
 */
function lawValue(field: keyof typeof LAW, mandatory: boolean): number {
  if (field === "minDaysIssueToDeadline" && !mandatory) return 0;
  return LAW[field].value;
}

/** The law's defaults for a procedure type. */
export function defaultProcedureRules(procurementType: ProcurementType, mandatory: boolean): ProcedureRules {
  const numbers = Object.fromEntries(Object.entries(LAW).map(([field, rule]) => [field, rule.value])) as Record<
    keyof typeof LAW,
    number
  >;
  return { procurementType, mandatory, ...numbers };
}

function isLooser(direction: Direction, value: number, law: number): boolean {
  if (direction === "atLeast") return value < law;
  if (direction === "atMost") return value > law;
  return value !== law;
}

/** Refuses any setting looser than the law, a non-integer, or an even committee size. */
export function validateProcedureRules(rules: ProcedureRules): Result<ProcedureRules> {
  for (const field of Object.keys(LAW) as (keyof typeof LAW)[]) {
    const value = rules[field];
    const law = lawValue(field, rules.mandatory);
    if (!Number.isInteger(value) || value < 0 || isLooser(LAW[field].direction, value, law)) {
      return err("RULES.LOOSER_THAN_LAW", { field, value, law, law_article: LAW[field].article });
    }
  }
  if (rules.minCommitteeSize % 2 === 0) {
    return err("COMMITTEE.EVEN_SIZE", { size: rules.minCommitteeSize });
  }
  return ok(rules);
}
