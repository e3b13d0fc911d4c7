import type { ScoringCriterion } from "../../../bidding-core/index";
import {
  consolidateQualification,
  reportData,
  summariseComprehensive,
  summariseLowestPrice,
  type QualificationSheet,
  type ScoreSheet,
} from "./scoring-pipeline.server.ts";

const members = ["m1", "m2", "m3", "m4", "m5"];
const bids = [
  { bidderId: "A", price: 10_000_000_00n },
  { bidderId: "B", price: 9_500_000_00n },
  { bidderId: "C", price: 11_000_000_00n },
  { bidderId: "D", price: 9_000_000_00n },
];
const qualification = [
  { id: "q1", text: "市政公用工程施工总承包二级及以上资质" },
  { id: "q2", text: "近三年无重大安全事故" },
];
const table: ScoringCriterion[] = [
  { id: "c1", part: "technical", name: "施工组织设计", maxPoints: 30, guidance: "g" },
  { id: "c2", part: "technical", name: "项目管理机构", maxPoints: 20, guidance: "g" },
  { id: "c3", part: "commercial", name: "类似业绩", maxPoints: 20, guidance: "g" },
];
const weights = { technical: 50, commercial: 20, price: 30 };
const code = (r: { ok: boolean; error?: { code: string } }) => (r.ok ? "ok" : r.error!.code);

// D fails q1 with three of five members (m4 and m5 pass it); everything else passes unanimously.
const qualSheets: QualificationSheet[] = members.flatMap((memberId) =>
  bids.map((b) => ({
    memberId,
    bidderId: b.bidderId,
    findings: qualification.map((q) =>
      b.bidderId === "D" && q.id === "q1" && ["m1", "m2", "m3"].includes(memberId)
        ? { criterionId: q.id, passed: false, reason: "资质证书已过期" }
        : { criterionId: q.id, passed: true },
    ),
  })),
);

function sheets(overrides: Partial<Record<string, Record<string, number>>> = {}): ScoreSheet[] {
  const base: Record<string, Record<string, number>> = {
    A: { c1: 26, c2: 18, c3: 16 },
    B: { c1: 24, c2: 16, c3: 18 },
    C: { c1: 28, c2: 19, c3: 20 },
  };
  return members.flatMap((memberId, i) =>
    ["A", "B", "C"].map((bidderId) => ({
      memberId,
      bidderId,
      points: overrides[`${memberId}:${bidderId}`] ?? { ...base[bidderId]!, c1: (base[bidderId]!.c1 ?? 0) - (i % 2) },
    })),
  );
}

const comprehensive = (over: Partial<Parameters<typeof summariseComprehensive>[0]> = {}) =>
  summariseComprehensive({
    table,
    weights,
    priceScoring: { benchmark: { kind: "lowest" }, formula: { kind: "ratio" } },
    aggregation: { kind: "trimmed-mean", trimFrom: 5 },
    memberIds: members,
    bids: bids.filter((b) => b.bidderId !== "D"),
    sheets: sheets(),
    outlierThresholdPercent: 20,
    ...over,
  });

describe("qualification consolidated by majority (资格审查)", () => {
  it("Eval-Rules Arts 20-26: the majority decides each criterion; the minority and the reasons are kept for the report", () => {
    const result = consolidateQualification({ criteria: qualification, memberIds: members, bids, sheets: qualSheets });
    if (!result.ok) throw new Error(result.error.code);
    const d = result.value.find((q) => q.bidderId === "D")!;
    expect(d).toEqual({
      bidderId: "D",
      passed: false,
      failures: [{ criterionId: "q1", reason: "资质证书已过期" }],
      differences: [{ criterionId: "q1", majorityPassed: false, minority: ["m4", "m5"] }],
    });
    expect(result.value.filter((q) => q.passed).map((q) => q.bidderId)).toEqual(["A", "B", "C"]);
  });

  it("Eval-Rules Arts 20-26: a fail without its reason, a missing sheet, a stranger's sheet and a tie are refused", () => {
    const noReason = qualSheets.map((s) =>
      s.memberId === "m1" && s.bidderId === "D"
        ? {
            ...s,
            findings: [
              { criterionId: "q1", passed: false },
              { criterionId: "q2", passed: true },
            ],
          }
        : s,
    );
    expect(code(consolidateQualification({ criteria: qualification, memberIds: members, bids, sheets: noReason }))).toBe(
      "EVALUATION.MISSING_REASON",
    );
    expect(
      code(consolidateQualification({ criteria: qualification, memberIds: members, bids, sheets: qualSheets.slice(1) })),
    ).toBe("EVALUATION.MISSING_SCORE");
    const stranger = [...qualSheets, { ...qualSheets[0]!, memberId: "x9" }];
    expect(code(consolidateQualification({ criteria: qualification, memberIds: members, bids, sheets: stranger }))).toBe(
      "EVALUATION.NOT_A_MEMBER",
    );
    // Four members (one left, not yet replaced): 2 against 2 on D's q1 is no majority.
    const four = qualSheets.filter((s) => s.memberId !== "m3");
    expect(
      code(consolidateQualification({ criteria: qualification, memberIds: ["m1", "m2", "m4", "m5"], bids, sheets: four })),
    ).toBe("EVALUATION.TIED_FINDING");
  });
});

describe("comprehensive summary (详细评审 and 汇总)", () => {
  it("Eval-Rules Art 35: parts are the sum of criterion points aggregated across members, price from read-out prices, ranked", () => {
    const result = comprehensive();
    if (!result.ok) throw new Error(result.error.code);
    const s = result.value;
    expect(s.benchmark).toBe(9_500_000_00n);
    // A: technical 44 or 43 per member (c1 26/25 + c2 18); trimmed mean of 44,43,44,43,44 → 43.67.
    const a = s.results.find((r) => r.bidderId === "A")!;
    expect(a).toMatchObject({ technicalScore: 43.67, commercialScore: 16, priceScore: 95, pricePoints: 28.5, total: 88.17 });
    const b = s.results.find((r) => r.bidderId === "B")!;
    expect(b).toMatchObject({ technicalScore: 39.67, commercialScore: 18, priceScore: 100, pricePoints: 30, total: 87.67 });
    const c = s.results.find((r) => r.bidderId === "C")!;
    expect(c).toMatchObject({ technicalScore: 46.67, commercialScore: 20, priceScore: 86.36, pricePoints: 25.91, total: 92.58 });
    expect(s.ranking.map((r) => r.bid.bidderId)).toEqual(["C", "A", "B"]);
    expect(s.outliers).toEqual([]);
    expect(s.canClose).toBe(true);
  });

  it("Regs Art 49: a score far from the median must be explained by its author before the summary closes", () => {
    const low = sheets({ "m2:C": { c1: 5, c2: 5, c3: 20 } });
    const open = comprehensive({ sheets: low });
    if (!open.ok) throw new Error(open.error.code);
    expect(open.value.outliers).toMatchObject([{ bidderId: "C", expertId: "m2", part: "technical", score: 10, reason: null }]);
    expect(open.value.canClose).toBe(false);
    const explained = comprehensive({
      sheets: low,
      outlierReasons: [{ memberId: "m2", bidderId: "C", part: "technical", reason: "施工组织设计未响应跨河段施工要求" }],
    });
    expect(explained.ok && explained.value.canClose).toBe(true);
    const blank = comprehensive({
      sheets: low,
      outlierReasons: [{ memberId: "m2", bidderId: "C", part: "technical", reason: "  " }],
    });
    expect(blank.ok && blank.value.canClose).toBe(false);
  });

  it("Eval-Rules Art 35 / TBL Art 37: out-of-range points, a missing criterion, a sheet for a rejected bid or from a non-member are refused", () => {
    expect(code(comprehensive({ sheets: sheets({ "m1:A": { c1: 31, c2: 18, c3: 16 } }) }))).toBe("EVALUATION.SCORE_OUT_OF_RANGE");
    expect(code(comprehensive({ sheets: sheets({ "m1:A": { c1: -1, c2: 18, c3: 16 } }) }))).toBe("EVALUATION.SCORE_OUT_OF_RANGE");
    expect(code(comprehensive({ sheets: sheets({ "m1:A": { c1: 26, c2: 18 } }) }))).toBe("EVALUATION.MISSING_SCORE");
    expect(
      code(comprehensive({ sheets: [...sheets(), { memberId: "m1", bidderId: "D", points: { c1: 1, c2: 1, c3: 1 } }] })),
    ).toBe("EVALUATION.BID_REJECTED");
    expect(
      code(comprehensive({ sheets: [...sheets(), { memberId: "x9", bidderId: "A", points: { c1: 1, c2: 1, c3: 1 } }] })),
    ).toBe("EVALUATION.NOT_A_MEMBER");
    expect(code(comprehensive({ sheets: sheets().filter((s) => !(s.memberId === "m5" && s.bidderId === "B")) }))).toBe(
      "EVALUATION.MISSING_SCORE",
    );
    expect(code(comprehensive({ bids: [], sheets: [] }))).toBe("EVALUATION.NO_VALID_BIDS");
  });

  it("Eval-Rules Art 35 (decision 025): equal totals are broken by the lower price, then flagged when still tied", () => {
    const same = { c1: 25, c2: 15, c3: 10 };
    const tied = members.flatMap((memberId) => ["A", "B"].map((bidderId) => ({ memberId, bidderId, points: same })));
    const equalPrices = [
      { bidderId: "A", price: 1_000_00n },
      { bidderId: "B", price: 1_000_00n },
    ];
    const result = comprehensive({ bids: equalPrices, sheets: tied });
    if (!result.ok) throw new Error(result.error.code);
    expect(result.value.ranking.map((r) => [r.bid.bidderId, r.unresolvedTieWith])).toEqual([
      ["A", ["B"]],
      ["B", ["A"]],
    ]);
  });
});

describe("lowest evaluated price (经评审的最低投标价法)", () => {
  it("Eval-Rules Arts 30-33: adjustments give the evaluated price; the lowest ranks first; a rejected bid takes none", () => {
    const result = summariseLowestPrice({
      bids: bids.slice(0, 2),
      adjustments: [{ bidderId: "B", adjustments: [{ reason: "付款条件偏离", amount: 600_000_00n }] }],
    });
    if (!result.ok) throw new Error(result.error.code);
    expect(result.value.ranking.map((r) => [r.bid.bidderId, r.bid.evaluatedPrice])).toEqual([
      ["A", 10_000_000_00n],
      ["B", 10_100_000_00n],
    ]);
    expect(code(summariseLowestPrice({ bids: bids.slice(0, 2), adjustments: [{ bidderId: "D", adjustments: [] }] }))).toBe(
      "EVALUATION.BID_REJECTED",
    );
  });
});

describe("report data (评标报告)", () => {
  it("Regs Art 53: at most the candidates allowed, rejected bids with reasons, and each member's stance", () => {
    const q = consolidateQualification({ criteria: qualification, memberIds: members, bids, sheets: qualSheets });
    const s = comprehensive();
    if (!q.ok || !s.ok) throw new Error("set-up");
    const report = reportData({
      qualification: q.value,
      ranking: s.value.ranking,
      maxCandidates: 2,
      signatures: [
        { memberId: "m1", signed: true },
        { memberId: "m2", signed: true },
        { memberId: "m3", signed: true },
        { memberId: "m4", signed: true, dissent: "对 C 的技术评分有不同意见" },
        { memberId: "m5", signed: false },
      ],
    });
    expect(report.candidates).toEqual([
      { rank: 1, bidderId: "C", unresolvedTieWith: [] },
      { rank: 2, bidderId: "A", unresolvedTieWith: [] },
    ]);
    expect(report.rejected).toEqual([{ bidderId: "D", failures: [{ criterionId: "q1", reason: "资质证书已过期" }] }]);
    expect(report.differences).toEqual([{ bidderId: "D", criterionId: "q1", majorityPassed: false, minority: ["m4", "m5"] }]);
    expect(report.stances.map((x) => x.stance)).toEqual(["agrees", "agrees", "agrees", "dissents", "deemed-to-agree"]);
  });
});
