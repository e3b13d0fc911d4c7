import { describe, expect, it } from "vitest";
import { aggregateAmounts, checkAdjustment } from "./adjustments";
import { validateAdjustmentRules } from "./scoring-table";

const rule = { id: "a1", factor: "工期提前", rule: "每提前 1 日扣减报价 0.1%，最多扣减 3%", minPercent: -3, maxPercent: 0 };

describe("the committee's adjustments (经评审的最低投标价法, decision 105)", () => {
  it("Eval-Rules Art 31: an amount within the rule's bounds, compared exactly in percent of the bid price", () => {
    // 3 % of 1 000 000.00 yuan is 30 000.00 yuan = 3 000 000 fen.
    expect(checkAdjustment(rule, -3_000_000n, 100_000_000n)).toEqual({ ok: true, value: -3_000_000n });
    expect(checkAdjustment(rule, 0n, 100_000_000n)).toEqual({ ok: true, value: 0n });
    expect(checkAdjustment(rule, -3_000_001n, 100_000_000n)).toMatchObject({
      ok: false,
      error: { code: "EVALUATION.ADJUSTMENT_OUT_OF_RANGE", article: "Eval-Rules Art 31", params: { adjustmentId: "a1" } },
    });
    expect(checkAdjustment(rule, 1n, 100_000_000n)).toMatchObject({ ok: false });
    // Decimal bounds: 0.25 % of 10 000.00 yuan = 25.00 yuan.
    const quarter = { ...rule, minPercent: undefined, maxPercent: 0.25 };
    expect(checkAdjustment(quarter, 2_500n, 1_000_000n).ok).toBe(true);
    expect(checkAdjustment(quarter, 2_501n, 1_000_000n).ok).toBe(false);
    expect(checkAdjustment(quarter, -99_000_000n, 1_000_000n).ok).toBe(true);
  });

  it("a rule without bounds takes any amount (the evaluated price staying positive is checked later)", () => {
    expect(checkAdjustment({ id: "a2", factor: "付款", rule: "按年利率折算" }, 123_456n, 1_000n).ok).toBe(true);
  });

  it("decision 105: the members' amounts aggregate like scores, on fen, half-up to the fen", () => {
    expect(aggregateAmounts([-100n, -200n, -300n, -400n, -10_000n], { kind: "trimmed-mean", trimFrom: 5 })).toBe(-300n);
    expect(aggregateAmounts([1n, 2n], { kind: "mean" })).toBe(2n); // 1.5 → 2
    expect(aggregateAmounts([-1n, -2n], { kind: "mean" })).toBe(-2n); // -1.5 → -2 (away from zero)
    expect(aggregateAmounts([1n, 1n, 2n], { kind: "mean" })).toBe(1n); // 1.33 → 1
    expect(aggregateAmounts([0n, 0n, 0n, 0n, 900n], { kind: "trimmed-mean", trimFrom: 5 })).toBe(0n);
    expect(aggregateAmounts([0n, 0n, 0n, 900n], { kind: "trimmed-mean", trimFrom: 5 })).toBe(225n);
    expect(() => aggregateAmounts([], { kind: "mean" })).toThrow(RangeError);
  });

  it("TBL Art 19: the documents' bounds are checked with the rules", () => {
    expect(validateAdjustmentRules([rule]).ok).toBe(true);
    const bad = (minPercent?: number, maxPercent?: number) => validateAdjustmentRules([{ ...rule, minPercent, maxPercent }]);
    expect(bad(1, -1)).toMatchObject({ ok: false, error: { params: { problem: "bounds", row: 1 } } });
    expect(bad(-101, 0)).toMatchObject({ ok: false, error: { params: { problem: "bounds" } } });
    expect(bad(-0.001, 0)).toMatchObject({ ok: false, error: { params: { problem: "bounds" } } });
    expect(bad(undefined, undefined).ok).toBe(true);
  });
});
