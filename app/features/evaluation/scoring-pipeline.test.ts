import type { ScoringCriterion } from "../../../bidding-core/index";
import {
  consolidateQualification,
  reportData,
  summariseComprehensive,
  summariseLowestEvaluatedPrice,
  summariseLowestPrice,
  type AdjustmentSheet,
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

describe("lowest evaluated price summary (经评审的最低投标价法, decision 105)", () => {
  const rules = [
    { id: "a1", factor: "工期提前", rule: "每提前 1 日扣减报价 0.1%，最多扣减 3%", minPercent: -3, maxPercent: 0 },
    { id: "a2", factor: "付款条件偏差", rule: "每偏离 1 个月加价 0.5%，最多 5%", minPercent: 0, maxPercent: 5 },
  ];
  const three = [
    { bidderId: "A", price: 10_000_000_00n },
    { bidderId: "B", price: 9_500_000_00n },
    { bidderId: "C", price: 9_800_000_00n },
  ];
  // Per bid, per member: [a1, a2] in yuan. m5 is far off on B's a1; trimming drops one highest and one lowest.
  const given: Record<string, [number, number][]> = {
    A: [
      [-300_000, 0],
      [-300_000, 0],
      [-300_000, 0],
      [-300_000, 0],
      [-300_000, 0],
    ],
    B: [
      [0, 475_000],
      [0, 475_000],
      [0, 475_000],
      [0, 475_000],
      [-285_000, 475_000],
    ],
    C: [
      [-98_000, 0],
      [-98_000, 0],
      [-98_000, 0],
      [-196_000, 0],
      [-98_000, 0],
    ],
  };
  const sheets: AdjustmentSheet[] = Object.entries(given).flatMap(([bidderId, rows]) =>
    rows.map(([a1, a2], i) => ({
      memberId: members[i]!,
      bidderId,
      amounts: { a1: BigInt(a1) * 100n, a2: BigInt(a2) * 100n },
    })),
  );
  const input = { rules, aggregation: { kind: "trimmed-mean", trimFrom: 5 } as const, memberIds: members, bids: three, sheets };

  it("Eval-Rules Arts 30-33: the committee's amounts per rule, the evaluated prices, lowest first", () => {
    const r = summariseLowestEvaluatedPrice(input);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const evaluated = Object.fromEntries(r.value.results.map((x) => [x.bidderId, x.evaluatedPrice]));
    // A: 10 000 000 − 300 000; B: 9 500 000 + 475 000 (m5's −285 000 trimmed away); C: 9 800 000 − 98 000.
    expect(evaluated).toEqual({ A: 9_700_000_00n, B: 9_975_000_00n, C: 9_702_000_00n });
    expect(r.value.ranking.map((x) => [x.rank, x.bid.bidderId])).toEqual([
      [1, "A"],
      [2, "C"],
      [3, "B"],
    ]);
    expect(r.value.results.find((x) => x.bidderId === "B")?.adjustments).toEqual([
      { reason: "工期提前", amount: 0n },
      { reason: "付款条件偏差", amount: 475_000_00n },
    ]);
    expect(r.value.memberPrices.find((m) => m.memberId === "m5" && m.bidderId === "B")?.evaluatedPrice).toBe(9_690_000_00n);
    expect(r.value).toMatchObject({ outliers: [], canClose: true });
  });

  it("ties on evaluated price go to the lower bid price (decision 025)", () => {
    const tie: AdjustmentSheet[] = members.flatMap((memberId) => [
      { memberId, bidderId: "A", amounts: { a1: -300_000_00n, a2: 0n } },
      { memberId, bidderId: "B", amounts: { a1: 0n, a2: 200_000_00n } },
      { memberId, bidderId: "C", amounts: { a1: -98_000_00n, a2: 0n } },
    ]);
    const r = summariseLowestEvaluatedPrice({ ...input, sheets: tie });
    // A and B both 9 700 000 evaluated; B bid less.
    expect(r.ok && r.value.ranking.map((x) => x.bid.bidderId)).toEqual(["B", "A", "C"]);
  });

  it("refuses an amount outside a rule's bounds, a missing sheet or amount, a failed bid, a stranger", () => {
    const change = (s: AdjustmentSheet[]) => code(summariseLowestEvaluatedPrice({ ...input, sheets: s }));
    const over = sheets.map((s, i) => (i === 0 ? { ...s, amounts: { ...s.amounts, a1: -300_000_01n } } : s));
    expect(change(over)).toBe("EVALUATION.ADJUSTMENT_OUT_OF_RANGE");
    expect(change(sheets.slice(1))).toBe("EVALUATION.MISSING_SCORE");
    expect(change(sheets.map((s, i) => (i === 0 ? { ...s, amounts: { a1: 0n } } : s)))).toBe("EVALUATION.MISSING_SCORE");
    expect(change([...sheets, { memberId: "m1", bidderId: "D", amounts: { a1: 0n, a2: 0n } }])).toBe("EVALUATION.BID_REJECTED");
    expect(change([...sheets, { memberId: "x9", bidderId: "A", amounts: { a1: 0n, a2: 0n } }])).toBe("EVALUATION.NOT_A_MEMBER");
    expect(code(summariseLowestEvaluatedPrice({ ...input, bids: [], sheets: [] }))).toBe("EVALUATION.NO_VALID_BIDS");
  });

  it("a tender without adjustment rules: the bid price is the evaluated price", () => {
    const plain = members.flatMap((memberId) => three.map((b) => ({ memberId, bidderId: b.bidderId, amounts: {} })));
    const r = summariseLowestEvaluatedPrice({ ...input, rules: [], sheets: plain });
    expect(r.ok && r.value.ranking.map((x) => [x.bid.bidderId, x.bid.evaluatedPrice])).toEqual([
      ["B", 9_500_000_00n],
      ["C", 9_800_000_00n],
      ["A", 10_000_000_00n],
    ]);
  });
});
