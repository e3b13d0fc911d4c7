import {
  addDays,
  addWorkingDays,
  daysBetween,
  endOfShanghaiDay,
  nextWorkingDayOnOrAfter,
  shanghaiDate,
  startOfShanghaiDay,
  workingDaysBetween,
  SHIPPED_CALENDAR,
  type CalendarResult,
  type WorkingCalendar,
} from "./calendar";
import { err, ok, type Result } from "./errors";
import type { ProcedureRules } from "./procedure-rules";

/**
 * Statutory periods. Three ways of counting, chosen per rule (docs/decisions/020):
 *
 * 1. Minimum periods granted to bidders ("at least N days": TBL Art 24, Regs Arts 16, 21, 54)
 *    count FULL Asia/Shanghai calendar days: the day of the triggering event is not counted
 *    (Civil Code Art 201) and a day counts only if the whole day lies inside the period. So a
 *    deadline at 09:30 on D+21 leaves exactly 20 full days after an issue on D. This is a day
 *    stricter than the loosest reading, which is lawful (stricter is always allowed).
 * 2. Windows that close "N days before" an instant (Regs Art 22 objections) close at exactly
 *    that instant minus N × 24 h; China has no daylight saving, so this is N local days earlier
 *    at the same clock time.
 * 3. Time limits to act "within N days" (answers, complaints) end at 24:00 of the N-th day after
 *    the trigger date; if that day is a rest day they run to the end of the next working day
 *    (Civil Code Arts 201, 203). Working-day limits use the holiday calendar. Both may be
 *    provisional when a year's holidays are unpublished.
 */

const DAY_MS = 86_400_000;

/**
 * Whole Shanghai calendar days lying inside [start, end), the start day excluded. `end` is
 * exclusive: a period ending at 00:00 on D contains all of D − 1.
 */
export function fullDaysWithin(start: Date, end: Date): number {
  return Math.max(0, daysBetween(shanghaiDate(start), shanghaiDate(end)) - 1);
}

/** The earliest instant at which a period starting at `start` contains `days` full days. */
export function earliestEndAfterFullDays(start: Date, days: number): Date {
  return startOfShanghaiDay(addDays(shanghaiDate(start), days + 1));
}

/** The end of a "within N days" limit (method 3 above). */
export function limitWithinDays(trigger: Date, days: number, calendar: WorkingCalendar = SHIPPED_CALENDAR): CalendarResult<Date> {
  const lastDay = nextWorkingDayOnOrAfter(addDays(shanghaiDate(trigger), days), calendar);
  return { ...lastDay, value: endOfShanghaiDay(lastDay.value) };
}

/** The end of a "within N working days" limit. */
export function limitWithinWorkingDays(
  trigger: Date,
  days: number,
  calendar: WorkingCalendar = SHIPPED_CALENDAR,
): CalendarResult<Date> {
  const lastDay = addWorkingDays(shanghaiDate(trigger), days, calendar);
  return { ...lastDay, value: endOfShanghaiDay(lastDay.value) };
}

export interface TenderSchedule {
  /** When the tender documents are first issued (招标文件开始发出). */
  readonly documentsFrom: Date;
  /** When document availability ends (exclusive: 00:00 on D means available through D − 1). */
  readonly documentsUntil: Date;
  /** The bid deadline (投标截止时间), which is also the opening time (TBL Art 34). */
  readonly bidDeadline: Date;
}

export interface StatutoryMinimums {
  /** Regs Art 16: earliest end of document availability. */
  readonly documentsUntilEarliest: Date;
  /** TBL Art 24: earliest bid deadline. */
  readonly bidDeadlineEarliest: Date;
}

/** What a tender form needs to show: the earliest lawful dates given the first issue. */
export function statutoryMinimums(documentsFrom: Date, rules: ProcedureRules): StatutoryMinimums {
  return {
    documentsUntilEarliest: earliestEndAfterFullDays(documentsFrom, rules.minDocumentAvailabilityDays),
    bidDeadlineEarliest: earliestEndAfterFullDays(documentsFrom, rules.minDaysIssueToDeadline),
  };
}

/** TBL Art 24 and Regs Art 16 on a proposed schedule. */
export function checkSchedule(schedule: TenderSchedule, rules: ProcedureRules): Result<TenderSchedule> {
  const availability = fullDaysWithin(schedule.documentsFrom, schedule.documentsUntil);
  if (availability < rules.minDocumentAvailabilityDays) {
    return err("TENDER.AVAILABILITY_TOO_SHORT", {
      days: availability,
      required: rules.minDocumentAvailabilityDays,
    });
  }
  const toDeadline = fullDaysWithin(schedule.documentsFrom, schedule.bidDeadline);
  if (toDeadline < rules.minDaysIssueToDeadline) {
    return err("TENDER.DEADLINE_TOO_SOON", { days: toDeadline, required: rules.minDaysIssueToDeadline });
  }
  return ok(schedule);
}

/**
 * Regs Art 16: the tender documents are offered from publication until `documentsUntil`, and
 * only while bids may still be submitted. Within that period anyone may become a holder; after it
 * nobody new may, but existing holders keep access, since every clarification and amendment must
 * reach them (Regs Art 21).
 */
export function checkDocumentAccess(input: {
  now: Date;
  documentsUntil: Date | null;
  biddingOpen: boolean;
  alreadyHolder: boolean;
}): Result<true> {
  if (input.alreadyHolder) return ok(true);
  const { now, documentsUntil } = input;
  if (!input.biddingOpen || documentsUntil === null || now.getTime() >= documentsUntil.getTime()) {
    return err("TENDER.DOCUMENTS_NOT_OFFERED", documentsUntil ? { until: documentsUntil.toISOString() } : {});
  }
  return ok(true);
}

export interface ClarificationOutcome {
  readonly bidDeadline: Date;
  readonly moved: boolean;
}

export type DocumentKind = "tender-documents" | "prequalification-documents";

/**
 * Regs Art 21: a clarification or amendment that may affect bid (or prequalification
 * application) preparation must reach every document holder with at least 15 (3) full days
 * left; otherwise the deadline moves to the first date that leaves them, keeping its clock
 * time. The deadline never moves earlier.
 */
export function applyClarification(input: {
  readonly issuedAt: Date;
  /** The bid deadline, or the application deadline for prequalification documents. */
  readonly bidDeadline: Date;
  readonly affectsPreparation: boolean;
  readonly rules: ProcedureRules;
  readonly documents?: DocumentKind;
}): Result<ClarificationOutcome> {
  const { issuedAt, bidDeadline, rules } = input;
  if (issuedAt.getTime() >= bidDeadline.getTime()) {
    return err("CLARIFICATION.AFTER_DEADLINE", { issuedAt: issuedAt.toISOString() });
  }
  const required =
    input.documents === "prequalification-documents"
      ? rules.prequalificationClarificationNoticeDays
      : rules.clarificationNoticeDays;
  if (!input.affectsPreparation || fullDaysWithin(issuedAt, bidDeadline) >= required) {
    return ok({ bidDeadline, moved: false });
  }
  const timeOfDay = bidDeadline.getTime() - startOfShanghaiDay(shanghaiDate(bidDeadline)).getTime();
  const newDate = addDays(shanghaiDate(issuedAt), required + 1);
  return ok({ bidDeadline: new Date(startOfShanghaiDay(newDate).getTime() + timeOfDay), moved: true });
}

export type ObjectionTarget = DocumentKind;

/** Regs Art 22: the last instant an objection to the documents may be raised. */
export function documentObjectionCutoff(target: ObjectionTarget, deadline: Date, rules: ProcedureRules): Date {
  const days = target === "tender-documents" ? rules.documentObjectionDays : rules.prequalificationObjectionDays;
  return new Date(deadline.getTime() - days * DAY_MS);
}

/** Regs Art 22: accepts an objection raised in time; `deadline` is the bid or application deadline. */
export function checkDocumentObjection(input: {
  readonly target: ObjectionTarget;
  readonly raisedAt: Date;
  readonly deadline: Date;
  readonly rules: ProcedureRules;
  readonly calendar?: WorkingCalendar;
}): Result<{ readonly answerDue: CalendarResult<Date> }> {
  const cutoff = documentObjectionCutoff(input.target, input.deadline, input.rules);
  if (input.raisedAt.getTime() > cutoff.getTime()) {
    return err("OBJECTION.TOO_LATE", { cutoff: cutoff.toISOString(), target: input.target });
  }
  return ok({ answerDue: limitWithinDays(input.raisedAt, input.rules.objectionAnswerDays, input.calendar) });
}

export interface PublicityWindow {
  readonly start: Date;
  readonly end: Date;
}

/** Regs Art 54: candidates are published within 3 days of receiving the evaluation report. */
export function candidatesPublishBy(reportReceivedAt: Date, rules: ProcedureRules): CalendarResult<Date> {
  return limitWithinDays(reportReceivedAt, rules.publishCandidatesWithinDays);
}

/** Regs Art 54: the shortest lawful publicity window starting at `start`. */
export function minimumPublicity(start: Date, rules: ProcedureRules): PublicityWindow {
  return { start, end: earliestEndAfterFullDays(start, rules.minPublicityDays) };
}

/** Regs Art 54: a proposed publicity window is long enough. */
export function checkPublicity(window: PublicityWindow, rules: ProcedureRules): Result<PublicityWindow> {
  const days = fullDaysWithin(window.start, window.end);
  if (days < rules.minPublicityDays) {
    return err("TENDER.PUBLICITY_TOO_SHORT", { days, required: rules.minPublicityDays });
  }
  return ok(window);
}

/** Regs Art 54: objections to the result are raised inside the publicity window. */
export function checkResultObjection(
  raisedAt: Date,
  window: PublicityWindow,
  rules: ProcedureRules,
  calendar: WorkingCalendar = SHIPPED_CALENDAR,
): Result<{ readonly answerDue: CalendarResult<Date> }> {
  const t = raisedAt.getTime();
  if (t < window.start.getTime() || t > window.end.getTime()) {
    return err("OBJECTION.OUTSIDE_PUBLICITY", {
      start: window.start.toISOString(),
      end: window.end.toISOString(),
    });
  }
  return ok({ answerDue: limitWithinDays(raisedAt, rules.objectionAnswerDays, calendar) });
}

/** Regs Art 60: complaints within 10 days of knowing; Regs Art 61: 3 and 30 working days. */
export const COMPLAINT_LIMITS = { filingDays: 10, acceptanceWorkingDays: 3, decisionWorkingDays: 30 } as const;

export function complaintFilingDeadline(
  knownAt: Date,
  calendar: WorkingCalendar = SHIPPED_CALENDAR,
  excludedDays = 0,
): CalendarResult<Date> {
  return limitWithinDays(knownAt, COMPLAINT_LIMITS.filingDays + excludedDays, calendar);
}

export function checkComplaintTimely(
  filedAt: Date,
  knownAt: Date,
  calendar: WorkingCalendar = SHIPPED_CALENDAR,
): Result<CalendarResult<Date>> {
  const deadline = complaintFilingDeadline(knownAt, calendar);
  if (filedAt.getTime() > deadline.value.getTime()) {
    return err("COMPLAINT.TOO_LATE", { deadline: deadline.value.toISOString() });
  }
  return ok(deadline);
}

/**
 * What a complaint is about. Regs Art 60: complaints about the tender documents (Art 22), the
 * opening (Art 44) or the result (Art 54) must first be raised as an objection to the tenderer.
 */
export type ComplaintMatter = "tender-documents" | "opening" | "result" | "other";

export function complaintNeedsObjection(matter: ComplaintMatter): boolean {
  return matter !== "other";
}

/** The prior objection on the same matter, if the complainant raised one. */
export interface PriorObjection {
  readonly raisedAt: Date;
  readonly answeredAt: Date | null;
  readonly answerDue: Date;
}

export interface ComplaintFiling {
  readonly filingDeadline: CalendarResult<Date>;
  readonly acceptanceDue: CalendarResult<Date>;
}

/**
 * Regs Art 60: a complaint within 10 days of the complainant knowing; on an Art 22/44/54 matter
 * only after the objection was answered or its answer time passed, and the days the objection
 * waited for its answer are not counted in the 10 (异议答复期间不计算在前款规定的期限内).
 * Regs Art 61: acceptance is decided within 3 working days of receipt.
 */
export function checkComplaintFiling(input: {
  readonly filedAt: Date;
  readonly knownAt: Date;
  readonly matter: ComplaintMatter;
  readonly objection: PriorObjection | null;
  readonly calendar?: WorkingCalendar;
}): Result<ComplaintFiling> {
  const calendar = input.calendar ?? SHIPPED_CALENDAR;
  const { filedAt, objection } = input;
  let excludedDays = 0;
  if (complaintNeedsObjection(input.matter)) {
    if (!objection) return err("COMPLAINT.OBJECTION_REQUIRED", { matter: input.matter });
    if (!objection.answeredAt && filedAt.getTime() <= objection.answerDue.getTime()) {
      return err("COMPLAINT.OBJECTION_UNANSWERED", { answerDue: objection.answerDue.toISOString() });
    }
    const answerEnd = objection.answeredAt ?? objection.answerDue;
    excludedDays = Math.max(0, daysBetween(shanghaiDate(objection.raisedAt), shanghaiDate(answerEnd)));
  }
  const filingDeadline = complaintFilingDeadline(input.knownAt, calendar, excludedDays);
  if (filedAt.getTime() > filingDeadline.value.getTime()) {
    return err("COMPLAINT.TOO_LATE", { deadline: filingDeadline.value.toISOString() });
  }
  return ok({ filingDeadline, acceptanceDue: complaintAcceptanceDue(filedAt, calendar) });
}

/** Regs Art 61: the supervising department decides whether to accept within 3 working days. */
export function complaintAcceptanceDue(receivedAt: Date, calendar: WorkingCalendar = SHIPPED_CALENDAR): CalendarResult<Date> {
  return limitWithinWorkingDays(receivedAt, COMPLAINT_LIMITS.acceptanceWorkingDays, calendar);
}

/**
 * Regs Art 61: and decides the complaint within 30 working days of accepting it; the time an
 * inspection, testing or expert appraisal takes is not counted (`pausedWorkingDays`).
 */
export function complaintDecisionDue(
  acceptedAt: Date,
  calendar: WorkingCalendar = SHIPPED_CALENDAR,
  pausedWorkingDays = 0,
): CalendarResult<Date> {
  return limitWithinWorkingDays(acceptedAt, COMPLAINT_LIMITS.decisionWorkingDays + pausedWorkingDays, calendar);
}

/**
 * Working days a stopped clock did not run: those in (from, to] by Shanghai date. A pause that
 * starts and ends on the same day stops no whole working day.
 */
export function pausedWorkingDays(
  pauses: readonly { readonly from: Date; readonly to: Date }[],
  calendar: WorkingCalendar = SHIPPED_CALENDAR,
): number {
  return pauses.reduce((sum, p) => sum + workingDaysBetween(shanghaiDate(p.from), shanghaiDate(p.to), calendar).value, 0);
}
