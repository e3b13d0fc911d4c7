import { evaluateComprehensive, validateWeights, type ExpertScoreSheet } from "./comprehensive";

const bids = [
  { bidderId: "A", price: 100_000_00n },
  { bidderId: "B", price: 125_000_00n },
];
const experts = ["e1", "e2", "e3", "e4", "e5"];
const sheets: ExpertScoreSheet[] = experts.flatMap((expertId, i) => [
  { expertId, bidderId: "A", technical: 70 + i, commercial: 80 },
  { expertId, bidderId: "B", technical: 90 + i, commercial: 90 },
]);
const base = {
  bids,
  expertIds: experts,
  sheets,
  weights: { technical: 50, commercial: 10, price: 40 },
  priceScoring: { benchmark: { kind: "lowest" }, formula: { kind: "ratio" } } as const,
  aggregation: { kind: "trimmed-mean", trimFrom: 5 } as const,
};
const code = (r: { ok: boolean; error?: { code: string } }) => (r.ok ? "ok" : r.error!.code);

describe("comprehensive evaluation (综合评估法)", () => {
  it("Eval-Rules Arts 34-35: weights technical, commercial and price parts", () => {
    const result = evaluateComprehensive(base);
    expect(result).toEqual({
      ok: true,
      value: [
        { bidderId: "A", price: 100_000_00n, technicalScore: 72, commercialScore: 80, priceScore: 100, total: 84 },
        { bidderId: "B", price: 125_000_00n, technicalScore: 92, commercialScore: 90, priceScore: 80, total: 87 },
      ],
    });
  });

  it("Eval-Rules Art 35: refuses weights that are not integers summing to 100", () => {
    expect(code(validateWeights({ technical: 50, commercial: 10, price: 30 }))).toBe("EVALUATION.INVALID_WEIGHTS");
    expect(code(validateWeights({ technical: 50.5, commercial: 9.5, price: 40 }))).toBe("EVALUATION.INVALID_WEIGHTS");
    expect(code(evaluateComprehensive({ ...base, weights: { technical: 60, commercial: 60, price: -20 } }))).toBe(
      "EVALUATION.INVALID_WEIGHTS",
    );
  });

  it("Eval-Rules Art 35: refuses when an expert has not scored a bid, or scored out of range", () => {
    expect(code(evaluateComprehensive({ ...base, sheets: sheets.slice(1) }))).toBe("EVALUATION.MISSING_SCORE");
    expect(code(evaluateComprehensive({ ...base, expertIds: [] }))).toBe("EVALUATION.MISSING_SCORE");
    const bad = sheets.map((s, i) => (i === 0 ? { ...s, technical: 101 } : s));
    expect(code(evaluateComprehensive({ ...base, sheets: bad }))).toBe("EVALUATION.SCORE_OUT_OF_RANGE");
  });

  it("Eval-Rules Art 27: refuses to evaluate without valid bids", () => {
    expect(code(evaluateComprehensive({ ...base, bids: [] }))).toBe("EVALUATION.NO_VALID_BIDS");
  });
});
