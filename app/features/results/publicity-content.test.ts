import { MAX_CANDIDATES, publicityContent, StoredCandidates } from "./publicity-content.ts";

const A = "11111111-1111-4111-8111-111111111111";
const B = "22222222-2222-4222-8222-222222222222";
const C = "33333333-3333-4333-8333-333333333333";
const D = "44444444-4444-4444-8444-444444444444";
const E = "55555555-5555-4555-8555-555555555555";

/** A report as report.server.ts writes it (the parts the notice reads, and some it ignores). */
function report(overrides: Record<string, unknown> = {}) {
  return {
    tender: { id: "t", code: "MZ", title: "x" },
    committee: [
      { userId: "u1", name: "赵专家", chair: false, replaced: false, signedInAt: null },
      { userId: "u2", name: "钱专家", chair: true, replaced: false },
      { userId: "u3", name: "孙专家", chair: false, replaced: true },
      { userId: "u4", name: "李代表", chair: false, replaced: false },
    ],
    bidders: { [A]: "甲公司", [B]: "乙公司", [C]: "丙公司", [D]: "丁公司", [E]: "戊公司" },
    rejected: [{ bidderId: C, failures: [{ criterionId: "q1", reason: "资质证书过期" }] }],
    collusionFindings: [{ bidderIds: [D, C], reason: "投标文件由同一单位编制" }],
    summary: {
      benchmark: "800000000",
      results: [
        { bidderId: A, price: "865000000", technicalScore: 44.5, total: 91.5 },
        { bidderId: B, price: "871234500", technicalScore: 41, total: 88.777 },
        { bidderId: E, price: "900000000", technicalScore: 30, total: 70 },
      ],
      outliers: [],
    },
    candidates: [
      { rank: 2, bidderId: B, unresolvedTieWith: [] },
      { rank: 1, bidderId: A, unresolvedTieWith: [] },
    ],
    ...overrides,
  };
}

const base = {
  readOuts: new Map([[A, { price: "8650000.00", duration: "360" }]]),
  criteria: new Map([["q1", "具有二级及以上资质"]]),
  specialties: new Map([["u1", "道路工程"]]),
  representativeIds: new Set(["u4"]),
};

describe("publicityContent (Regs Art 54: what the candidate notice publishes)", () => {
  it("lists the candidates in rank with the read-out, the bid price in fen and the score", () => {
    const content = publicityContent({ ...base, report: report() })!;
    expect(content.candidates).toEqual([
      {
        rank: 1,
        bidderOrgId: A,
        name: "甲公司",
        readOut: { price: "8650000.00", duration: "360" },
        priceCents: "865000000",
        score: "91.50",
        tiedWith: [],
      },
      { rank: 2, bidderOrgId: B, name: "乙公司", readOut: {}, priceCents: "871234500", score: "88.78", tiedWith: [] },
    ]);
  });

  it("names what each rejected bid failed, joining a collusion finding to a bid already rejected", () => {
    const content = publicityContent({ ...base, report: report() })!;
    expect(content.rejected).toEqual([
      {
        bidderOrgId: C,
        name: "丙公司",
        stage: "qualification",
        reasons: ["具有二级及以上资质：资质证书过期", "投标文件由同一单位编制"],
      },
      { bidderOrgId: D, name: "丁公司", stage: "collusion", reasons: ["投标文件由同一单位编制"] },
    ]);
  });

  it("TBL Art 37: the committee as it signed, chair first, without members replaced, with the representatives marked", () => {
    const content = publicityContent({ ...base, report: report() })!;
    expect(content.committee).toEqual([
      { name: "钱专家", role: "chair", specialty: null },
      { name: "赵专家", role: "member", specialty: "道路工程" },
      { name: "李代表", role: "representative", specialty: null },
    ]);
  });

  it("publishes at most three candidates and names unresolved ties", () => {
    const content = publicityContent({
      ...base,
      report: report({
        candidates: [
          { rank: 1, bidderId: A, unresolvedTieWith: [B] },
          { rank: 1, bidderId: B, unresolvedTieWith: [A] },
          { rank: 3, bidderId: E, unresolvedTieWith: [] },
          { rank: 4, bidderId: D, unresolvedTieWith: [] },
        ],
      }),
    })!;
    expect(content.candidates).toHaveLength(MAX_CANDIDATES);
    expect(content.candidates[0]!.tiedWith).toEqual(["乙公司"]);
    expect(content.candidates.map((c) => c.bidderOrgId)).toEqual([A, B, E]);
  });

  it("the lowest-price method has no score; a price that is not whole fen is not published as one", () => {
    const content = publicityContent({
      ...base,
      report: report({
        summary: {
          results: [
            { bidderId: A, price: "865000000", evaluatedPrice: "860000000" },
            { bidderId: B, price: "8712345.5" },
          ],
        },
      }),
    })!;
    expect(content.candidates.map((c) => [c.priceCents, c.evaluatedPriceCents, c.score])).toEqual([
      ["865000000", "860000000", null],
      [null, undefined, null],
    ]);
  });

  it("lowest evaluated price: the frozen price is the read-out bid price (the 中标价), the evaluated price kept apart", () => {
    const content = publicityContent({
      ...base,
      report: report({
        summary: {
          results: [
            { bidderId: A, price: "865000000", evaluatedPrice: "850000000" },
            { bidderId: B, price: "871234500", evaluatedPrice: "871234500" },
          ],
        },
      }),
    })!;
    expect(content.candidates[0]).toMatchObject({ priceCents: "865000000", evaluatedPriceCents: "850000000", score: null });
    expect(content.candidates[1]).toMatchObject({ priceCents: "871234500", evaluatedPriceCents: "871234500" });
    // The frozen row reads back with it, and the award's reader still takes the bid price.
    expect(StoredCandidates.parse(JSON.parse(JSON.stringify(content.candidates)))[0]!.evaluatedPriceCents).toBe("850000000");
  });

  it("is null for a report it cannot publish: no candidates, or not the room's shape", () => {
    expect(publicityContent({ ...base, report: report({ candidates: [] }) })).toBeNull();
    expect(publicityContent({ ...base, report: { candidates: "A" } })).toBeNull();
    expect(publicityContent({ ...base, report: null })).toBeNull();
  });
});
