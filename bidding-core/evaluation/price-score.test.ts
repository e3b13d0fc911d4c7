import { benchmarkPrice, priceScore, scorePrices } from "./price-score";

const code = (r: { ok: boolean; error?: { code: string } }) => (r.ok ? "ok" : r.error!.code);

describe("price scoring", () => {
  it("Eval-Rules Art 35: benchmark = lowest valid price", () => {
    expect(benchmarkPrice([300n, 200n, 250n], { kind: "lowest" })).toEqual({ ok: true, value: 200n });
  });

  it("Eval-Rules Art 35: benchmark = average × coefficient, in integer fen rounded down", () => {
    // average of 100000, 100001, 100003 = 100001.33 → 100001; × 0.95 = 95000.95 → 95000
    expect(benchmarkPrice([100_000n, 100_001n, 100_003n], { kind: "average", coefficientPermille: 950 })).toEqual({
      ok: true,
      value: 95_000n,
    });
  });

  it("Eval-Rules Art 35: refuses an empty list, non-positive prices and a bad coefficient", () => {
    expect(code(benchmarkPrice([], { kind: "lowest" }))).toBe("EVALUATION.NO_VALID_BIDS");
    expect(code(benchmarkPrice([0n], { kind: "lowest" }))).toBe("MONEY.INVALID_AMOUNT");
    expect(code(benchmarkPrice([1n], { kind: "average", coefficientPermille: 0.9 }))).toBe("EVALUATION.INVALID_CONFIG");
  });

  it("Eval-Rules Art 35: the ratio formula gives 100 × benchmark / price", () => {
    expect(priceScore(300n, 200n, { kind: "ratio" })).toBe(66.67);
    expect(priceScore(200n, 200n, { kind: "ratio" })).toBe(100);
  });

  it("Eval-Rules Art 35: the deviation formula deducts per percent above and below the benchmark", () => {
    const formula = { kind: "deviation", penaltyPerPercentAbove: 1, penaltyPerPercentBelow: 0.5 } as const;
    expect(priceScore(10_300n, 10_000n, formula)).toBe(97);
    expect(priceScore(9_700n, 10_000n, formula)).toBe(98.5);
    expect(priceScore(30_000n, 10_000n, formula)).toBe(0);
  });

  it("Eval-Rules Art 35: scores every bid against one benchmark", () => {
    const result = scorePrices(
      [
        { bidderId: "A", price: 200n },
        { bidderId: "B", price: 400n },
      ],
      { benchmark: { kind: "lowest" }, formula: { kind: "ratio" } },
    );
    expect(result.ok && [result.value.benchmark, [...result.value.scores]]).toEqual([
      200n,
      [
        ["A", 100],
        ["B", 50],
      ],
    ]);
    expect(code(scorePrices([], { benchmark: { kind: "lowest" }, formula: { kind: "ratio" } }))).toBe("EVALUATION.NO_VALID_BIDS");
  });
});
