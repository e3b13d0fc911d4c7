import { err, ok, type Result } from "./errors";

/**
 * The platform's own outages (E-Measures Art 31): a bid that could not be decrypted because the
 * platform was unavailable during the decryption window is not the bidder's fault, so it is
 * treated as withdrawn (撤回), and the bidder may claim its direct losses. The platform records
 * its unavailability itself (a heartbeat every HEARTBEAT_INTERVAL_MS; a gap longer than
 * OUTAGE_GAP_MS is an outage) and the trading centre records the incidents it knows of.
 */

/** How often a running app process writes its heartbeat. */
export const HEARTBEAT_INTERVAL_MS = 5_000;
/**
 * A gap between two heartbeats longer than this is an outage: six missed beats, well above a
 * long garbage collection or a slow database commit, well below anything a bidder would notice.
 */
export const OUTAGE_GAP_MS = 30_000;
/** The longest description of an incident the centre records. */
export const INCIDENT_DESCRIPTION_MAX = 2000;

export interface TimeSpan {
  readonly from: Date;
  readonly to: Date;
}

/** E-Measures Art 31: the gap between the last heartbeat and this one, if it is an outage. */
export function outageFromHeartbeatGap(lastBeat: Date | null, thisBeat: Date, gapMs = OUTAGE_GAP_MS): TimeSpan | null {
  if (!lastBeat) return null;
  return thisBeat.getTime() - lastBeat.getTime() > gapMs ? { from: lastBeat, to: thisBeat } : null;
}

/**
 * How far a beat's clock reading may be from the database's clock (the one clock every app
 * process shares) before it is a clock error, not a beat: twice the outage threshold, far above
 * NTP-kept skew or a slow commit, far below a clock set to another day (a clock moved by hand, a
 * test server under libfaketime).
 */
export const HEARTBEAT_CLOCK_TOLERANCE_MS = 2 * OUTAGE_GAP_MS;

/** What one heartbeat does with the stored row (decision 091). */
export type HeartbeatStep =
  /** This process's clock disagrees with the database's: nothing is recorded, the error is audited. */
  | { readonly kind: "clock-error"; readonly skewMs: number }
  /** No row yet: this beat is the first on record. */
  | { readonly kind: "first" }
  /**
   * The row is ahead of the database's clock (written by a wrong clock): not trusted. The row
   * takes this beat and the error is audited; no outage, since when the platform last beat is unknown.
   */
  | { readonly kind: "row-untrusted"; readonly aheadMs: number }
  /** Another process beat later (within the tolerance): the row keeps the later one. */
  | { readonly kind: "behind" }
  /** The row moves forward to this beat; a gap longer than the threshold is an outage. */
  | { readonly kind: "forward"; readonly outage: TimeSpan | null };

/**
 * E-Measures Art 31: one heartbeat at `beatAt` (this process's clock) against the stored row
 * `lastBeat` and the database's clock `reference`. The row only moves forward, an outage always
 * ends after it starts, and neither a beat nor a row more than `toleranceMs` from the database's
 * clock is trusted: a clock moved back or forward, or a faked one, can neither record an outage
 * that did not happen nor leave the real processes' beats ignored.
 */
export function heartbeatStep(
  lastBeat: Date | null,
  beatAt: Date,
  reference: Date,
  toleranceMs = HEARTBEAT_CLOCK_TOLERANCE_MS,
  gapMs = OUTAGE_GAP_MS,
): HeartbeatStep {
  const skewMs = beatAt.getTime() - reference.getTime();
  if (Math.abs(skewMs) > toleranceMs) return { kind: "clock-error", skewMs };
  if (!lastBeat) return { kind: "first" };
  const aheadMs = lastBeat.getTime() - reference.getTime();
  if (aheadMs > toleranceMs) return { kind: "row-untrusted", aheadMs };
  if (lastBeat.getTime() >= beatAt.getTime()) return { kind: "behind" };
  return { kind: "forward", outage: outageFromHeartbeatGap(lastBeat, beatAt, gapMs) };
}

/** Whether an outage and a decryption window share any instant (touching ends do not count). */
export function overlapsWindow(outage: TimeSpan, window: TimeSpan): boolean {
  return outage.from.getTime() < window.to.getTime() && outage.to.getTime() > window.from.getTime();
}

/** E-Measures Art 31: an incident the centre records must have happened, and last a while. */
export function checkIncident(span: TimeSpan, now: Date): Result<TimeSpan> {
  if (Number.isNaN(span.from.getTime()) || Number.isNaN(span.to.getTime())) return err("OUTAGE.INVALID_TIME");
  if (span.to.getTime() <= span.from.getTime()) return err("OUTAGE.END_BEFORE_START");
  if (span.to.getTime() > now.getTime()) return err("OUTAGE.IN_FUTURE");
  return ok(span);
}

/** What is known of a bid still sealed when its decryption window ends. */
export interface SealedBidFacts {
  readonly signedIn: boolean;
  /** Content keys submitted that failed the chunk tags. */
  readonly attempts: number;
  /** "platform" when the server failed to use a correct key. */
  readonly lastFailure: string | null;
  /** Whether a recorded outage overlapped the decryption window. */
  readonly outageDuringWindow: boolean;
}

export type SealedBidCause = { readonly by: "bidder" | "other"; readonly detail: string };

/**
 * E-Measures Art 31: why a bid is still sealed at the window's end. The platform's cause (a
 * correct key it failed to use, or an outage during the window, when the bidder may have been
 * unable to sign in or decrypt at all) → "other" (撤回); otherwise the bidder's (absent, wrong
 * key, did not decrypt) → 撤销.
 */
export function sealedBidCause(bid: SealedBidFacts): SealedBidCause {
  if (bid.lastFailure === "platform") return { by: "other", detail: "platform-failure" };
  if (bid.outageDuringWindow) return { by: "other", detail: "platform-outage" };
  if (!bid.signedIn) return { by: "bidder", detail: "absent" };
  if (bid.attempts > 0) return { by: "bidder", detail: "wrong-key" };
  return { by: "bidder", detail: "not-decrypted" };
}
