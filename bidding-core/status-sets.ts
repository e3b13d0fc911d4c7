import type { TenderStatus } from "./lifecycle";

/**
 * Which tender statuses a rule admits, one list each (issue 12: they were restated in the app).
 * The app stores the same names in upper snake case (`bidding-closed` ↔ `BIDDING_CLOSED`) and
 * asks these lists through its status edge.
 */

/**
 * Bids are received, changed and withdrawn while bidding is open, up to the deadline (TBL Art 29;
 * Regs Art 36: a bid arriving after it is refused). A clarification keeps bidding open (Regs
 * Art 21).
 */
export const BIDDING_OPEN_STATUSES = ["published", "clarification"] as const satisfies readonly TenderStatus[];

/**
 * The public sees a tender from its notice on, whatever became of it later (platform rule: the
 * notice, its clarifications and outcome stay public); a draft never leaves the agent's workspace.
 */
export const PUBLIC_STATUSES = [
  "published",
  "clarification",
  "bidding-closed",
  "opening",
  "opened",
  "failed",
  "evaluating",
  "publicity",
  "awarded",
  "suspended",
  "cancelled",
  "retendered",
] as const satisfies readonly TenderStatus[];

/**
 * Tenders the trading centre assigns supervisors to (decision 037): public ones, but not a
 * cancelled one, which has no procedure left to supervise.
 */
export const SUPERVISED_STATUSES = PUBLIC_STATUSES.filter((s) => s !== "cancelled") as readonly TenderStatus[];

/**
 * The evaluation room can be witnessed (数字见证; every session recorded in full) from
 * publication until the result is decided (decision 037): not for a failed, awarded, suspended,
 * cancelled or re-tendered tender.
 */
export const WITNESS_ROOM_STATUSES = [
  "published",
  "clarification",
  "bidding-closed",
  "opening",
  "opened",
  "evaluating",
  "publicity",
] as const satisfies readonly TenderStatus[];

/**
 * The agent may ask for the evaluation committee (抽取申请) from publication until the bids are
 * opened: the draw itself waits for the deadline (Eval-Rules Art 12, `drawTime`), and evaluation
 * follows the opening (TBL Art 37).
 */
export const COMMITTEE_REQUEST_STATUSES = [
  "published",
  "clarification",
  "bidding-closed",
  "opening",
  "opened",
] as const satisfies readonly TenderStatus[];

/**
 * From the bid deadline on (TBL Art 34) the notice leads to the opening hall: the opening itself,
 * then its published record (E-Measures Art 32 (recalled)), including after a 流标.
 */
export const OPENING_HALL_STATUSES = [
  "bidding-closed",
  "opening",
  "opened",
  "failed",
  "evaluating",
  "publicity",
  "awarded",
] as const satisfies readonly TenderStatus[];

export function statusIn(status: TenderStatus, list: readonly TenderStatus[]): boolean {
  return list.includes(status);
}

/** One calendar day in milliseconds, for periods counted in whole days from an instant. */
export const DAY_MS = 86_400_000;

/**
 * The end of the bid validity period: it runs from the bid deadline (Regs Art 25), for the
 * number of days the tender documents state. The bid security's validity must match it (Regs
 * Art 26; `checkBidSecurity`).
 */
export function bidValidUntil(bidDeadline: Date, validityDays: number): Date {
  return new Date(bidDeadline.getTime() + validityDays * DAY_MS);
}
