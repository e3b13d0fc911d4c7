import type { TenderStatus } from "./lifecycle";

/**
 * What may not be shown yet. The app's loaders ask these before returning the data, so a
 * leaked list is a failed check, not a forgotten filter.
 */

/** TBL Art 22: who obtained the documents (the potential bidders) stays secret until opening. */
export function potentialBiddersDisclosable(now: Date, bidDeadline: Date): boolean {
  return now.getTime() >= bidDeadline.getTime();
}

/** TBL Art 37: the committee list stays secret until the result is fixed (the award). */
export function committeeListDisclosable(status: TenderStatus): boolean {
  return status === "awarded";
}
