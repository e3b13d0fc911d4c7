import fc from "fast-check";
import { aggregateScores, median } from "./aggregate";

describe("aggregation across experts", () => {
  it("Eval-Rules Art 35: the plain mean, rounded to 2 decimals", () => {
    expect(aggregateScores([80, 85, 90, 70, 76], { kind: "mean" })).toBe(80.2);
    expect(aggregateScores([1, 2, 2], { kind: "mean" })).toBe(1.67);
  });

  it("Eval-Rules Art 35: drops the highest and lowest only when the committee is large enough", () => {
    const scores = [60, 80, 82, 84, 99];
    expect(aggregateScores(scores, { kind: "trimmed-mean", trimFrom: 5 })).toBe(82);
    expect(aggregateScores(scores, { kind: "trimmed-mean", trimFrom: 7 })).toBe(81);
    expect(aggregateScores([50, 90], { kind: "trimmed-mean", trimFrom: 1 })).toBe(70);
  });

  it("Eval-Rules Art 35: the aggregate does not depend on the order of the experts", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.integer({ min: 0, max: 10000 }).map((x) => x / 100),
          { minLength: 1, maxLength: 15 },
        ),
        (scores) => {
          const method = { kind: "trimmed-mean", trimFrom: 5 } as const;
          return aggregateScores(scores, method) === aggregateScores([...scores].reverse(), method);
        },
      ),
    );
  });

  it("Eval-Rules Art 35: refuses to aggregate nothing", () => {
    expect(() => aggregateScores([], { kind: "mean" })).toThrow(RangeError);
    expect(() => median([])).toThrow(RangeError);
  });

  it("Eval-Rules Art 35: median of odd and even lists", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
  });
});
