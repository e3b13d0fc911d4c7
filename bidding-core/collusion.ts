import type { Fen } from "./money";

/**
 * Collusion indicators (串通投标迹象, Regs Art 40) from submission metadata. The output is
 * evidence for the evaluation committee, which makes the finding; nothing here rejects a bid.
 * Signals follow platform practice: the same device fingerprint / machine code, uploader IP,
 * document author or creator id, pricing-software licence, or security account; and price
 * patterns (Regs Art 40(4) 规律性差异): equal steps, tiny spreads, identical item prices.
 */

export interface SubmissionMetadata {
  readonly bidderId: string;
  readonly deviceFingerprints: readonly string[];
  readonly uploaderIps: readonly string[];
  readonly documentAuthorIds: readonly string[];
  readonly pricingSoftwareLicences: readonly string[];
  readonly securityAccounts: readonly string[];
  readonly price: Fen;
  /** Priced items (e.g. bill-of-quantities lines) by item key. */
  readonly itemPrices: Readonly<Record<string, Fen>>;
}

export type SharedAttribute =
  "device-fingerprint" | "uploader-ip" | "document-author" | "pricing-software-licence" | "security-account";

export type CollusionIndicator =
  | {
      readonly kind: "shared-attribute";
      readonly attribute: SharedAttribute;
      readonly value: string;
      readonly bidderIds: readonly string[];
      readonly article: string;
    }
  | { readonly kind: "equal-price-steps"; readonly bidderIds: readonly string[]; readonly step: string; readonly article: string }
  | {
      readonly kind: "tiny-price-spread";
      readonly bidderIds: readonly string[];
      readonly spreadBasisPoints: number;
      readonly article: string;
    }
  | {
      readonly kind: "identical-item-prices";
      readonly bidderIds: readonly string[];
      readonly itemKeys: readonly string[];
      readonly article: string;
    };

export interface CollusionThresholds {
  /** Two prices closer than this (basis points of the lower) are flagged. Default 10 = 0.1%. */
  readonly tinySpreadBasisPoints: number;
  /** Two bids sharing at least this many identical item prices are flagged. Default 3. */
  readonly minIdenticalItems: number;
  /** Runs of at least this many prices with equal steps are flagged. Default 3. */
  readonly minEqualSteps: number;
}

export const DEFAULT_COLLUSION_THRESHOLDS: CollusionThresholds = {
  tinySpreadBasisPoints: 10,
  minIdenticalItems: 3,
  minEqualSteps: 3,
};

const ATTRIBUTES: readonly [SharedAttribute, keyof SubmissionMetadata, string][] = [
  ["device-fingerprint", "deviceFingerprints", "Regs Art 40(1)"],
  ["uploader-ip", "uploaderIps", "Regs Art 40(2)"],
  ["document-author", "documentAuthorIds", "Regs Art 40(1)"],
  ["pricing-software-licence", "pricingSoftwareLicences", "Regs Art 40(1)"],
  ["security-account", "securityAccounts", "Regs Art 40(6)"],
];

function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sharedAttributes(bids: readonly SubmissionMetadata[]): CollusionIndicator[] {
  const found: CollusionIndicator[] = [];
  for (const [attribute, field, article] of ATTRIBUTES) {
    const owners = new Map<string, Set<string>>();
    for (const bid of bids) {
      for (const raw of bid[field] as readonly string[]) {
        const value = raw.trim().toLowerCase();
        if (value) owners.set(value, (owners.get(value) ?? new Set()).add(bid.bidderId));
      }
    }
    for (const [value, ids] of [...owners].sort(([a], [b]) => byText(a, b))) {
      if (ids.size > 1) found.push({ kind: "shared-attribute", attribute, value, bidderIds: [...ids].sort(byText), article });
    }
  }
  return found;
}

function sortedByPrice(bids: readonly SubmissionMetadata[]): SubmissionMetadata[] {
  return [...bids].sort((a, b) => (a.price < b.price ? -1 : a.price > b.price ? 1 : byText(a.bidderId, b.bidderId)));
}

/** Maximal runs of consecutive prices (in price order) with the same non-zero step. */
function equalSteps(bids: readonly SubmissionMetadata[], minRun: number): CollusionIndicator[] {
  const prices = sortedByPrice(bids);
  const gap = (i: number) => prices[i + 1]!.price - prices[i]!.price;
  const found: CollusionIndicator[] = [];
  let start = 0;
  while (start < prices.length - 1) {
    const step = gap(start);
    let end = start + 1;
    while (end < prices.length - 1 && gap(end) === step) end += 1;
    if (step > 0n && end - start + 1 >= minRun) {
      const bidderIds = prices.slice(start, end + 1).map((b) => b.bidderId);
      found.push({ kind: "equal-price-steps", bidderIds, step: step.toString(), article: "Regs Art 40(4)" });
    }
    start = end;
  }
  return found;
}

function pairs<T>(items: readonly T[]): [T, T][] {
  return items.flatMap((a, i) => items.slice(i + 1).map((b) => [a, b] as [T, T]));
}

function tinySpreads(bids: readonly SubmissionMetadata[], basisPoints: number): CollusionIndicator[] {
  return pairs(sortedByPrice(bids)).flatMap(([low, high]) => {
    const spread = high.price - low.price;
    if (low.price <= 0n || spread * 10_000n > BigInt(basisPoints) * low.price) return [];
    const spreadBasisPoints = Number((spread * 10_000n) / low.price);
    return [
      {
        kind: "tiny-price-spread" as const,
        bidderIds: [low.bidderId, high.bidderId],
        spreadBasisPoints,
        article: "Regs Art 40(4)",
      },
    ];
  });
}

function identicalItems(bids: readonly SubmissionMetadata[], minItems: number): CollusionIndicator[] {
  const ordered = [...bids].sort((a, b) => byText(a.bidderId, b.bidderId));
  return pairs(ordered).flatMap(([a, b]) => {
    const itemKeys = Object.keys(a.itemPrices)
      .filter((key) => b.itemPrices[key] !== undefined && b.itemPrices[key] === a.itemPrices[key])
      .sort(byText);
    if (itemKeys.length < minItems) return [];
    return [{ kind: "identical-item-prices" as const, bidderIds: [a.bidderId, b.bidderId], itemKeys, article: "Regs Art 40(4)" }];
  });
}

export function findCollusionIndicators(
  bids: readonly SubmissionMetadata[],
  thresholds: CollusionThresholds = DEFAULT_COLLUSION_THRESHOLDS,
): CollusionIndicator[] {
  return [
    ...sharedAttributes(bids),
    ...equalSteps(bids, thresholds.minEqualSteps),
    ...tinySpreads(bids, thresholds.tinySpreadBasisPoints),
    ...identicalItems(bids, thresholds.minIdenticalItems),
  ];
}
