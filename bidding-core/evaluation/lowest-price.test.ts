import { evaluateLowestPrice } from "./lowest-price";

describe("lowest evaluated price method (经评审的最低投标价法)", () => {
  it("Eval-Rules Arts 30-33: evaluated price = bid price + quantified adjustments", () => {
    const result = evaluateLowestPrice([
      {
        bidderId: "A",
        price: 1_000_00n,
        adjustments: [
          { reason: "工期偏差", amount: 50_00n },
          { reason: "付款条件", amount: -10_00n },
        ],
      },
      { bidderId: "B", price: 1_020_00n, adjustments: [] },
    ]);
    expect(result.ok && result.value.map((r) => [r.bidderId, r.evaluatedPrice])).toEqual([
      ["A", 1_040_00n],
      ["B", 1_020_00n],
    ]);
  });

  it("Eval-Rules Art 27: refuses an empty list; refuses non-positive prices", () => {
    expect(evaluateLowestPrice([])).toMatchObject({ ok: false, error: { code: "EVALUATION.NO_VALID_BIDS" } });
    const negative = evaluateLowestPrice([{ bidderId: "A", price: 10n, adjustments: [{ reason: "x", amount: -20n }] }]);
    expect(negative).toMatchObject({ ok: false, error: { code: "MONEY.INVALID_AMOUNT" } });
  });
});
