import { err, ok, type Result } from "./errors";
import { formatYuan, type Fen } from "./money";
import type { ProcedureRules } from "./procedure-rules";

/**
 * Bid opening (开标): whether the bids may be opened at all (Regs Art 44), how each decryption
 * ends (E-Measures Art 31) and the content of the opening record (E-Measures Arts 30, 32). The
 * record is plain data plus a canonical serialisation; the app signs it with crypto/.
 */

export type OpeningDecision =
  | { readonly kind: "open"; readonly bidCount: number }
  /** 流标: the bids are not opened and the tender is re-run. */
  | { readonly kind: "failed"; readonly bidCount: number; readonly required: number };

/** Regs Art 44: fewer than 3 bids → 流标, the bids stay sealed. */
export function decideOpening(bidCount: number, rules: ProcedureRules): OpeningDecision {
  if (bidCount < rules.minBidsToOpen) {
    return { kind: "failed", bidCount, required: rules.minBidsToOpen };
  }
  return { kind: "open", bidCount };
}

/** What happened when the bid was to be decrypted. */
export type DecryptionAttempt =
  | { readonly kind: "decrypted" }
  /** The tender documents' remedy (e.g. a sealed backup copy) produced the bid. */
  | { readonly kind: "recovered-by-remedy"; readonly remedy: string }
  | { readonly kind: "failed"; readonly causedBy: "bidder" | "other"; readonly detail: string };

export type DecryptionOutcome =
  | { readonly status: "opened"; readonly via: "decryption" | "remedy" }
  /** 撤销: failure caused by the bidder; the bid is treated as revoked. */
  | { readonly status: "revoked"; readonly detail: string }
  /** 撤回: failure caused by anyone else; the bidder may claim its direct losses. */
  | { readonly status: "withdrawn"; readonly mayClaimDirectLosses: true; readonly detail: string };

/** E-Measures Art 31: classify a decryption; opening continues for the other bids either way. */
export function decryptionOutcome(attempt: DecryptionAttempt): DecryptionOutcome {
  switch (attempt.kind) {
    case "decrypted":
      return { status: "opened", via: "decryption" };
    case "recovered-by-remedy":
      return { status: "opened", via: "remedy" };
    case "failed":
      return attempt.causedBy === "bidder"
        ? { status: "revoked", detail: attempt.detail }
        : { status: "withdrawn", mayClaimDirectLosses: true, detail: attempt.detail };
  }
}

/** An item the tender documents list for reading out (唱标), besides name and price. */
export interface ReadOutItem {
  readonly key: string;
  readonly label: string;
}

export interface OpenedBid {
  readonly bidderId: string;
  readonly bidderName: string;
  readonly receivedAt: Date;
  readonly attempt: DecryptionAttempt;
  /** Present once decrypted. */
  readonly price?: Fen;
  readonly items?: Readonly<Record<string, string>>;
}

export interface OpeningObjection {
  readonly raisedBy: string;
  readonly raisedAt: Date;
  readonly content: string;
  /** Regs Art 44: answered on the spot. */
  readonly answer: string;
  readonly answeredAt: Date;
}

export interface OpeningRecordEntry {
  readonly bidderName: string;
  readonly receivedAt: string;
  readonly outcome: DecryptionOutcome;
  /** Decimal yuan, two decimals; absent when the bid was not opened. */
  readonly price?: string;
  readonly items: readonly { readonly label: string; readonly value: string }[];
}

export interface OpeningRecord {
  readonly tenderId: string;
  readonly tenderName: string;
  readonly openedAt: string;
  readonly entries: readonly OpeningRecordEntry[];
  readonly objections: readonly {
    readonly raisedBy: string;
    readonly raisedAt: string;
    readonly content: string;
    readonly answer: string;
    readonly answeredAt: string;
  }[];
}

/**
 * E-Measures Arts 30, 32 and Regs Art 44: the record names each bidder, its price and the other
 * 唱标 items, the decryption outcome, and every objection with its answer. Bids are listed in
 * arrival order (ties by bidder id) so the record does not depend on query order.
 */
export function buildOpeningRecord(input: {
  readonly tenderId: string;
  readonly tenderName: string;
  readonly openedAt: Date;
  readonly readOutItems: readonly ReadOutItem[];
  readonly bids: readonly OpenedBid[];
  readonly objections: readonly OpeningObjection[];
}): Result<OpeningRecord> {
  const entries: OpeningRecordEntry[] = [];
  for (const bid of [...input.bids].sort(byArrival)) {
    const entry = recordEntry(bid, input.readOutItems);
    if (!entry.ok) return entry;
    entries.push(entry.value);
  }
  const objections = [...input.objections]
    .sort((a, b) => a.raisedAt.getTime() - b.raisedAt.getTime())
    .map((o) => ({
      raisedBy: o.raisedBy,
      raisedAt: o.raisedAt.toISOString(),
      content: o.content,
      answer: o.answer,
      answeredAt: o.answeredAt.toISOString(),
    }));
  return ok({
    tenderId: input.tenderId,
    tenderName: input.tenderName,
    openedAt: input.openedAt.toISOString(),
    entries,
    objections,
  });
}

function byArrival(a: OpenedBid, b: OpenedBid): number {
  const diff = a.receivedAt.getTime() - b.receivedAt.getTime();
  if (diff !== 0) return diff;
  return a.bidderId < b.bidderId ? -1 : a.bidderId > b.bidderId ? 1 : 0;
}

function recordEntry(bid: OpenedBid, readOutItems: readonly ReadOutItem[]): Result<OpeningRecordEntry> {
  const outcome = decryptionOutcome(bid.attempt);
  const base = { bidderName: bid.bidderName, receivedAt: bid.receivedAt.toISOString(), outcome };
  if (outcome.status !== "opened") return ok({ ...base, items: [] });
  if (bid.price === undefined) {
    return err("OPENING.MISSING_READ_OUT_ITEM", { bidderId: bid.bidderId, item: "price" });
  }
  const items: { label: string; value: string }[] = [];
  for (const item of readOutItems) {
    const value = bid.items?.[item.key];
    if (value === undefined) {
      return err("OPENING.MISSING_READ_OUT_ITEM", { bidderId: bid.bidderId, item: item.key });
    }
    items.push({ label: item.label, value });
  }
  return ok({ ...base, price: formatYuan(bid.price), items });
}

// The opening record is signed over canonical JSON (E-Measures Art 32): the one of decision 061.
export { canonicalJson } from "./canonical-json";
