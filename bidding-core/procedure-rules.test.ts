import { defaultProcedureRules, validateProcedureRules, type ProcedureRules } from "./procedure-rules";

const works = defaultProcedureRules("works", true);

function codeOf(rules: ProcedureRules): string {
  const result = validateProcedureRules(rules);
  return result.ok ? "ok" : result.error.code;
}

describe("procedure rules: stricter than the law allowed, looser refused", () => {
  it("TBL Arts 24, 37, Regs Arts 16, 21, 22, 26, 44, 53, 54: defaults are the law's numbers and validate", () => {
    expect(works).toMatchObject({
      minDaysIssueToDeadline: 20,
      minDocumentAvailabilityDays: 5,
      maxBidSecurityBasisPoints: 200,
      minCommitteeSize: 5,
    });
    expect(codeOf(works)).toBe("ok");
  });

  it("TBL Art 24: refuses fewer than 20 days for a project that must be tendered by law", () => {
    expect(codeOf({ ...works, minDaysIssueToDeadline: 19 })).toBe("RULES.LOOSER_THAN_LAW");
    expect(codeOf({ ...works, minDaysIssueToDeadline: 30 })).toBe("ok");
  });

  it("TBL Art 24: a project not tendered by law may set a shorter reasonable period", () => {
    expect(codeOf({ ...defaultProcedureRules("goods", false), minDaysIssueToDeadline: 10 })).toBe("ok");
  });

  it("Regs Art 16: refuses document availability below 5 days", () => {
    expect(codeOf({ ...works, minDocumentAvailabilityDays: 4 })).toBe("RULES.LOOSER_THAN_LAW");
  });

  it("Regs Art 26: refuses a bid security cap above 2%, accepts a lower one", () => {
    expect(codeOf({ ...works, maxBidSecurityBasisPoints: 201 })).toBe("RULES.LOOSER_THAN_LAW");
    expect(codeOf({ ...works, maxBidSecurityBasisPoints: 100 })).toBe("ok");
  });

  it("Regs Art 22: objection windows are fixed by law in both directions", () => {
    expect(codeOf({ ...works, documentObjectionDays: 12 })).toBe("RULES.LOOSER_THAN_LAW");
    expect(codeOf({ ...works, documentObjectionDays: 9 })).toBe("RULES.LOOSER_THAN_LAW");
  });

  it("Regs Art 53: refuses more than 3 candidates; Regs Art 44: refuses opening with fewer than 3 bids", () => {
    expect(codeOf({ ...works, maxCandidates: 4 })).toBe("RULES.LOOSER_THAN_LAW");
    expect(codeOf({ ...works, minBidsToOpen: 2 })).toBe("RULES.LOOSER_THAN_LAW");
  });

  it("TBL Art 37: a larger committee is allowed only if odd", () => {
    expect(codeOf({ ...works, minCommitteeSize: 7 })).toBe("ok");
    expect(codeOf({ ...works, minCommitteeSize: 6 })).toBe("COMMITTEE.EVEN_SIZE");
    expect(codeOf({ ...works, minCommitteeSize: 3 })).toBe("RULES.LOOSER_THAN_LAW");
  });

  it("Regs Art 54: refuses non-integer or negative periods", () => {
    expect(codeOf({ ...works, minPublicityDays: 3.5 })).toBe("RULES.LOOSER_THAN_LAW");
    expect(codeOf({ ...works, objectionAnswerDays: -1 })).toBe("RULES.LOOSER_THAN_LAW");
  });
});
