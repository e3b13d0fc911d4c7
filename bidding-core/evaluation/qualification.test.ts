import { reviewQualification } from "./qualification";

const criteria = [
  { id: "licence", description: "营业执照有效" },
  { id: "grade", description: "具备市政公用工程施工总承包二级及以上资质" },
];

describe("qualification review", () => {
  it("Eval-Rules Arts 20-26: a bid passing every criterion passes", () => {
    const result = reviewQualification({
      bidderId: "B1",
      criteria,
      findings: [
        { criterionId: "licence", passed: true },
        { criterionId: "grade", passed: true },
      ],
    });
    expect(result).toEqual({ ok: true, value: { bidderId: "B1", passed: true, failures: [] } });
  });

  it("Eval-Rules Arts 20-26: one failed criterion fails the bid, with its reason", () => {
    const result = reviewQualification({
      bidderId: "B2",
      criteria,
      findings: [
        { criterionId: "licence", passed: true },
        { criterionId: "grade", passed: false, reason: " 资质为三级 " },
      ],
    });
    expect(result).toEqual({
      ok: true,
      value: { bidderId: "B2", passed: false, failures: [{ criterionId: "grade", reason: "资质为三级" }] },
    });
  });

  it("Eval-Rules Arts 20-26: refuses a failure without a reason", () => {
    const result = reviewQualification({
      bidderId: "B3",
      criteria,
      findings: [
        { criterionId: "licence", passed: false },
        { criterionId: "grade", passed: true },
      ],
    });
    expect(result).toMatchObject({ ok: false, error: { code: "EVALUATION.MISSING_REASON", params: { criterionId: "licence" } } });
  });

  it("Eval-Rules Art 35: refuses a review that skipped a criterion", () => {
    const result = reviewQualification({ bidderId: "B4", criteria, findings: [{ criterionId: "licence", passed: true }] });
    expect(result).toMatchObject({ ok: false, error: { code: "EVALUATION.MISSING_SCORE", params: { criterionId: "grade" } } });
  });
});
