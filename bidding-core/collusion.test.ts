import { findCollusionIndicators, type SubmissionMetadata } from "./collusion";

function bid(bidderId: string, price: bigint, extra: Partial<SubmissionMetadata> = {}): SubmissionMetadata {
  return {
    bidderId,
    deviceFingerprints: [`dev-${bidderId}`],
    uploaderIps: [`10.0.0.${bidderId.charCodeAt(0)}`],
    documentAuthorIds: [`author-${bidderId}`],
    pricingSoftwareLicences: [`lic-${bidderId}`],
    securityAccounts: [`acct-${bidderId}`],
    price,
    itemPrices: {},
    ...extra,
  };
}
const kinds = (list: { kind: string }[]) => list.map((i) => i.kind);

describe("collusion indicators (evidence for the committee, not a verdict)", () => {
  it("Regs Art 40: independent bids raise no indicator", () => {
    expect(findCollusionIndicators([bid("A", 1_000_000n), bid("B", 1_070_000n), bid("C", 1_210_000n)])).toEqual([]);
  });

  it("Regs Art 40(1): flags bids sharing a device fingerprint, author id or pricing-software licence", () => {
    const found = findCollusionIndicators([
      bid("A", 1_000_000n, { deviceFingerprints: ["MAC-1 "], documentAuthorIds: ["zhang"] }),
      bid("B", 1_100_000n, { deviceFingerprints: ["mac-1"], pricingSoftwareLicences: ["L9"] }),
      bid("C", 1_300_000n, { documentAuthorIds: ["zhang"], pricingSoftwareLicences: ["L9", ""] }),
    ]);
    expect(found).toEqual([
      {
        kind: "shared-attribute",
        attribute: "device-fingerprint",
        value: "mac-1",
        bidderIds: ["A", "B"],
        article: "Regs Art 40(1)",
      },
      {
        kind: "shared-attribute",
        attribute: "document-author",
        value: "zhang",
        bidderIds: ["A", "C"],
        article: "Regs Art 40(1)",
      },
      {
        kind: "shared-attribute",
        attribute: "pricing-software-licence",
        value: "l9",
        bidderIds: ["B", "C"],
        article: "Regs Art 40(1)",
      },
    ]);
  });

  it("Regs Art 40(2), 40(6): flags a shared uploader IP and securities paid from one account", () => {
    const found = findCollusionIndicators([
      bid("A", 1_000_000n, { uploaderIps: ["1.2.3.4"], securityAccounts: ["6222 01"] }),
      bid("B", 1_100_000n, { uploaderIps: ["1.2.3.4"], securityAccounts: ["6222 01"] }),
      bid("C", 1_300_000n),
    ]);
    expect(found.map((i) => i.kind === "shared-attribute" && [i.attribute, i.article])).toEqual([
      ["uploader-ip", "Regs Art 40(2)"],
      ["security-account", "Regs Art 40(6)"],
    ]);
  });

  it("Regs Art 40(4): flags prices in equal steps (规律性差异)", () => {
    const found = findCollusionIndicators([
      bid("A", 1_030_000n),
      bid("B", 1_000_000n),
      bid("C", 1_060_000n),
      bid("D", 1_500_000n),
    ]);
    expect(found).toEqual([{ kind: "equal-price-steps", bidderIds: ["B", "A", "C"], step: "30000", article: "Regs Art 40(4)" }]);
  });

  it("Regs Art 40(4): flags prices closer than the tiny-spread threshold, including identical prices", () => {
    const found = findCollusionIndicators([bid("A", 1_000_000n), bid("B", 1_000_500n), bid("C", 1_400_000n)]);
    expect(found).toEqual([
      { kind: "tiny-price-spread", bidderIds: ["A", "B"], spreadBasisPoints: 5, article: "Regs Art 40(4)" },
    ]);
    const same = findCollusionIndicators([bid("A", 5_000n), bid("B", 5_000n)]);
    expect(kinds(same)).toEqual(["tiny-price-spread"]);
  });

  it("Regs Art 40(4): flags bids sharing identical item prices (异常一致)", () => {
    const items = { "1.1": 100n, "1.2": 250n, "1.3": 75n, "1.4": 10n };
    const found = findCollusionIndicators([
      bid("A", 1_000_000n, { itemPrices: items }),
      bid("B", 1_200_000n, { itemPrices: { ...items, "1.4": 11n } }),
      bid("C", 1_500_000n, { itemPrices: { "1.1": 100n } }),
    ]);
    expect(found).toEqual([
      { kind: "identical-item-prices", bidderIds: ["A", "B"], itemKeys: ["1.1", "1.2", "1.3"], article: "Regs Art 40(4)" },
    ]);
  });

  it("Regs Art 40(4): thresholds are configurable", () => {
    const bids = [bid("A", 1_000_000n), bid("B", 1_015_000n), bid("C", 1_400_000n)];
    const loose = { tinySpreadBasisPoints: 200, minIdenticalItems: 3, minEqualSteps: 3 };
    expect(kinds(findCollusionIndicators(bids, loose))).toEqual(["tiny-price-spread"]);
  });
});
