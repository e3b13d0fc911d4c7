import fc from "fast-check";
import {
  checkDocumentAccess,
  applyClarification,
  candidatesPublishBy,
  checkComplaintTimely,
  checkDocumentObjection,
  checkPublicity,
  checkResultObjection,
  checkSchedule,
  complaintAcceptanceDue,
  complaintDecisionDue,
  documentObjectionCutoff,
  earliestEndAfterFullDays,
  fullDaysWithin,
  minimumPublicity,
  statutoryMinimums,
} from "./deadlines";
import { defaultProcedureRules } from "./procedure-rules";

const rules = defaultProcedureRules("works", true);
/** A Shanghai wall-clock time. */
const sh = (local: string) => new Date(`${local}+08:00`);
const code = (r: { ok: boolean; error?: { code: string } }) => (r.ok ? "ok" : r.error!.code);

describe("full-day counting", () => {
  it("Civil Code Art 201: the start day never counts, a day counts only when wholly inside", () => {
    expect(fullDaysWithin(sh("2025-03-01T10:00"), sh("2025-03-03T00:00"))).toBe(1);
    expect(fullDaysWithin(sh("2025-03-01T10:00"), sh("2025-03-02T23:59:59.999"))).toBe(0);
    expect(fullDaysWithin(sh("2025-03-05T10:00"), sh("2025-03-01T10:00"))).toBe(0);
  });

  it("TBL Art 24, Regs Arts 16, 21, 54: earliestEndAfterFullDays is the least instant giving N full days", () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date("2020-01-01"), max: new Date("2030-01-01"), noInvalidDate: true }),
        fc.integer({ min: 0, max: 60 }),
        (start, n) => {
          const end = earliestEndAfterFullDays(start, n);
          return fullDaysWithin(start, end) === n && fullDaysWithin(start, new Date(end.getTime() - 1)) === Math.max(0, n - 1);
        },
      ),
    );
  });
});

describe("tender schedule", () => {
  const documentsFrom = sh("2025-03-01T10:00");

  it("TBL Art 24, Regs Art 16: the tender form's earliest lawful dates", () => {
    const minimums = statutoryMinimums(documentsFrom, rules);
    expect(minimums.bidDeadlineEarliest).toEqual(sh("2025-03-22T00:00"));
    expect(minimums.documentsUntilEarliest).toEqual(sh("2025-03-07T00:00"));
  });

  it("TBL Art 24: accepts a deadline leaving 20 full days after first issue", () => {
    const schedule = { documentsFrom, documentsUntil: sh("2025-03-10T17:00"), bidDeadline: sh("2025-03-22T09:30") };
    expect(checkSchedule(schedule, rules)).toEqual({ ok: true, value: schedule });
  });

  it("TBL Art 24, Regs Art 16: the statutory minimums always pass the schedule check, a millisecond less never does", () => {
    const instant = fc.date({ min: new Date("2020-01-01"), max: new Date("2030-01-01"), noInvalidDate: true });
    fc.assert(
      fc.property(instant, (from) => {
        const m = statutoryMinimums(from, rules);
        const lawful = { documentsFrom: from, documentsUntil: m.documentsUntilEarliest, bidDeadline: m.bidDeadlineEarliest };
        const early = { ...lawful, bidDeadline: new Date(m.bidDeadlineEarliest.getTime() - 1) };
        return checkSchedule(lawful, rules).ok && code(checkSchedule(early, rules)) === "TENDER.DEADLINE_TOO_SOON";
      }),
    );
  });

  it("TBL Art 24: refuses a deadline less than 20 days after first issue", () => {
    const result = checkSchedule(
      { documentsFrom, documentsUntil: sh("2025-03-10T17:00"), bidDeadline: sh("2025-03-21T09:30") },
      rules,
    );
    expect(result).toMatchObject({
      ok: false,
      error: { code: "TENDER.DEADLINE_TOO_SOON", article: "TBL Art 24", params: { days: 19, required: 20 } },
    });
  });

  it("Regs Art 16: refuses documents available for less than 5 days", () => {
    const short = { documentsFrom, documentsUntil: sh("2025-03-06T17:00"), bidDeadline: sh("2025-03-25T09:30") };
    expect(code(checkSchedule(short, rules))).toBe("TENDER.AVAILABILITY_TOO_SHORT");
    expect(code(checkSchedule({ ...short, documentsUntil: sh("2025-03-07T00:00") }, rules))).toBe("ok");
  });
});

describe("clarifications", () => {
  const bidDeadline = sh("2025-03-22T09:30");

  it("Regs Art 21: a late clarification moves the deadline so that 15 full days remain", () => {
    const result = applyClarification({ issuedAt: sh("2025-03-10T15:00"), bidDeadline, affectsPreparation: true, rules });
    expect(result).toEqual({ ok: true, value: { bidDeadline: sh("2025-03-26T09:30"), moved: true } });
  });

  it("Regs Art 21: an early clarification, or one not affecting preparation, leaves the deadline", () => {
    const early = applyClarification({ issuedAt: sh("2025-03-06T09:00"), bidDeadline, affectsPreparation: true, rules });
    expect(early).toEqual({ ok: true, value: { bidDeadline, moved: false } });
    const minor = applyClarification({ issuedAt: sh("2025-03-20T09:00"), bidDeadline, affectsPreparation: false, rules });
    expect(minor).toEqual({ ok: true, value: { bidDeadline, moved: false } });
  });

  it("Regs Art 21: a late clarification of prequalification documents leaves 3 full days before the application deadline", () => {
    const result = applyClarification({
      issuedAt: sh("2025-03-10T15:00"),
      bidDeadline: sh("2025-03-12T17:00"),
      affectsPreparation: true,
      rules,
      documents: "prequalification-documents",
    });
    expect(result).toEqual({ ok: true, value: { bidDeadline: sh("2025-03-14T17:00"), moved: true } });
  });

  it("Regs Art 21: refuses a clarification after the deadline", () => {
    const result = applyClarification({ issuedAt: bidDeadline, bidDeadline, affectsPreparation: true, rules });
    expect(code(result)).toBe("CLARIFICATION.AFTER_DEADLINE");
  });

  it("Regs Art 21: a clarification never leaves less than 15 full days and never brings the deadline forward", () => {
    const instant = fc.date({ min: new Date("2020-01-01"), max: new Date("2030-01-01"), noInvalidDate: true });
    fc.assert(
      fc.property(instant, fc.integer({ min: 1, max: 60 * 86_400_000 }), (issuedAt, ahead) => {
        const deadline = new Date(issuedAt.getTime() + ahead);
        const result = applyClarification({ issuedAt, bidDeadline: deadline, affectsPreparation: true, rules });
        if (!result.ok) return false;
        return fullDaysWithin(issuedAt, result.value.bidDeadline) >= 15 && result.value.bidDeadline >= deadline;
      }),
    );
  });
});

describe("objections to the documents", () => {
  const bidDeadline = sh("2025-03-22T09:30");

  it("Regs Art 22: objections to tender documents close 10 days before the deadline", () => {
    expect(documentObjectionCutoff("tender-documents", bidDeadline, rules)).toEqual(sh("2025-03-12T09:30"));
    const late = checkDocumentObjection({
      target: "tender-documents",
      raisedAt: sh("2025-03-12T09:31"),
      deadline: bidDeadline,
      rules,
    });
    expect(late).toMatchObject({ ok: false, error: { code: "OBJECTION.TOO_LATE", article: "Regs Art 22" } });
  });

  it("Regs Art 22: objections to prequalification documents close 2 days before their deadline", () => {
    const deadline = sh("2025-03-10T09:00");
    expect(documentObjectionCutoff("prequalification-documents", deadline, rules)).toEqual(sh("2025-03-08T09:00"));
  });

  it("Regs Art 22, Civil Code Art 203: the answer is due within 3 days, running past a weekend", () => {
    const result = checkDocumentObjection({
      target: "tender-documents",
      raisedAt: sh("2025-03-12T09:30"),
      deadline: bidDeadline,
      rules,
    });
    expect(result).toEqual({
      ok: true,
      value: { answerDue: { value: sh("2025-03-17T23:59:59.999"), provisional: false, provisionalYears: [] } },
    });
  });
});

describe("publicity of candidates", () => {
  it("Regs Art 54: candidates are published within 3 days of the report", () => {
    expect(candidatesPublishBy(sh("2025-03-03T10:00"), rules).value).toEqual(sh("2025-03-06T23:59:59.999"));
  });

  it("Regs Art 54: publicity lasts at least 3 full days", () => {
    const window = minimumPublicity(sh("2025-04-01T10:00"), rules);
    expect(window.end).toEqual(sh("2025-04-05T00:00"));
    expect(code(checkPublicity(window, rules))).toBe("ok");
    const short = checkPublicity({ start: window.start, end: sh("2025-04-04T18:00") }, rules);
    expect(short).toMatchObject({ ok: false, error: { code: "TENDER.PUBLICITY_TOO_SHORT", params: { days: 2 } } });
  });

  it("Regs Art 54: objections to the result are raised inside the publicity window", () => {
    const window = minimumPublicity(sh("2025-04-01T10:00"), rules);
    expect(code(checkResultObjection(sh("2025-04-03T10:00"), window, rules))).toBe("ok");
    expect(code(checkResultObjection(sh("2025-04-05T00:00:01"), window, rules))).toBe("OBJECTION.OUTSIDE_PUBLICITY");
    expect(code(checkResultObjection(sh("2025-04-01T09:00"), window, rules))).toBe("OBJECTION.OUTSIDE_PUBLICITY");
  });
});

describe("complaints", () => {
  it("Regs Art 60, Civil Code Art 203: 10 days from knowing, extended past the National Day holiday", () => {
    const knownAt = sh("2025-09-26T10:00");
    expect(code(checkComplaintTimely(sh("2025-10-09T20:00"), knownAt))).toBe("ok");
    const late = checkComplaintTimely(sh("2025-10-10T08:00"), knownAt);
    expect(late).toMatchObject({ ok: false, error: { code: "COMPLAINT.TOO_LATE", article: "Regs Art 60" } });
  });

  it("Regs Art 61: acceptance within 3 working days, counting the adjusted Saturday 2025-10-11", () => {
    expect(complaintAcceptanceDue(sh("2025-09-30T10:00"))).toEqual({
      value: sh("2025-10-11T23:59:59.999"),
      provisional: false,
      provisionalYears: [],
    });
  });

  it("Regs Art 61: a decision due in 2027 is provisional because 2027's holidays are unpublished", () => {
    const due = complaintDecisionDue(sh("2026-12-10T10:00"));
    expect(due.provisional).toBe(true);
    expect(due.provisionalYears).toEqual([2027]);
  });
});

describe("document availability", () => {
  const from = new Date("2026-03-02T01:00:00Z");
  const until = new Date("2026-03-09T09:00:00Z");
  const base = { documentsUntil: until, biddingOpen: true, alreadyHolder: false };

  it("Regs Art 16: a new holder may obtain the documents only until the offer period ends", () => {
    expect(checkDocumentAccess({ ...base, now: from }).ok).toBe(true);
    expect(checkDocumentAccess({ ...base, now: new Date(until.getTime() - 1) }).ok).toBe(true);
    const late = checkDocumentAccess({ ...base, now: until });
    expect(late.ok).toBe(false);
    if (!late.ok) {
      expect(late.error.code).toBe("TENDER.DOCUMENTS_NOT_OFFERED");
      expect(late.error.article).toBe("Regs Art 16");
    }
  });

  it("Regs Art 16: nothing is offered once bidding is closed, or without an offer period", () => {
    expect(checkDocumentAccess({ ...base, biddingOpen: false, now: new Date("2026-03-05T00:00:00Z") }).ok).toBe(false);
    expect(checkDocumentAccess({ ...base, documentsUntil: null, now: new Date("2026-03-05T00:00:00Z") }).ok).toBe(false);
  });

  it("Regs Arts 16, 21: an existing holder keeps access after the period (clarifications must reach them)", () => {
    expect(
      checkDocumentAccess({ ...base, alreadyHolder: true, biddingOpen: false, now: new Date("2026-04-01T00:00:00Z") }).ok,
    ).toBe(true);
  });
});
