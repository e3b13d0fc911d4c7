import { minimumPublicity } from "./deadlines";
import { allowedEvents, isTerminal, newTender, transition, type Tender, type TenderEvent } from "./lifecycle";
import { defaultProcedureRules } from "./procedure-rules";

const sh = (local: string) => new Date(`${local}+08:00`);
const rules = defaultProcedureRules("works", true);
const schedule = {
  documentsFrom: sh("2025-03-01T10:00"),
  documentsUntil: sh("2025-03-10T17:00"),
  bidDeadline: sh("2025-03-22T09:30"),
};
const publicity = minimumPublicity(sh("2025-04-01T10:00"), rules);

/** Applies events in order, failing the test on the first refusal. */
function run(events: readonly [TenderEvent, Date][], from: Tender = newTender(rules)): Tender {
  return events.reduce((tender, [event, now]) => {
    const result = transition(tender, event, now);
    if (!result.ok) throw new Error(`${event.type} refused: ${result.error.code}`);
    return result.value;
  }, from);
}

function refusal(tender: Tender, event: TenderEvent, now: Date): string {
  const result = transition(tender, event, now);
  return result.ok ? "accepted" : result.error.code;
}

const published = run([[{ type: "publish", schedule }, sh("2025-03-01T09:00")]]);
const closed = run([[{ type: "close-bidding" }, schedule.bidDeadline]], published);
const opened = run(
  [
    [{ type: "start-opening", bidCount: 3 }, schedule.bidDeadline],
    [{ type: "complete-opening" }, schedule.bidDeadline],
  ],
  closed,
);
const evaluating = run([[{ type: "start-evaluation", committeeValidated: true }, sh("2025-03-23T09:00")]], opened);
const inPublicity = run(
  [[{ type: "publish-candidates", candidates: ["b1", "b2", "b3"], publicity }, publicity.start]],
  evaluating,
);

describe("tender lifecycle state machine", () => {
  it("TBL Chs. II-IV: runs draft → published → bidding closed → opening → opened → evaluating → publicity → awarded", () => {
    const awarded = run([[{ type: "award" }, publicity.end]], inPublicity);
    expect(awarded.status).toBe("awarded");
    expect(isTerminal(awarded.status)).toBe(true);
    expect(allowedEvents("awarded")).toEqual([]);
  });

  it("TBL Chs. II-IV: refuses an event the status does not allow, with TENDER.INVALID_TRANSITION", () => {
    const result = transition(newTender(rules), { type: "award" }, publicity.end);
    expect(result).toEqual({
      ok: false,
      error: {
        code: "TENDER.INVALID_TRANSITION",
        article: "TBL Chs. II-IV (procedure order)",
        params: { from: "draft", event: "award" },
      },
    });
    expect(allowedEvents("draft")).toEqual(["publish", "cancel"]);
  });

  it("TBL Art 24: refuses to publish a deadline less than 20 days after first issue", () => {
    const tooSoon = { ...schedule, bidDeadline: sh("2025-03-20T09:30") };
    expect(refusal(newTender(rules), { type: "publish", schedule: tooSoon }, sh("2025-03-01T09:00"))).toBe(
      "TENDER.DEADLINE_TOO_SOON",
    );
  });

  it("TBL Art 24: counts the 20 days from actual publication when the form's first issue date has passed", () => {
    expect(refusal(newTender(rules), { type: "publish", schedule }, sh("2025-03-03T09:00"))).toBe("TENDER.DEADLINE_TOO_SOON");
    expect(published.schedule?.documentsFrom).toEqual(schedule.documentsFrom);
  });

  it("TBL Art 24: refuses to publish under procedure rules looser than the law", () => {
    const loose = newTender({ ...rules, minDaysIssueToDeadline: 10 });
    expect(refusal(loose, { type: "publish", schedule }, sh("2025-03-01T09:00"))).toBe("RULES.LOOSER_THAN_LAW");
  });

  it("Regs Art 21: a late clarification moves the tender's deadline", () => {
    const clarified = run([[{ type: "clarify", affectsPreparation: true }, sh("2025-03-10T15:00")]], published);
    expect(clarified.status).toBe("clarification");
    expect(clarified.schedule?.bidDeadline).toEqual(sh("2025-03-26T09:30"));
    expect(refusal(clarified, { type: "close-bidding" }, schedule.bidDeadline)).toBe("TENDER.DEADLINE_NOT_REACHED");
  });

  it("Regs Art 21: refuses a clarification at or after the deadline", () => {
    expect(refusal(published, { type: "clarify", affectsPreparation: false }, schedule.bidDeadline)).toBe(
      "CLARIFICATION.AFTER_DEADLINE",
    );
  });

  it("TBL Art 34: refuses to close bidding or open before the deadline", () => {
    expect(refusal(published, { type: "close-bidding" }, sh("2025-03-22T09:29"))).toBe("TENDER.DEADLINE_NOT_REACHED");
    const early = { ...closed, schedule: { ...schedule, bidDeadline: sh("2025-03-22T10:00") } };
    expect(refusal(early, { type: "start-opening", bidCount: 5 }, schedule.bidDeadline)).toBe("OPENING.BEFORE_DEADLINE");
  });

  it("Regs Art 44: refuses to open fewer than 3 bids; the tender fails (流标) and is re-tendered", () => {
    expect(refusal(closed, { type: "start-opening", bidCount: 2 }, schedule.bidDeadline)).toBe("OPENING.TOO_FEW_BIDS");
    const failed = run([[{ type: "fail", reason: "too-few-bids", count: 2 }, schedule.bidDeadline]], closed);
    expect(failed).toMatchObject({ status: "failed", failureReason: "too-few-bids" });
    expect(run([[{ type: "retender" }, schedule.bidDeadline]], failed).status).toBe("retendered");
  });

  it("TBL Art 37: refuses to start evaluation without a validated committee", () => {
    expect(refusal(opened, { type: "start-evaluation", committeeValidated: false }, sh("2025-03-23T09:00"))).toBe(
      "TENDER.COMMITTEE_REQUIRED",
    );
  });

  it("Eval-Rules Art 27: evaluation may end in failure when all bids are rejected or too few valid bids remain", () => {
    expect(run([[{ type: "fail", reason: "all-bids-rejected", count: 0 }, sh("2025-03-23T12:00")]], evaluating).status).toBe(
      "failed",
    );
    expect(run([[{ type: "fail", reason: "too-few-valid-bids", count: 2 }, sh("2025-03-23T12:00")]], evaluating).status).toBe(
      "failed",
    );
  });

  it("Regs Art 44, Eval-Rules Art 27: refuses to declare 流标 without its ground", () => {
    const at = sh("2025-03-23T12:00");
    expect(refusal(closed, { type: "fail", reason: "too-few-bids", count: 3 }, at)).toBe("TENDER.FAILURE_NOT_JUSTIFIED");
    expect(refusal(evaluating, { type: "fail", reason: "all-bids-rejected", count: 1 }, at)).toBe("TENDER.FAILURE_NOT_JUSTIFIED");
    expect(refusal(evaluating, { type: "fail", reason: "too-few-bids", count: 1 }, at)).toBe("TENDER.FAILURE_NOT_JUSTIFIED");
  });

  it("Regs Art 53: refuses more than 3, duplicate or no candidates", () => {
    const at = publicity.start;
    expect(refusal(evaluating, { type: "publish-candidates", candidates: ["a", "b", "c", "d"], publicity }, at)).toBe(
      "TENDER.CANDIDATES_INVALID",
    );
    expect(refusal(evaluating, { type: "publish-candidates", candidates: ["a", "a"], publicity }, at)).toBe(
      "TENDER.CANDIDATES_INVALID",
    );
    expect(refusal(evaluating, { type: "publish-candidates", candidates: [], publicity }, at)).toBe("TENDER.CANDIDATES_INVALID");
  });

  it("Regs Art 54: refuses a publicity shorter than 3 days and an award before it ends", () => {
    const short = { start: publicity.start, end: sh("2025-04-03T10:00") };
    expect(refusal(evaluating, { type: "publish-candidates", candidates: ["a"], publicity: short }, short.start)).toBe(
      "TENDER.PUBLICITY_TOO_SHORT",
    );
    expect(refusal(inPublicity, { type: "award" }, sh("2025-04-04T23:59"))).toBe("TENDER.PUBLICITY_NOT_OVER");
  });

  it("Regs Art 22: an objection suspends the procedure until every objection is answered", () => {
    const suspended = run(
      [
        [{ type: "raise-objection" }, sh("2025-03-05T10:00")],
        [{ type: "raise-objection" }, sh("2025-03-05T11:00")],
      ],
      published,
    );
    expect(suspended).toMatchObject({ status: "suspended", suspendedFrom: "published", pendingObjections: 2 });
    expect(refusal(suspended, { type: "close-bidding" }, schedule.bidDeadline)).toBe("TENDER.OBJECTION_PENDING");
    const oneLeft = run([[{ type: "answer-objection" }, sh("2025-03-06T10:00")]], suspended);
    expect(oneLeft.status).toBe("suspended");
    const resumed = run([[{ type: "answer-objection" }, sh("2025-03-07T10:00")]], oneLeft);
    expect(resumed).toMatchObject({ status: "published", pendingObjections: 0 });
  });

  it("Regs Art 22: refuses an objection to the documents raised less than 10 days before the deadline", () => {
    expect(refusal(published, { type: "raise-objection" }, sh("2025-03-12T09:31"))).toBe("OBJECTION.TOO_LATE");
  });

  it("Regs Art 54: refuses an objection to the result raised after the publicity", () => {
    expect(refusal(inPublicity, { type: "raise-objection" }, sh("2025-04-05T00:00:01"))).toBe("OBJECTION.OUTSIDE_PUBLICITY");
  });

  it("Regs Art 54: an objection to the result suspends publicity and the award waits for the answer", () => {
    const suspended = run([[{ type: "raise-objection" }, sh("2025-04-02T10:00")]], inPublicity);
    expect(refusal(suspended, { type: "award" }, publicity.end)).toBe("TENDER.OBJECTION_PENDING");
    const resumed = run([[{ type: "answer-objection" }, sh("2025-04-03T10:00")]], suspended);
    expect(run([[{ type: "award" }, publicity.end]], resumed).status).toBe("awarded");
  });

  it("TBL Chs. II-IV: a tender can be cancelled before award, and a cancelled tender re-tendered", () => {
    const cancelled = run([[{ type: "cancel" }, sh("2025-03-05T10:00")]], published);
    expect(cancelled.status).toBe("cancelled");
    expect(refusal(cancelled, { type: "publish", schedule }, sh("2025-03-05T10:00"))).toBe("TENDER.INVALID_TRANSITION");
    expect(run([[{ type: "retender" }, sh("2025-03-06T10:00")]], cancelled).status).toBe("retendered");
  });
});
