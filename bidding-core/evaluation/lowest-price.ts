import { err, ok, type Result } from "../errors";
import type { Fen } from "../money";

/**
 * 经评审的最低投标价法 (Eval-Rules Arts 30-33): among bids that meet the substantive requirements,
 * the committee converts each price into an evaluated price by the adjustments the tender
 * documents define (quantified deviations, in fen, positive or negative); the lowest evaluated
 * price ranks first. The bid price itself is not changed.
 */

export interface PriceAdjustment {
  readonly reason: string;
  readonly amount: Fen;
}

export interface LowestPriceBid {
  readonly bidderId: string;
  readonly price: Fen;
  readonly adjustments: readonly PriceAdjustment[];
}

export interface LowestPriceResult {
  readonly bidderId: string;
  readonly price: Fen;
  readonly evaluatedPrice: Fen;
  readonly adjustments: readonly PriceAdjustment[];
}

export function evaluateLowestPrice(bids: readonly LowestPriceBid[]): Result<LowestPriceResult[]> {
  if (bids.length === 0) return err("EVALUATION.NO_VALID_BIDS", {});
  const results: LowestPriceResult[] = [];
  for (const bid of bids) {
    const evaluatedPrice = bid.adjustments.reduce((sum, a) => sum + a.amount, bid.price);
    if (bid.price <= 0n || evaluatedPrice <= 0n) {
      return err("MONEY.INVALID_AMOUNT", { bidderId: bid.bidderId, evaluatedPrice: evaluatedPrice.toString() });
    }
    results.push({ ...bid, evaluatedPrice });
  }
  return ok(results);
}
