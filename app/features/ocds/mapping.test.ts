import { buildReleases, releasePackage, yuanAmount, type OcdsTenderRow } from "./mapping.ts";
import { releasePackageValidator } from "./validate.ts";

const row: OcdsTenderRow = {
  id: "7d0c6f3e-2b7a-4f53-9a7e-1b2c3d4e5f60",
  code: "MZ-JS-2027-0001",
  title: "滨江大道三期道路工程施工",
  description: "道路、排水、照明。",
  procedureType: "WORKS",
  status: "CLARIFICATION",
  estimatedPriceCents: 1_286_000_005n,
  docsIssueAt: new Date("2027-03-01T01:00:00Z"),
  docsAvailableUntil: new Date("2027-03-08T09:00:00Z"),
  bidDeadline: new Date("2027-04-02T01:30:00Z"),
  publishedAt: new Date("2027-03-01T01:00:00Z"),
  evaluationMethod: "COMPREHENSIVE",
  evaluationConfig: {
    method: "COMPREHENSIVE",
    weights: { technical: 50, commercial: 20, price: 30 },
    priceScoring: { benchmark: { kind: "average", coefficientPermille: 950 }, formula: { kind: "ratio" } },
    criteria: [
      { id: "c1", part: "technical", name: "施工组织设计", maxPoints: 50, guidance: "方案可行得 40–50 分" },
      { id: "c2", part: "commercial", name: "类似业绩", maxPoints: 20, guidance: "每项 5 分" },
    ],
  },
  tendererOrg: { id: "a", name: "明州市城市建设投资集团有限公司", creditCode: "91330200MA2C000017" },
  agentOrg: { id: "b", name: "明州正信工程咨询有限公司", creditCode: "91330200MA2C00002X" },
  lots: [{ code: "1", name: "一标段", estimatedPriceCents: 600_000_050n }],
  documents: [
    {
      id: "d1",
      kind: "TENDER_DOCUMENTS",
      fileName: "招标文件.pdf",
      createdAt: new Date("2027-02-28T01:00:00Z"),
      clarificationId: null,
    },
    {
      id: "d2",
      kind: "CLARIFICATION",
      fileName: "澄清1.pdf",
      createdAt: new Date("2027-03-18T01:00:00Z"),
      clarificationId: "c1",
    },
  ],
  clarifications: [
    {
      id: "c1",
      number: 1,
      title: "工程量清单修正",
      body: "第 3 章",
      issuedAt: new Date("2027-03-18T01:00:00Z"),
      previousDeadline: new Date("2027-03-22T01:30:00Z"),
      bidDeadline: new Date("2027-04-02T01:30:00Z"),
    },
  ],
};

describe("OCDS 1.1 mapping", () => {
  const releases = buildReleases(row, { prefix: "mingbiao", baseUrl: "https://mingbiao.example" });

  it("emits a tender release and a tenderUpdate per clarification, each with the deadline of its moment", () => {
    expect(releases.map((r) => r.tag)).toEqual([["tender"], ["tenderUpdate"]]);
    expect(releases[0]!.ocid).toBe(`ocds-mingbiao-${row.id}`);
    expect(releases.map((r) => (r.tender.tenderPeriod as { endDate: string }).endDate)).toEqual([
      "2027-03-22T01:30:00.000Z",
      "2027-04-02T01:30:00.000Z",
    ]);
    expect((releases[0]!.tender.documents as unknown[]).length).toBe(1);
    expect((releases[1]!.tender.documents as unknown[]).length).toBe(2);
    expect(releases[1]!.tender.amendments).toHaveLength(1);
  });

  it("maps parties, value in CNY yuan with 2 decimals, category and lots", () => {
    const r = releases[0]!;
    expect(r.parties.map((p) => p.roles)).toEqual([["buyer"], ["procuringEntity"]]);
    expect(r.tender.value).toEqual({ amount: 12_860_000.05, currency: "CNY" });
    expect(r.tender.mainProcurementCategory).toBe("works");
    expect(r.tender.items).toEqual([
      { id: "1", description: "一标段", quantity: 1, unit: { value: { amount: 6_000_000.5, currency: "CNY" } } },
    ]);
    expect(yuanAmount(1n)).toBe(0.01);
  });

  it("publishes the scoring table (评分标准) as awardCriteriaDetails; without a table, none", () => {
    expect(releases[0]!.tender.awardCriteriaDetails).toBe(
      "综合评估法：技术部分 50 分（施工组织设计 50 分：方案可行得 40–50 分）；商务部分 20 分（类似业绩 20 分：每项 5 分）；价格部分 30 分（评标基准价：有效投标价平均值 × 0.95）。",
    );
    const lowest = buildReleases(
      {
        ...row,
        evaluationMethod: "LOWEST_EVALUATED_PRICE",
        evaluationConfig: {
          method: "LOWEST_EVALUATED_PRICE",
          adjustments: [{ id: "a1", factor: "工期提前", rule: "每提前 1 日扣减报价 0.1%" }],
        },
      },
      { prefix: "mingbiao", baseUrl: "https://mingbiao.example" },
    );
    expect(lowest[0]!.tender.awardCriteriaDetails).toBe(
      "经评审的最低投标价法，价格折算因素：工期提前（每提前 1 日扣减报价 0.1%）。",
    );
    const legacy = buildReleases(
      {
        ...row,
        evaluationConfig: {
          method: "COMPREHENSIVE",
          weights: { technical: 50, commercial: 20, price: 30 },
          criteria: ["施工组织设计"],
        },
      },
      { prefix: "mingbiao", baseUrl: "https://mingbiao.example" },
    );
    expect(legacy[0]!.tender).not.toHaveProperty("awardCriteriaDetails");
  });

  it("the package validates against the official OCDS 1.1 schema, and a broken one does not", () => {
    const validate = releasePackageValidator();
    const pkg = releasePackage({
      uri: "https://mingbiao.example/ocds/releases.json",
      baseUrl: "https://mingbiao.example",
      releases,
      next: "https://mingbiao.example/ocds/releases.json?page=2",
      now: new Date(),
    });
    expect(validate(pkg), JSON.stringify(validate.errors)).toBe(true);
    const broken = {
      ...pkg,
      releases: [{ ...releases[0]!, tender: { ...releases[0]!.tender, mainProcurementCategory: "construction" } }],
    };
    expect(validate(broken)).toBe(false);
  });

  it("adds the opening's tenderers and their number once the opening record is published, valid OCDS", () => {
    const bidders = [
      { id: "x", name: "华东建工集团有限公司", creditCode: "91330100MA2B000110" },
      { id: "y", name: "浙东路桥工程有限公司", creditCode: "91330100MA2B000129" },
    ];
    const unpublished = buildReleases(
      { ...row, opening: { step: "DECRYPTING", pdfSha256: null, bids: bidders.map((organization) => ({ organization })) } },
      { prefix: "mingbiao", baseUrl: "https://mingbiao.example" },
    );
    expect(unpublished.at(-1)!.tender.tenderers).toBeUndefined();
    const opened = buildReleases(
      {
        ...row,
        status: "OPENED",
        opening: { step: "CLOSED", pdfSha256: "ab".repeat(32), bids: bidders.map((organization) => ({ organization })) },
      },
      { prefix: "mingbiao", baseUrl: "https://mingbiao.example" },
    );
    const latest = opened.at(-1)!;
    expect(latest.tender.numberOfTenderers).toBe(2);
    expect(latest.tender.tenderers).toEqual([
      { id: "CN-USCC-91330100MA2B000110", name: "华东建工集团有限公司" },
      { id: "CN-USCC-91330100MA2B000129", name: "浙东路桥工程有限公司" },
    ]);
    expect(latest.parties.filter((p) => (p.roles as string[]).includes("tenderer")).map((p) => p.name)).toEqual(
      bidders.map((b) => b.name),
    );
    // Earlier releases show the tender as it stood then: no tenderers yet.
    expect(opened[0]!.tender.tenderers).toBeUndefined();
    const validate = releasePackageValidator();
    const pkg = releasePackage({
      uri: "https://mingbiao.example/ocds/releases.json",
      baseUrl: "https://mingbiao.example",
      releases: opened,
      next: null,
      now: new Date(),
    });
    expect(validate(pkg), JSON.stringify(validate.errors)).toBe(true);
  });
});
