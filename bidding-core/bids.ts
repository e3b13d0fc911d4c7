import { SECURITY_REFUND_DAYS } from "./award";
import { shanghaiDate } from "./calendar";
import { limitWithinDays } from "./deadlines";
import { err, ok, type Result } from "./errors";
import { fractionOf, type Fen } from "./money";
import type { CalendarResult } from "./calendar";
import type { ProcedureRules } from "./procedure-rules";

/**
 * Bid acceptance, change, withdrawal and security. Times are the server's clock as passed in by
 * the caller; a refusal is returned as an error whose params the caller records (Regs Art 36:
 * the refusal itself is recorded).
 */

export interface BidSubmission {
  readonly bidderId: string;
  /** Arrival time by the server clock. */
  readonly receivedAt: Date;
  /** True when the envelope is encrypted to the opening key (the electronic seal, 密封). */
  readonly encrypted: boolean;
  /** True when the bidder obtained the tender documents on the platform. */
  readonly holdsDocuments: boolean;
}

export interface BidReceipt {
  readonly bidderId: string;
  readonly receivedAt: Date;
}

/**
 * Regs Art 36, E-Measures Arts 26-28: a bid arriving at or after the deadline, or not encrypted,
 * is refused; so is a bid from someone who never obtained the tender documents.
 */
export function acceptBid(submission: BidSubmission, bidDeadline: Date): Result<BidReceipt> {
  const { bidderId, receivedAt } = submission;
  if (receivedAt.getTime() >= bidDeadline.getTime()) {
    return err("BID.AFTER_DEADLINE", { bidderId, receivedAt: receivedAt.toISOString() });
  }
  if (!submission.encrypted) return err("BID.NOT_ENCRYPTED", { bidderId });
  if (!submission.holdsDocuments) return err("BID.NO_DOCUMENTS", { bidderId });
  return ok({ bidderId, receivedAt });
}

/** TBL Art 29: a bid may be supplemented or changed only before the deadline. */
export function checkBidChange(at: Date, bidDeadline: Date): Result<Date> {
  if (at.getTime() >= bidDeadline.getTime()) {
    return err("BID.AFTER_DEADLINE", { action: "change", at: at.toISOString() });
  }
  return ok(at);
}

export type WithdrawalOutcome =
  /** 撤回 before the deadline: security refunded within 5 days of the written notice. */
  | { readonly kind: "withdrawn"; readonly securityRefundDue: CalendarResult<Date> }
  /** 撤销 after the deadline: the tenderer may keep the security. */
  | { readonly kind: "revoked"; readonly securityMayBeRetained: true };

/** TBL Art 29, Regs Art 35: withdrawal before the deadline, revocation after it. */
export function withdrawBid(input: {
  readonly at: Date;
  readonly bidDeadline: Date;
  readonly alreadyWithdrawn: boolean;
}): Result<WithdrawalOutcome> {
  if (input.alreadyWithdrawn) return err("BID.ALREADY_WITHDRAWN", {});
  if (input.at.getTime() < input.bidDeadline.getTime()) {
    return ok({ kind: "withdrawn", securityRefundDue: limitWithinDays(input.at, 5) });
  }
  return ok({ kind: "revoked", securityMayBeRetained: true });
}

/** Regs Art 26: the largest lawful bid security, rounded down to the fen. */
export function maxBidSecurity(estimatedPrice: Fen, rules: ProcedureRules): Fen {
  return fractionOf(estimatedPrice, BigInt(rules.maxBidSecurityBasisPoints), 10_000n);
}

/** Regs Art 26: security at most 2% of the estimate, valid exactly as long as the bid. */
export function checkBidSecurity(input: {
  readonly amount: Fen;
  readonly estimatedPrice: Fen;
  readonly securityValidUntil: Date;
  readonly bidValidUntil: Date;
  readonly rules: ProcedureRules;
}): Result<Fen> {
  const cap = maxBidSecurity(input.estimatedPrice, input.rules);
  if (input.amount < 0n || input.amount > cap) {
    return err("BID.SECURITY_TOO_HIGH", { amount: input.amount.toString(), cap: cap.toString() });
  }
  const security = shanghaiDate(input.securityValidUntil);
  const bid = shanghaiDate(input.bidValidUntil);
  if (security !== bid) {
    return err("BID.SECURITY_VALIDITY_MISMATCH", { security, bid });
  }
  return ok(input.amount);
}

/** Regs Art 57: bid security plus interest is refunded within 5 days of signing the contract. */
export function securityRefundDueAfterContract(signedAt: Date): CalendarResult<Date> {
  return limitWithinDays(signedAt, SECURITY_REFUND_DAYS);
}

/** Regs Art 58: performance security at most 10% of the contract price. */
export function checkPerformanceSecurity(amount: Fen, contractPrice: Fen): Result<Fen> {
  const cap = fractionOf(contractPrice, 10n, 100n);
  if (amount < 0n || amount > cap) {
    return err("BID.PERFORMANCE_SECURITY_TOO_HIGH", { amount: amount.toString(), cap: cap.toString() });
  }
  return ok(amount);
}
