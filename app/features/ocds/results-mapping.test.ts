import { releasePackage } from "./mapping.ts";
import { buildResultReleases, resultReleaseSuffix, RESULT_RELEASE, type OcdsResultsRow } from "./results-mapping.ts";
import { releasePackageValidator } from "./validate.ts";

const orgs = new Map([
  [
    "11111111-1111-4111-8111-111111111111",
    { id: "11111111-1111-4111-8111-111111111111", name: "甲建设有限公司", creditCode: "91330200MA2C000101" },
  ],
  [
    "22222222-2222-4222-8222-222222222222",
    { id: "22222222-2222-4222-8222-222222222222", name: "乙建设有限公司", creditCode: "91330200MA2C000202" },
  ],
  [
    "33333333-3333-4333-8333-333333333333",
    { id: "33333333-3333-4333-8333-333333333333", name: "丙建设有限公司", creditCode: "91330200MA2C000303" },
  ],
]);
const [a, b, c] = [...orgs.keys()] as [string, string, string];
const buyer = { id: "CN-USCC-91330200MA2C000017", name: "明州市城市建设投资集团有限公司" };
const base: OcdsResultsRow = {
  tenderId: "7d0c6f3e-2b7a-4f53-9a7e-1b2c3d4e5f60",
  code: "MZ-JS-2027-0001",
  title: "滨江大道三期道路工程施工",
  buyer,
  baseParties: [{ ...buyer, identifier: { scheme: "CN-USCC", id: "91330200MA2C000017" }, roles: ["buyer", "procuringEntity"] }],
  orgs,
  publicity: {
    publishedAt: new Date("2027-05-06T02:00:00Z"),
    startsAt: new Date("2027-05-06T02:00:00Z"),
    endsAt: new Date("2027-05-09T16:00:00Z"),
    candidates: [
      { rank: 2, bidderOrgId: b, name: "乙建设有限公司", priceCents: "1200000000" },
      { rank: 1, bidderOrgId: a, name: "甲建设有限公司", priceCents: "1180000005" },
      { rank: 3, bidderOrgId: c, name: "丙建设有限公司", priceCents: null },
    ],
  },
  award: null,
  declines: [],
};
const options = { prefix: "mingbiao", baseUrl: "https://mingbiao.example" };
const validate = releasePackageValidator();
function validates(row: OcdsResultsRow) {
  const releases = buildResultReleases(row, options);
  const pkg = releasePackage({
    uri: "https://mingbiao.example/ocds/releases.json",
    baseUrl: options.baseUrl,
    releases,
    next: null,
    now: new Date(0),
  });
  const ok = validate(pkg);
  expect(validate.errors ?? []).toEqual([]);
  expect(ok).toBe(true);
  return releases;
}

describe("OCDS results releases (decision 118)", () => {
  it("candidate publicity: one `award` release, an award per candidate in rank, pending, valued in CNY yuan", () => {
    const [release, ...rest] = validates(base);
    expect(rest).toEqual([]);
    expect(release!.tag).toEqual(["award"]);
    expect(release!.id).toBe(`ocds-mingbiao-${base.tenderId}-candidates`);
    expect(release!.awards!.map((x) => [x.id, x.status])).toEqual([
      ["award-1", "pending"],
      ["award-2", "pending"],
      ["award-3", "pending"],
    ]);
    expect(release!.awards![0]!.value).toEqual({ amount: 11_800_000.05, currency: "CNY" });
    expect(release!.awards![2]!.value).toBeUndefined();
    expect(release!.parties.filter((p) => (p.roles as string[]).includes("supplier"))).toEqual([]);
  });

  it("the award: the winner active with its supplier party, the others unsuccessful, the passed-over candidate with its cause", () => {
    const row: OcdsResultsRow = {
      ...base,
      award: {
        winnerOrgId: b,
        winnerName: "乙建设有限公司",
        winnerRank: 2,
        priceCents: 1_200_000_000n,
        confirmedAt: new Date("2027-05-12T02:00:00Z"),
        resultNoticeAt: new Date("2027-05-12T02:00:00Z"),
        reason: "第一中标候选人放弃中标",
        contractSignedAt: null,
        contractRecordedAt: null,
        contractAmountCents: null,
      },
      declines: [
        { bidderOrgId: a, rank: 1, cause: "declined", reason: "书面放弃", recordedAt: new Date("2027-05-11T02:00:00Z") },
      ],
    };
    const releases = validates(row);
    expect(releases.map((r) => r.tag[0])).toEqual(["award", "award"]);
    const award = releases[1]!;
    expect(award.awards!.map((x) => [x.id, x.status])).toEqual([
      ["award-1", "unsuccessful"],
      ["award-2", "active"],
      ["award-3", "unsuccessful"],
    ]);
    expect(award.awards![0]!.description).toContain("放弃中标：书面放弃");
    expect(award.awards![1]!.suppliers).toEqual([{ id: "CN-USCC-91330200MA2C000202", name: "乙建设有限公司" }]);
    const supplier = award.parties.find((p) => (p.roles as string[]).includes("supplier"));
    expect(supplier?.id).toBe("CN-USCC-91330200MA2C000202");
  });

  it("a winner passed over after the award gives an `awardUpdate` with that award cancelled; the contract a `contract` release", () => {
    const award = {
      winnerOrgId: a,
      winnerName: "甲建设有限公司",
      winnerRank: 1,
      priceCents: 1_180_000_005n,
      confirmedAt: new Date("2027-05-12T02:00:00Z"),
      resultNoticeAt: new Date("2027-05-12T02:00:00Z"),
      reason: null,
      contractSignedAt: new Date("2027-05-20T02:00:00Z"),
      contractRecordedAt: new Date("2027-05-20T06:00:00Z"),
      contractAmountCents: 1_180_000_005n,
    };
    const contract = validates({ ...base, award }).at(-1)!;
    expect(contract.tag).toEqual(["contract"]);
    expect(contract.date).toBe("2027-05-20T06:00:00.000Z");
    expect(contract.contracts).toEqual([
      {
        id: "contract-1",
        awardID: "award-1",
        title: "滨江大道三期道路工程施工 合同",
        status: "active",
        dateSigned: "2027-05-20T02:00:00.000Z",
        value: { amount: 11_800_000.05, currency: "CNY" },
      },
    ]);

    const declined = validates({
      ...base,
      award: { ...award, contractSignedAt: null, contractRecordedAt: null },
      declines: [
        { bidderOrgId: a, rank: 1, cause: "no-contract", reason: "逾期未签订合同", recordedAt: new Date("2027-06-13T02:00:00Z") },
      ],
    });
    expect(declined.map((r) => r.tag[0])).toEqual(["award", "award", "awardUpdate"]);
    expect(declined[1]!.awards![0]!.status).toBe("active");
    expect(declined[2]!.awards![0]).toMatchObject({ id: "award-1", status: "cancelled" });
    expect(declined[2]!.id).toBe(`ocds-mingbiao-${base.tenderId}-award-update-1`);
  });

  it("the feed's release numbers map back to the release ids", () => {
    expect(resultReleaseSuffix(RESULT_RELEASE.publicity)).toBe("candidates");
    expect(resultReleaseSuffix(RESULT_RELEASE.award)).toBe("award");
    expect(resultReleaseSuffix(RESULT_RELEASE.awardUpdate + 2)).toBe("award-update-2");
    expect(resultReleaseSuffix(RESULT_RELEASE.contract)).toBe("contract");
    expect(resultReleaseSuffix(3)).toBeNull();
  });
});
