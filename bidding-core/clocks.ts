import { addDays, endOfShanghaiDay, shanghaiDate, SHIPPED_CALENDAR, type CalendarResult, type WorkingCalendar } from "./calendar";
import { limitWithinDays, limitWithinWorkingDays } from "./deadlines";

/**
 * Node control (节点控制预警): every statutory clock of a tender as data. A clock is a row — kind,
 * start, and how its end is counted — so a new clock (publish candidates, contract, report,
 * refunds) is a new kind here and new rows, nothing else (docs/decisions/111).
 */

export type ClockKind =
  | "clarification-notice"
  | "bid-opening"
  | "objection-answer"
  | "complaint-acceptance"
  | "complaint-decision"
  // Results (issue 17 items 1 and 3; docs/decisions/113).
  | "publish-candidates"
  | "sign-contract"
  | "award-report"
  | "security-refund";

/** Who must act before the clock runs out. Supervisors assigned to the tender hear every alarm. */
export type ClockParty = "agent" | "supervisor";

/** How a clock's end is counted from its start (docs/decisions/020 methods). */
export type ClockBasis =
  /** The end is given (the bid deadline). */
  | { readonly kind: "fixed"; readonly due: Date }
  /** "within N days" (Civil Code Arts 201, 203). */
  | { readonly kind: "within-days"; readonly days: number }
  /** "within N working days", plus the working days the clock was stopped. */
  | { readonly kind: "working-days"; readonly days: number; readonly pausedWorkingDays: number };

export interface ClockRule {
  readonly article: string;
  readonly party: ClockParty;
  /** How long before the end the responsible party is warned. */
  readonly warnBeforeMs: number;
}

const HOUR = 3_600_000;

export const CLOCK_RULES: Readonly<Record<ClockKind, ClockRule>> = {
  // The last instant a clarification that affects bid preparation leaves 15 full days.
  "clarification-notice": { article: "Regs Art 21", party: "agent", warnBeforeMs: 48 * HOUR },
  "bid-opening": { article: "TBL Art 34", party: "agent", warnBeforeMs: 24 * HOUR },
  "objection-answer": { article: "Regs Art 22 / Regs Art 54", party: "agent", warnBeforeMs: 24 * HOUR },
  "complaint-acceptance": { article: "Regs Art 61", party: "supervisor", warnBeforeMs: 24 * HOUR },
  "complaint-decision": { article: "Regs Art 61", party: "supervisor", warnBeforeMs: 72 * HOUR },
  // 3 days from receiving the signed evaluation report to publishing the candidates.
  "publish-candidates": { article: "Regs Art 54", party: "agent", warnBeforeMs: 24 * HOUR },
  // 30 days from the notice of award to the written contract.
  "sign-contract": { article: "TBL Art 46", party: "agent", warnBeforeMs: 72 * HOUR },
  // 15 days from the award to the written report to the supervising department.
  "award-report": { article: "TBL Art 47", party: "agent", warnBeforeMs: 48 * HOUR },
  // 5 days from the contract to refunding every bid security with interest.
  "security-refund": { article: "Regs Art 57", party: "agent", warnBeforeMs: 24 * HOUR },
};

export const CLOCK_KINDS = Object.keys(CLOCK_RULES) as readonly ClockKind[];

export function isClockKind(value: string): value is ClockKind {
  return (CLOCK_KINDS as readonly string[]).includes(value);
}

/** The end of a clock on a calendar. Fixed ends do not depend on the calendar. */
export function clockDue(
  kind: ClockKind,
  startedAt: Date,
  basis: ClockBasis,
  calendar: WorkingCalendar = SHIPPED_CALENDAR,
): CalendarResult<Date> {
  switch (basis.kind) {
    case "fixed":
      return { value: basis.due, provisional: false, provisionalYears: [] };
    case "within-days":
      return limitWithinDays(startedAt, basis.days, calendar);
    case "working-days":
      return limitWithinWorkingDays(startedAt, basis.days + basis.pausedWorkingDays, calendar);
  }
}

/**
 * Regs Art 21: the last moment a preparation-affecting clarification keeps the deadline: it
 * must leave `noticeDays` full days (fullDaysWithin), so it is the end of the date
 * `noticeDays + 1` days before the deadline's date.
 */
export function clarificationCutoff(bidDeadline: Date, noticeDays: number): Date {
  return endOfShanghaiDay(addDays(shanghaiDate(bidDeadline), -(noticeDays + 1)));
}

export type ClockState = "running" | "warning" | "overdue" | "met";

/** Where a clock stands at `now`. */
export function clockState(input: {
  readonly dueAt: Date;
  readonly warnBeforeMs: number;
  readonly stoppedAt: Date | null;
  readonly now: Date;
}): ClockState {
  if (input.stoppedAt) return "met";
  const t = input.now.getTime();
  if (t > input.dueAt.getTime()) return "overdue";
  if (t >= input.dueAt.getTime() - input.warnBeforeMs) return "warning";
  return "running";
}
