import {
  checkCriterionPoints,
  partPoints,
  validateAdjustmentRules,
  validateScoringTable,
  type ScoringCriterion,
} from "./scoring-table";

const weights = { technical: 50, commercial: 20, price: 30 };
const table: ScoringCriterion[] = [
  { id: "c1", part: "technical", name: "施工组织设计", maxPoints: 30, guidance: "方案完整可行得 24–30 分" },
  { id: "c2", part: "technical", name: "项目管理机构", maxPoints: 20, guidance: "项目经理一级建造师得 20 分" },
  { id: "c3", part: "commercial", name: "企业业绩", maxPoints: 12.5, guidance: "每项类似业绩 2.5 分" },
  { id: "c4", part: "commercial", name: "企业信誉", maxPoints: 7.5, guidance: "省级以上奖项 7.5 分" },
];
const code = (r: { ok: boolean; error?: { code: string; params: Record<string, unknown> } }) => (r.ok ? "ok" : r.error!.code);

describe("scoring table (评分标准)", () => {
  it("TBL Art 19 / Eval-Rules Art 35: a table whose parts add up to their weights is accepted", () => {
    expect(validateScoringTable(table, weights)).toEqual({ ok: true, value: table });
    expect(partPoints(table, "commercial")).toBe(20);
    // 0.1 + 0.2 is not 0.3 in floating point; points are compared in hundredths.
    const tenths = [
      { id: "a", part: "technical", name: "甲", maxPoints: 0.1, guidance: "g" },
      { id: "b", part: "technical", name: "乙", maxPoints: 0.2, guidance: "g" },
    ] as const;
    expect(code(validateScoringTable(tenths, { technical: 0.3, commercial: 0, price: 99.7 }))).toBe("ok");
  });

  it("TBL Art 19 / Eval-Rules Art 35: points that do not add up to the part's weight are refused with both numbers", () => {
    const result = validateScoringTable(table.slice(0, 3), weights);
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.error).toMatchObject({
        code: "EVALUATION.POINTS_MISMATCH",
        params: { part: "commercial", weight: 20, points: 12.5 },
      });
    const over = validateScoringTable(
      [...table, { id: "c5", part: "technical", name: "BIM", maxPoints: 5, guidance: "有 BIM 方案 5 分" }],
      weights,
    );
    if (!over.ok) expect(over.error.params).toMatchObject({ part: "technical", weight: 50, points: 55 });
    expect(over.ok).toBe(false);
  });

  it("TBL Art 19 / Eval-Rules Art 35: a weighted part without criteria is refused; a part of weight 0 needs none and takes none", () => {
    const noCommercial = validateScoringTable(table.slice(0, 2), weights);
    expect(noCommercial.ok).toBe(false);
    if (!noCommercial.ok)
      expect(noCommercial.error).toMatchObject({ code: "EVALUATION.EMPTY_PART", params: { part: "commercial", weight: 20 } });
    expect(code(validateScoringTable(table.slice(0, 2), { technical: 50, commercial: 0, price: 50 }))).toBe("ok");
    expect(code(validateScoringTable(table, { technical: 50, commercial: 0, price: 50 }))).toBe("EVALUATION.POINTS_MISMATCH");
  });

  it("TBL Art 19 / Eval-Rules Art 35: each criterion needs a name, positive points of 2 decimals at most, guidance, and a unique name in its part", () => {
    const withRow = (c: Partial<ScoringCriterion>) => {
      const r = validateScoringTable([table[0]!, { ...table[1]!, ...c }, ...table.slice(2)], weights);
      return r.ok ? null : r.error;
    };
    expect(withRow({ name: " " })).toMatchObject({ code: "EVALUATION.INVALID_CRITERION", params: { row: 2, problem: "name" } });
    expect(withRow({ maxPoints: 0 })).toMatchObject({ params: { row: 2, problem: "points" } });
    expect(withRow({ maxPoints: -20 })).toMatchObject({ params: { problem: "points" } });
    expect(withRow({ maxPoints: 19.999 })).toMatchObject({ params: { problem: "points" } });
    expect(withRow({ maxPoints: Number.NaN })).toMatchObject({ params: { problem: "points" } });
    expect(withRow({ guidance: "" })).toMatchObject({ params: { row: 2, problem: "guidance" } });
    expect(withRow({ name: "施工组织设计" })).toMatchObject({ params: { row: 2, problem: "duplicate" } });
    expect(withRow({ part: "price" as never })).toMatchObject({ params: { problem: "part" } });
    // The same name in the other part is a different criterion.
    expect(withRow({ name: "企业业绩" })).toBeNull();
  });

  it("Eval-Rules Art 35: a member's points lie between 0 and the criterion's maximum", () => {
    const c = table[2]!;
    expect(checkCriterionPoints(c, 0)).toEqual({ ok: true, value: 0 });
    expect(checkCriterionPoints(c, 12.5)).toEqual({ ok: true, value: 12.5 });
    expect(code(checkCriterionPoints(c, 12.51))).toBe("EVALUATION.SCORE_OUT_OF_RANGE");
    expect(code(checkCriterionPoints(c, -1))).toBe("EVALUATION.SCORE_OUT_OF_RANGE");
    expect(code(checkCriterionPoints(c, 1.234))).toBe("EVALUATION.SCORE_OUT_OF_RANGE");
    expect(code(checkCriterionPoints(c, Number.POSITIVE_INFINITY))).toBe("EVALUATION.SCORE_OUT_OF_RANGE");
  });
});

describe("adjustment rules (价格折算因素, 经评审的最低投标价法)", () => {
  it("TBL Art 19 / Eval-Rules Art 31: each rule names its factor and how it converts; factors are unique", () => {
    const rules = [
      { id: "a1", factor: "工期提前", rule: "每提前 1 日，评标价扣减投标报价的 0.1%" },
      { id: "a2", factor: "付款条件偏离", rule: "每偏离 1%，评标价增加投标报价的 0.5%" },
    ];
    expect(validateAdjustmentRules(rules)).toEqual({ ok: true, value: rules });
    expect(validateAdjustmentRules([])).toEqual({ ok: true, value: [] });
    const noRule = validateAdjustmentRules([{ ...rules[0]!, rule: "" }]);
    if (!noRule.ok)
      expect(noRule.error).toMatchObject({ code: "EVALUATION.INVALID_ADJUSTMENT_RULE", params: { row: 1, problem: "rule" } });
    expect(noRule.ok).toBe(false);
    expect(code(validateAdjustmentRules([{ ...rules[0]!, factor: " " }]))).toBe("EVALUATION.INVALID_ADJUSTMENT_RULE");
    expect(code(validateAdjustmentRules([rules[0]!, { ...rules[1]!, factor: "工期提前" }]))).toBe(
      "EVALUATION.INVALID_ADJUSTMENT_RULE",
    );
  });
});
