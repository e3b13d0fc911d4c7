import fc from "fast-check";
import type { ComprehensiveResult } from "./evaluation/comprehensive";
import { defaultProcedureRules } from "./procedure-rules";
import { rankComprehensive, rankLowestPrice, selectCandidates } from "./ranking";

const result = (bidderId: string, total: number, price: bigint, technicalScore = 80): ComprehensiveResult => ({
  bidderId,
  total,
  price,
  technicalScore,
  commercialScore: 80,
  priceScore: 90,
});
const ids = (ranking: { bid: { bidderId: string } }[]) => ranking.map((r) => r.bid.bidderId);

describe("ranking", () => {
  it("Eval-Rules Art 35: ranks by total, then lower price, then higher technical score", () => {
    const ranking = rankComprehensive([
      result("D", 85, 900n, 70),
      result("A", 90, 1000n),
      result("B", 90, 950n),
      result("C", 85, 900n, 75),
    ]);
    expect(ids(ranking)).toEqual(["B", "A", "C", "D"]);
    expect(ranking.map((r) => r.rank)).toEqual([1, 2, 3, 4]);
    expect(ranking.every((r) => r.unresolvedTieWith.length === 0)).toBe(true);
  });

  it("Eval-Rules Art 35: flags a tie no rule breaks, listing by bidder id for the tenderer to settle", () => {
    const ranking = rankComprehensive([result("Y", 88, 100n), result("X", 88, 100n)]);
    expect(ids(ranking)).toEqual(["X", "Y"]);
    expect(ranking[0]?.unresolvedTieWith).toEqual(["Y"]);
  });

  it("Eval-Rules Arts 30-33: lowest evaluated price first, then lower bid price", () => {
    const ranking = rankLowestPrice([
      { bidderId: "A", price: 1000n, evaluatedPrice: 1100n, adjustments: [] },
      { bidderId: "B", price: 1050n, evaluatedPrice: 1050n, adjustments: [] },
      { bidderId: "C", price: 1000n, evaluatedPrice: 1050n, adjustments: [] },
    ]);
    expect(ids(ranking)).toEqual(["C", "B", "A"]);
  });

  it("Regs Art 53: at most 3 candidates, fewer if the procedure says so", () => {
    const rules = defaultProcedureRules("works", true);
    const ranking = rankComprehensive([result("A", 90, 1n), result("B", 80, 1n), result("C", 70, 1n), result("D", 60, 1n)]);
    expect(selectCandidates(ranking, rules)).toEqual(["A", "B", "C"]);
    expect(selectCandidates(ranking, { ...rules, maxCandidates: 1 })).toEqual(["A"]);
  });

  it("Eval-Rules Art 35: the ranking does not depend on input order", () => {
    const resultArb = fc.record({
      bidderId: fc.string({ minLength: 1, maxLength: 3 }),
      total: fc.integer({ min: 0, max: 5 }),
      price: fc.bigInt({ min: 1n, max: 4n }),
      technicalScore: fc.integer({ min: 0, max: 2 }),
      commercialScore: fc.constant(0),
      priceScore: fc.constant(0),
    });
    fc.assert(
      fc.property(
        fc
          .uniqueArray(resultArb, { selector: (r) => r.bidderId, maxLength: 12 })
          .chain((list) =>
            fc.tuple(fc.constant(list), fc.shuffledSubarray(list, { minLength: list.length, maxLength: list.length })),
          ),
        ([list, shuffled]) => {
          expect(rankComprehensive(shuffled)).toEqual(rankComprehensive(list));
          const lowest = (l: typeof list) =>
            l.map((r) => ({ bidderId: r.bidderId, price: r.price, evaluatedPrice: BigInt(r.total), adjustments: [] }));
          expect(ids(rankLowestPrice(lowest(shuffled)))).toEqual(ids(rankLowestPrice(lowest(list))));
        },
      ),
    );
  });
});
