import * as core from "./index";

describe("public API", () => {
  it("TBL Chs. II-IV: index re-exports the functions the app calls", () => {
    const api = [
      "transition",
      "allowedEvents",
      "newTender",
      "statutoryMinimums",
      "checkSchedule",
      "applyClarification",
      "checkDocumentObjection",
      "checkResultObjection",
      "minimumPublicity",
      "checkComplaintTimely",
      "complaintAcceptanceDue",
      "complaintDecisionDue",
      "acceptBid",
      "checkBidChange",
      "withdrawBid",
      "checkBidSecurity",
      "maxBidSecurity",
      "decideOpening",
      "decryptionOutcome",
      "buildOpeningRecord",
      "canonicalJson",
      "validateCommittee",
      "commitSeed",
      "verifySeed",
      "drawExperts",
      "rerunDraw",
      "nextReserve",
      "reviewQualification",
      "evaluateComprehensive",
      "evaluateLowestPrice",
      "rankComprehensive",
      "rankLowestPrice",
      "selectCandidates",
      "findScoreOutliers",
      "findCollusionIndicators",
      "defaultProcedureRules",
      "validateProcedureRules",
      "addWorkingDays",
      "dayStatus",
      "parseYuan",
      "formatYuan",
    ] as const;
    for (const name of api) expect(typeof core[name]).toBe("function");
    expect(core.ERROR_CODES).toContain("BID.AFTER_DEADLINE");
  });
});
