// Alerts for the supervisors watching an evaluation (issue 15, item 9): patterns a person would
// want to look at, computed from the room's events as plain values. Evidence for a person to
// judge, never a verdict and never an action: nothing is blocked or changed by an alert.
// No I/O, no clock: the caller passes the events and the session's span.

export type RoomEvent =
  /** A member opened one of a bidder's files. */
  | { readonly kind: "file.opened"; readonly memberId: string; readonly bidderId: string; readonly at: number }
  /** A member started scoring a bid (first view of its sheet) and submitted it. */
  | { readonly kind: "sheet.started"; readonly memberId: string; readonly bidderId: string; readonly at: number }
  | {
      readonly kind: "sheet.submitted";
      readonly memberId: string;
      readonly bidderId: string;
      readonly at: number;
      readonly points: Readonly<Record<string, number>>;
      /**
       * A lowest-evaluated-price adjustment sheet (decision 105): quantified by the documents'
       * rules, so members agreeing is expected and never an identical-sheets alert; it still counts
       * for fast scoring.
       */
      readonly quantified?: boolean;
    }
  /** Anything else a member did in the room. */
  | { readonly kind: "action"; readonly memberId: string; readonly at: number; readonly action: string };

export type SupervisorAlert =
  | { readonly kind: "fast-scoring"; readonly memberId: string; readonly bids: number; readonly seconds: number }
  | { readonly kind: "identical-sheets"; readonly bidderId: string; readonly memberIds: readonly string[] }
  | {
      readonly kind: "repeated-opening";
      readonly memberId: string;
      readonly bidderId: string;
      readonly times: number;
      readonly othersMax: number;
    }
  | { readonly kind: "outside-session"; readonly memberId: string; readonly at: number; readonly what: string };

export interface AlertThresholds {
  /** Scoring every bid within this many seconds in all is too fast to have read them. */
  readonly fastScoringSeconds: number;
  /** A member opening one bidder's files at least this many times… */
  readonly repeatedOpenings: number;
  /** …and at least this many times as often as any other bidder's. */
  readonly repeatedFactor: number;
}

export const DEFAULT_ALERT_THRESHOLDS: AlertThresholds = { fastScoringSeconds: 60, repeatedOpenings: 10, repeatedFactor: 3 };

function fastScoring(events: readonly RoomEvent[], bidderIds: readonly string[], t: AlertThresholds): SupervisorAlert[] {
  const alerts: SupervisorAlert[] = [];
  const members = new Set(events.filter((e) => e.kind === "sheet.submitted").map((e) => e.memberId));
  for (const memberId of members) {
    const mine = events.filter((e) => e.memberId === memberId);
    const submitted = new Set(
      mine.filter((e) => e.kind === "sheet.submitted").map((e) => (e.kind === "sheet.submitted" ? e.bidderId : "")),
    );
    if (bidderIds.length === 0 || !bidderIds.every((b) => submitted.has(b))) continue;
    const starts = mine.filter((e) => e.kind === "sheet.started" || e.kind === "sheet.submitted").map((e) => e.at);
    const ends = mine.filter((e) => e.kind === "sheet.submitted").map((e) => e.at);
    const seconds = (Math.max(...ends) - Math.min(...starts)) / 1000;
    if (seconds < t.fastScoringSeconds) alerts.push({ kind: "fast-scoring", memberId, bids: bidderIds.length, seconds });
  }
  return alerts;
}

function identicalSheets(events: readonly RoomEvent[]): SupervisorAlert[] {
  // The last submission of each member for each bid counts (a withdrawal and resubmission replaces it).
  const last = new Map<string, Extract<RoomEvent, { kind: "sheet.submitted" }>>();
  for (const e of [...events].sort((a, b) => a.at - b.at))
    if (e.kind === "sheet.submitted" && !e.quantified) last.set(`${e.memberId}\0${e.bidderId}`, e);
  const byBid = new Map<string, Map<string, string[]>>();
  for (const e of last.values()) {
    const key = JSON.stringify(Object.entries(e.points).sort(([a], [b]) => (a < b ? -1 : 1)));
    const groups = byBid.get(e.bidderId) ?? new Map<string, string[]>();
    groups.set(key, [...(groups.get(key) ?? []), e.memberId]);
    byBid.set(e.bidderId, groups);
  }
  const alerts: SupervisorAlert[] = [];
  for (const [bidderId, groups] of byBid) {
    for (const memberIds of groups.values())
      if (memberIds.length > 1) alerts.push({ kind: "identical-sheets", bidderId, memberIds: [...memberIds].sort() });
  }
  return alerts;
}

function repeatedOpening(events: readonly RoomEvent[], t: AlertThresholds): SupervisorAlert[] {
  const counts = new Map<string, Map<string, number>>();
  for (const e of events) {
    if (e.kind !== "file.opened") continue;
    const mine = counts.get(e.memberId) ?? new Map<string, number>();
    mine.set(e.bidderId, (mine.get(e.bidderId) ?? 0) + 1);
    counts.set(e.memberId, mine);
  }
  const alerts: SupervisorAlert[] = [];
  for (const [memberId, perBidder] of counts) {
    for (const [bidderId, times] of perBidder) {
      const othersMax = Math.max(0, ...[...perBidder].filter(([b]) => b !== bidderId).map(([, n]) => n));
      if (times >= t.repeatedOpenings && times >= t.repeatedFactor * Math.max(1, othersMax)) {
        alerts.push({ kind: "repeated-opening", memberId, bidderId, times, othersMax });
      }
    }
  }
  return alerts;
}

/**
 * Every alert for the events of one evaluation: a member who scored all bids in less than
 * `fastScoringSeconds`; members whose final sheets for a bid are identical; a member who opened
 * one bidder's files far more often than the others'; anything a member did outside the session
 * (`session`, ms since the epoch; `to` null while it runs).
 */
export function supervisorAlerts(input: {
  readonly events: readonly RoomEvent[];
  readonly bidderIds: readonly string[];
  readonly session: { readonly from: number; readonly to: number | null };
  readonly thresholds?: AlertThresholds;
}): SupervisorAlert[] {
  const t = input.thresholds ?? DEFAULT_ALERT_THRESHOLDS;
  const inside = (at: number) => at >= input.session.from && (input.session.to === null || at <= input.session.to);
  const outside: SupervisorAlert[] = input.events
    .filter((e) => !inside(e.at))
    .map((e) => ({ kind: "outside-session", memberId: e.memberId, at: e.at, what: e.kind === "action" ? e.action : e.kind }));
  const within = input.events.filter((e) => inside(e.at));
  return [...outside, ...fastScoring(within, input.bidderIds, t), ...identicalSheets(within), ...repeatedOpening(within, t)];
}
