import type { TenderStatus } from "./lifecycle";

/**
 * What may not be shown yet. The app's loaders ask these before returning the data, so a
 * leaked list is a failed check, not a forgotten filter.
 */

/** TBL Art 22: who obtained the documents (the potential bidders) stays secret until opening. */
export function potentialBiddersDisclosable(now: Date, bidDeadline: Date): boolean {
  return now.getTime() >= bidDeadline.getTime();
}

/**
 * TBL Art 37: the committee list stays secret until the result is fixed. The result is fixed
 * when the candidates are published (Regs Art 54: the candidate notice names the committee), so
 * the list is public from the publicity on, through the award. A tender suspended by an objection
 * to the result keeps it public: pass the status it was suspended from (`suspendedFrom`).
 */
export function committeeListDisclosable(status: TenderStatus, suspendedFrom?: TenderStatus): boolean {
  const stage = status === "suspended" ? suspendedFrom : status;
  return stage === "publicity" || stage === "awarded";
}
