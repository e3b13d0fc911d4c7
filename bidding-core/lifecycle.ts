import {
  applyClarification,
  checkDocumentObjection,
  checkPublicity,
  checkResultObjection,
  checkSchedule,
  type PublicityWindow,
  type TenderSchedule,
} from "./deadlines";
import { err, ok, type Result } from "./errors";
import { validateProcedureRules, type ProcedureRules } from "./procedure-rules";

/**
 * The tender lifecycle as an explicit state machine. `transition` is the only way to change a
 * tender's status: it checks that the event is allowed in the current status and then the
 * event's legal preconditions, returning a typed error when either fails.
 *
 * draft → published → (clarification) → bidding-closed → opening → opened | failed (流标)
 *   → evaluating → publicity → awarded; suspended while an objection is pending (Regs Arts 22,
 *   54); cancelled; failed or cancelled tenders are re-tendered.
 */

export type TenderStatus =
  | "draft"
  | "published"
  | "clarification"
  | "bidding-closed"
  | "opening"
  | "opened"
  | "failed"
  | "evaluating"
  | "publicity"
  | "awarded"
  | "suspended"
  | "cancelled"
  | "retendered";

export type FailureReason = "too-few-bids" | "too-few-valid-bids" | "all-bids-rejected";

export interface Tender {
  readonly status: TenderStatus;
  readonly rules: ProcedureRules;
  readonly schedule?: TenderSchedule;
  /** The status to return to when the last pending objection is answered. */
  readonly suspendedFrom?: TenderStatus;
  readonly pendingObjections: number;
  readonly candidates?: readonly string[];
  readonly publicity?: PublicityWindow;
  readonly failureReason?: FailureReason;
}

export type TenderEvent =
  | { readonly type: "publish"; readonly schedule: TenderSchedule }
  | { readonly type: "clarify"; readonly affectsPreparation: boolean }
  | { readonly type: "close-bidding" }
  | { readonly type: "start-opening"; readonly bidCount: number }
  | { readonly type: "complete-opening" }
  /** `count`: bids received for too-few-bids, valid bids otherwise. */
  | { readonly type: "fail"; readonly reason: FailureReason; readonly count: number }
  | { readonly type: "start-evaluation"; readonly committeeValidated: boolean }
  | {
      readonly type: "publish-candidates";
      readonly candidates: readonly string[];
      readonly publicity: PublicityWindow;
    }
  | { readonly type: "raise-objection" }
  | { readonly type: "answer-objection" }
  | { readonly type: "award" }
  | { readonly type: "cancel" }
  | { readonly type: "retender" };

export type TenderEventType = TenderEvent["type"];

const TERMINAL: readonly TenderStatus[] = ["awarded", "cancelled", "retendered"];

/** Which statuses each event may start from. */
const ALLOWED_FROM: Readonly<Record<TenderEventType, readonly TenderStatus[]>> = {
  publish: ["draft"],
  clarify: ["published", "clarification"],
  "close-bidding": ["published", "clarification"],
  "start-opening": ["bidding-closed"],
  "complete-opening": ["opening"],
  // 流标: too few bids before opening (Regs Art 44), too few valid bids or all rejected after.
  fail: ["bidding-closed", "opening", "evaluating"],
  "start-evaluation": ["opened"],
  "publish-candidates": ["evaluating"],
  // Regs Art 22 (documents, before the deadline) and Art 54 (result, during publicity).
  "raise-objection": ["published", "clarification", "publicity", "suspended"],
  "answer-objection": ["suspended"],
  award: ["publicity"],
  cancel: [
    "draft",
    "published",
    "clarification",
    "bidding-closed",
    "opening",
    "opened",
    "failed",
    "evaluating",
    "publicity",
    "suspended",
  ],
  // Regs Art 55: also after the publicity, once every candidate was passed over (checkRetenderAfterDeclines).
  retender: ["failed", "cancelled", "publicity"],
};

export function newTender(rules: ProcedureRules): Tender {
  return { status: "draft", rules, pendingObjections: 0 };
}

export function isTerminal(status: TenderStatus): boolean {
  return TERMINAL.includes(status);
}

/** The events allowed in a status, for the UI to offer. */
export function allowedEvents(status: TenderStatus): TenderEventType[] {
  return (Object.keys(ALLOWED_FROM) as TenderEventType[]).filter((type) => ALLOWED_FROM[type].includes(status));
}

export function transition(tender: Tender, event: TenderEvent, now: Date): Result<Tender> {
  if (!ALLOWED_FROM[event.type].includes(tender.status)) {
    // While suspended the answer is "wait for the objection", not "never allowed".
    const code = tender.status === "suspended" ? "TENDER.OBJECTION_PENDING" : "TENDER.INVALID_TRANSITION";
    return err(code, { from: tender.status, event: event.type });
  }
  return apply(tender, event, now);
}

function apply(tender: Tender, event: TenderEvent, now: Date): Result<Tender> {
  switch (event.type) {
    case "publish":
      return publish(tender, event.schedule, now);
    case "clarify":
      return clarify(tender, event.affectsPreparation, now);
    case "close-bidding":
      return closeBidding(tender, now);
    case "start-opening":
      return startOpening(tender, event.bidCount, now);
    case "complete-opening":
      return ok({ ...tender, status: "opened" });
    case "fail":
      return fail(tender, event.reason, event.count);
    case "start-evaluation":
      if (!event.committeeValidated) return err("TENDER.COMMITTEE_REQUIRED", {});
      return ok({ ...tender, status: "evaluating" });
    case "publish-candidates":
      return publishCandidates(tender, event.candidates, event.publicity);
    case "raise-objection":
      return raiseObjection(tender, now);
    case "answer-objection":
      return answerObjection(tender);
    case "award":
      return award(tender, now);
    case "cancel":
      return ok({ ...tender, status: "cancelled" });
    case "retender":
      return ok({ ...tender, status: "retendered" });
  }
}

/** TBL Art 24, Regs Art 16: the period runs from when documents are really available, not earlier. */
function publish(tender: Tender, schedule: TenderSchedule, now: Date): Result<Tender> {
  const rules = validateProcedureRules(tender.rules);
  if (!rules.ok) return rules;
  const documentsFrom = schedule.documentsFrom.getTime() < now.getTime() ? now : schedule.documentsFrom;
  const checked = checkSchedule({ ...schedule, documentsFrom }, tender.rules);
  if (!checked.ok) return checked;
  return ok({ ...tender, status: "published", schedule: checked.value });
}

function requireSchedule(tender: Tender): TenderSchedule {
  if (!tender.schedule) throw new Error("a published tender always has a schedule");
  return tender.schedule;
}

/** Regs Art 21: a late clarification moves the deadline. */
function clarify(tender: Tender, affectsPreparation: boolean, now: Date): Result<Tender> {
  const schedule = requireSchedule(tender);
  const outcome = applyClarification({
    issuedAt: now,
    bidDeadline: schedule.bidDeadline,
    affectsPreparation,
    rules: tender.rules,
  });
  if (!outcome.ok) return outcome;
  const moved = { ...schedule, bidDeadline: outcome.value.bidDeadline };
  return ok({ ...tender, status: "clarification", schedule: moved });
}

/** TBL Art 34: bidding closes at the deadline, not before. */
function closeBidding(tender: Tender, now: Date): Result<Tender> {
  const { bidDeadline } = requireSchedule(tender);
  if (now.getTime() < bidDeadline.getTime()) {
    return err("TENDER.DEADLINE_NOT_REACHED", { bidDeadline: bidDeadline.toISOString() });
  }
  return ok({ ...tender, status: "bidding-closed" });
}

/** Regs Art 44: with fewer than 3 bids the bids are not opened; the caller then fails the tender. */
function startOpening(tender: Tender, bidCount: number, now: Date): Result<Tender> {
  const { bidDeadline } = requireSchedule(tender);
  if (now.getTime() < bidDeadline.getTime()) {
    return err("OPENING.BEFORE_DEADLINE", { bidDeadline: bidDeadline.toISOString() });
  }
  if (bidCount < tender.rules.minBidsToOpen) {
    return err("OPENING.TOO_FEW_BIDS", { bidCount, required: tender.rules.minBidsToOpen });
  }
  return ok({ ...tender, status: "opening" });
}

/** Where each reason for 流标 may be declared. */
const FAILURE_FROM: Readonly<Record<FailureReason, readonly TenderStatus[]>> = {
  "too-few-bids": ["bidding-closed", "opening"],
  "too-few-valid-bids": ["opening", "evaluating"],
  "all-bids-rejected": ["evaluating"],
};

/**
 * Regs Art 44: fewer than 3 bids at the deadline; Eval-Rules Art 27: too few valid bids left
 * for real competition, or every bid rejected. A tender with enough bids cannot be failed.
 */
function fail(tender: Tender, reason: FailureReason, count: number): Result<Tender> {
  const justified =
    FAILURE_FROM[reason].includes(tender.status) &&
    (reason === "all-bids-rejected" ? count === 0 : count < tender.rules.minBidsToOpen);
  if (!justified) return err("TENDER.FAILURE_NOT_JUSTIFIED", { reason, count, from: tender.status });
  return ok({ ...tender, status: "failed", failureReason: reason });
}

/** Regs Art 53: 1 to 3 distinct ranked candidates; Regs Art 54: a long enough publicity. */
function publishCandidates(tender: Tender, candidates: readonly string[], publicity: PublicityWindow): Result<Tender> {
  const distinct = new Set(candidates).size === candidates.length;
  if (candidates.length === 0 || candidates.length > tender.rules.maxCandidates || !distinct) {
    return err("TENDER.CANDIDATES_INVALID", { count: candidates.length, max: tender.rules.maxCandidates });
  }
  const checked = checkPublicity(publicity, tender.rules);
  if (!checked.ok) return checked;
  return ok({ ...tender, status: "publicity", candidates, publicity });
}

/** Regs Arts 22, 54: the procedure is suspended until every pending objection is answered. */
function raiseObjection(tender: Tender, now: Date): Result<Tender> {
  const suspendedFrom = tender.status === "suspended" ? tender.suspendedFrom : tender.status;
  const timely = objectionTimely(tender, suspendedFrom, now);
  if (!timely.ok) return timely;
  return ok({
    ...tender,
    status: "suspended",
    suspendedFrom,
    pendingObjections: tender.pendingObjections + 1,
  });
}

/** Regs Art 22: documents objections close 10 days before the deadline; Art 54: within publicity. */
function objectionTimely(tender: Tender, stage: TenderStatus | undefined, now: Date): Result<unknown> {
  if (stage === "publicity" && tender.publicity) {
    return checkResultObjection(now, tender.publicity, tender.rules);
  }
  const { bidDeadline } = requireSchedule(tender);
  return checkDocumentObjection({ target: "tender-documents", raisedAt: now, deadline: bidDeadline, rules: tender.rules });
}

function answerObjection(tender: Tender): Result<Tender> {
  const pendingObjections = tender.pendingObjections - 1;
  if (pendingObjections > 0) return ok({ ...tender, pendingObjections });
  const status = tender.suspendedFrom ?? "published";
  return ok({ ...tender, status, pendingObjections: 0, suspendedFrom: undefined });
}

/** Regs Art 54: award only after the publicity has run its full length. */
function award(tender: Tender, now: Date): Result<Tender> {
  const end = tender.publicity?.end;
  if (!end || now.getTime() < end.getTime()) {
    return err("TENDER.PUBLICITY_NOT_OVER", { end: end?.toISOString() ?? "none" });
  }
  return ok({ ...tender, status: "awarded" });
}
