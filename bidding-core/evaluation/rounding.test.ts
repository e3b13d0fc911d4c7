import fc from "fast-check";
import { roundHalfUp } from "./rounding";

describe("score rounding (2 decimals, half away from zero)", () => {
  it("Eval-Rules Art 35: rounds half up without binary noise", () => {
    expect(roundHalfUp(1.005)).toBe(1.01);
    expect(roundHalfUp(2.675)).toBe(2.68);
    expect(roundHalfUp(89.994999)).toBe(89.99);
    expect(roundHalfUp(-1.005)).toBe(-1.01);
    expect(roundHalfUp(0.000001)).toBe(0);
    expect(roundHalfUp(12.3456, 3)).toBe(12.346);
    expect(Object.is(roundHalfUp(-0.001), 0)).toBe(true);
  });

  it("Eval-Rules Art 35: refuses to round a non-finite value", () => {
    expect(() => roundHalfUp(Number.NaN)).toThrow(RangeError);
  });

  it("Eval-Rules Art 35: rounding is idempotent and never moves a value by more than half a unit", () => {
    fc.assert(
      fc.property(fc.double({ min: -1e6, max: 1e6, noNaN: true }), (x) => {
        const r = roundHalfUp(x);
        return roundHalfUp(r) === r && Math.abs(r - x) <= 0.005 + 1e-9;
      }),
    );
  });
});
