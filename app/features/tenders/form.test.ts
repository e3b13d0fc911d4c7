import { checkEvaluationConfig, EvaluationConfigSchema, parseTenderForm, tenderFormValues, PRICE_ITEM } from "./form.ts";

const TENDERER = "0f4c1b4e-8a5b-4f7e-9a31-6c2b8f1d2e3a";

function form(overrides: Record<string, string | string[]> = {}): FormData {
  const fields: Record<string, string | string[]> = {
    title: "滨江大道三期道路工程施工",
    code: "MZ-JS-2027-0001",
    procedureType: "WORKS",
    mandatory: "on",
    tendererOrgId: TENDERER,
    region: "明州市",
    description: "",
    estimatedPrice: "10000000",
    bidSecurity: "200000",
    bidValidityDays: "90",
    docsIssueAt: "2027-03-01T09:00",
    docsAvailableUntil: "2027-03-08T17:00",
    bidDeadline: "2027-03-22T09:30",
    qualifications: "市政公用工程施工总承包二级及以上\n\n近三年无重大安全事故",
    readOutLabel: ["工期", "质量标准"],
    readOutKind: ["days", "text"],
    evaluationMethod: "COMPREHENSIVE",
    weightTechnical: "50",
    weightCommercial: "20",
    weightPrice: "30",
    benchmark: "average",
    coefficient: "0.95",
    criterionPart: ["technical", "technical", "commercial", "technical"],
    criterionName: ["施工组织设计", "项目管理机构", "企业业绩", ""],
    criterionPoints: ["30", "20", "20", ""],
    criterionGuidance: ["方案可行得 24–30 分", "一级建造师得 20 分", "每项业绩 5 分", ""],
    ...overrides,
  };
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) for (const item of Array.isArray(v) ? v : [v]) fd.append(k, item);
  return fd;
}

describe("tender form", () => {
  it("opening settings: a 30-minute decryption window and no escrow remedy unless the tender states otherwise", () => {
    const plain = parseTenderForm(form());
    if (!plain.ok) throw new Error(JSON.stringify(plain.errors));
    expect([plain.data.decryptionWindowMinutes, plain.data.escrowRemedy]).toEqual([30, false]);
    const set = parseTenderForm(form({ decryptionWindowMinutes: "45", escrowRemedy: "on" }));
    if (!set.ok) throw new Error(JSON.stringify(set.errors));
    expect([set.data.decryptionWindowMinutes, set.data.escrowRemedy]).toEqual([45, true]);
    const short = parseTenderForm(form({ decryptionWindowMinutes: "1" }));
    expect(short.ok).toBe(false);
  });

  it("parses a lawful tender: yuan to fen, Beijing times, 唱标 items with the price first, evaluation config", () => {
    const result = parseTenderForm(
      form({ lotCode: ["1", ""], lotName: ["一标段", ""], lotPrice: ["6000000.50", ""], lotSecurity: ["100000", ""] }),
    );
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const d = result.data;
    expect(d.estimatedPriceCents).toBe(1_000_000_000n);
    expect(d.bidSecurityCents).toBe(20_000_000n);
    expect(d.bidDeadline.toISOString()).toBe("2027-03-22T01:30:00.000Z");
    expect(d.readOutItems).toEqual([
      PRICE_ITEM,
      { key: "item1", label: "工期", kind: "days" },
      { key: "item2", label: "质量标准", kind: "text" },
    ]);
    expect(d.qualificationRequirements).toEqual([
      { id: "q1", text: "市政公用工程施工总承包二级及以上" },
      { id: "q2", text: "近三年无重大安全事故" },
    ]);
    expect(d.lots).toEqual([{ code: "1", name: "一标段", estimatedPriceCents: 600_000_050n, bidSecurityCents: 10_000_000n }]);
    expect(d.evaluationConfig).toEqual({
      method: "COMPREHENSIVE",
      weights: { technical: 50, commercial: 20, price: 30 },
      priceScoring: { benchmark: { kind: "average", coefficientPermille: 950 }, formula: { kind: "ratio" } },
      criteria: [
        { id: "c1", part: "technical", name: "施工组织设计", maxPoints: 30, guidance: "方案可行得 24–30 分" },
        { id: "c2", part: "technical", name: "项目管理机构", maxPoints: 20, guidance: "一级建造师得 20 分" },
        { id: "c3", part: "commercial", name: "企业业绩", maxPoints: 20, guidance: "每项业绩 5 分" },
      ],
    });
  });

  it("refuses a deadline fewer than 20 full days after the issue, citing TBL Art 24", () => {
    const result = parseTenderForm(form({ bidDeadline: "2027-03-20T09:30" }));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.bidDeadline).toEqual({
      key: "errors.TENDER.DEADLINE_TOO_SOON",
      params: { days: 18, required: 20, article: "TBL Art 24" },
    });
  });

  it("refuses fewer than 5 days of document availability (Regs Art 16)", () => {
    const result = parseTenderForm(form({ docsAvailableUntil: "2027-03-05T17:00" }));
    expect(!result.ok && result.errors.docsAvailableUntil?.params?.article).toBe("Regs Art 16");
  });

  it("refuses a bid security above 2% of the estimate (Regs Art 26), and accepts exactly 2%", () => {
    const high = parseTenderForm(form({ bidSecurity: "200000.01" }));
    expect(!high.ok && high.errors.bidSecurity?.key).toBe("errors.BID.SECURITY_TOO_HIGH");
    expect(parseTenderForm(form({ bidSecurity: "200000" })).ok).toBe(true);
  });

  it("refuses weights that do not add up to 100, bad money and bad times with field messages", () => {
    const result = parseTenderForm(form({ weightPrice: "40", estimatedPrice: "12,000", docsIssueAt: "2027-02-30T09:00" }));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.weights?.key).toBe("errors.EVALUATION.INVALID_WEIGHTS");
    expect(result.errors.estimatedPrice?.key).toBe("invalid.amount");
    expect(result.errors.docsIssueAt?.key).toBe("invalid.dateTime");
    expect(result.values.readOutLabel).toEqual(["工期", "质量标准"]);
  });

  it("the tender may state the room's rules (decision 106); blank keeps bidding-core's defaults; a bad one is refused", () => {
    const plain = parseTenderForm(form());
    if (!plain.ok) throw new Error(JSON.stringify(plain.errors));
    expect(plain.data.evaluationConfig).not.toHaveProperty("roomRules");
    const stated = parseTenderForm(form({ roomAggregation: "mean", roomEvaluationHours: "12", roomMaxCandidates: "2" }));
    if (!stated.ok) throw new Error(JSON.stringify(stated.errors));
    expect(stated.data.evaluationConfig.roomRules).toEqual({
      aggregation: { kind: "mean" },
      evaluationHours: 12,
      maxCandidates: 2,
    });
    const values = tenderFormValues({ ...stated.data, lots: stated.data.lots });
    expect([values.roomAggregation, values.roomEvaluationHours, values.roomMaxCandidates, values.roomOutlierPercent]).toEqual([
      "mean",
      "12",
      "2",
      undefined,
    ]);
    const bad = parseTenderForm(form({ roomMaxCandidates: "4" }));
    expect(!bad.ok && bad.errors.roomRules).toEqual({
      key: "invalid.roomRules.maxCandidates",
      params: { article: "Eval-Rules Art 35" },
    });
    const hours = parseTenderForm(form({ roomEvaluationHours: "1.5" }));
    expect(!hours.ok && hours.errors.roomRules?.key).toBe("invalid.roomRules.evaluationHours");
  });

  it("adjustment factors carry their range in percent of the bid price (decision 105); a bad range names the row", () => {
    const result = parseTenderForm(
      form({
        evaluationMethod: "LOWEST_EVALUATED_PRICE",
        weightPrice: "",
        adjustmentFactor: ["工期提前", "付款条件", ""],
        adjustmentRule: ["每提前 1 日扣减 0.1%，最多 3%", "按年利率 6% 折算", ""],
        adjustmentMin: ["-3", "", ""],
        adjustmentMax: ["0", "", ""],
      }),
    );
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.data.evaluationConfig).toEqual({
      method: "LOWEST_EVALUATED_PRICE",
      adjustments: [
        { id: "a1", factor: "工期提前", rule: "每提前 1 日扣减 0.1%，最多 3%", minPercent: -3, maxPercent: 0 },
        { id: "a2", factor: "付款条件", rule: "按年利率 6% 折算" },
      ],
    });
    const values = tenderFormValues({ ...result.data, lots: result.data.lots });
    expect(values.adjustmentMin).toEqual(["-3", ""]);
    const bad = parseTenderForm(
      form({
        evaluationMethod: "LOWEST_EVALUATED_PRICE",
        weightPrice: "",
        adjustmentFactor: ["", "工期提前"],
        adjustmentRule: ["", "每提前 1 日扣减 0.1%"],
        adjustmentMin: ["", "5"],
        adjustmentMax: ["", "x"],
      }),
    );
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.errors.adjustments?.key).toBe("errors.EVALUATION.INVALID_ADJUSTMENT_RULE");
    expect(bad.errors.adjustments?.params).toMatchObject({ row: 2, problem: "bounds" });
  });

  it("lowest evaluated price needs no weights but states its adjustment rules; stored values round-trip to the form", () => {
    const result = parseTenderForm(
      form({
        evaluationMethod: "LOWEST_EVALUATED_PRICE",
        weightPrice: "",
        adjustmentFactor: ["工期提前", ""],
        adjustmentRule: ["每提前 1 日扣减报价 0.1%", ""],
      }),
    );
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const values = tenderFormValues({ ...result.data, lots: result.data.lots });
    const again = parseTenderForm(
      form(Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as Record<string, string | string[]>),
    );
    if (!again.ok) throw new Error(JSON.stringify(again.errors));
    expect(again.data).toEqual(result.data);
    expect(result.data.evaluationConfig).toEqual({
      method: "LOWEST_EVALUATED_PRICE",
      adjustments: [{ id: "a1", factor: "工期提前", rule: "每提前 1 日扣减报价 0.1%" }],
    });
    const comprehensive = parseTenderForm(form());
    if (!comprehensive.ok) throw new Error(JSON.stringify(comprehensive.errors));
    const back = parseTenderForm(
      form(tenderFormValues({ ...comprehensive.data, lots: [] }) as Record<string, string | string[]>),
    );
    if (!back.ok) throw new Error(JSON.stringify(back.errors));
    expect(back.data.evaluationConfig).toEqual(comprehensive.data.evaluationConfig);
  });

  it("TBL Art 19: a scoring table whose points miss a part's weight is refused, naming the part and both numbers", () => {
    const result = parseTenderForm(form({ criterionPoints: ["30", "15", "20", ""] }));
    expect(!result.ok && result.errors.criteria).toEqual({
      key: "errors.EVALUATION.POINTS_MISMATCH",
      params: { part: "technical", weight: 50, points: 45, article: "TBL Art 19 / Eval-Rules Art 35" },
    });
    // The row a refusal names is the row on the page, blank rows in between included.
    const gap = parseTenderForm(
      form({
        criterionPart: ["technical", "technical", "technical", "commercial"],
        criterionName: ["施工组织设计", "", "项目管理机构", "企业业绩"],
        criterionPoints: ["30", "", "20", "20"],
        criterionGuidance: ["g", "", "", "g"],
      }),
    );
    expect(!gap.ok && gap.errors.criteria?.params).toMatchObject({ row: 3, problem: "guidance" });
    const empty = parseTenderForm(
      form({ criterionPart: ["technical"], criterionName: ["施工组织设计"], criterionPoints: ["50"], criterionGuidance: ["g"] }),
    );
    expect(!empty.ok && empty.errors.criteria?.key).toBe("errors.EVALUATION.EMPTY_PART");
    const lowest = parseTenderForm(
      form({ evaluationMethod: "LOWEST_EVALUATED_PRICE", adjustmentFactor: ["工期提前"], adjustmentRule: [""] }),
    );
    expect(!lowest.ok && lowest.errors.adjustments?.key).toBe("errors.EVALUATION.INVALID_ADJUSTMENT_RULE");
  });

  it("TBL Art 19: a stored config is checked again before publication; a free-text list from before the table is kept but refused", () => {
    const result = parseTenderForm(form());
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(checkEvaluationConfig(result.data.evaluationConfig)).toBeNull();
    const legacy = {
      method: "COMPREHENSIVE",
      weights: { technical: 50, commercial: 20, price: 30 },
      priceScoring: { benchmark: { kind: "lowest" }, formula: { kind: "ratio" } },
      criteria: ["施工组织设计"],
    };
    expect(EvaluationConfigSchema.parse(legacy)).toMatchObject({ criteria: [], legacyCriteria: ["施工组织设计"] });
    expect(checkEvaluationConfig(legacy)?.code).toBe("EVALUATION.EMPTY_PART");
    expect(checkEvaluationConfig({ method: "LOWEST_EVALUATED_PRICE", criteria: ["工期"] })).toBeNull();
    expect(checkEvaluationConfig({})?.code).toBe("EVALUATION.INVALID_CONFIG");
    // Editing such a draft offers its lines as rows to complete with points and guidance.
    const ok = parseTenderForm(form());
    if (!ok.ok) throw new Error("set-up");
    const values = tenderFormValues({ ...ok.data, evaluationConfig: legacy, lots: [] });
    expect(values.criterionName).toEqual(["施工组织设计"]);
    expect(values.criterionPoints).toEqual([""]);
  });
});
