import { clarificationCutoff, clockDue, clockState, CLOCK_RULES } from "./clocks";
import { checkComplaintFiling, fullDaysWithin, pausedWorkingDays, checkDocumentObjection } from "./deadlines";
import { defaultProcedureRules } from "./procedure-rules";

const sh = (local: string) => new Date(`${local}:00+08:00`);
const endOf = (date: string) => new Date(`${date}T23:59:59.999+08:00`);

describe("node control clocks across the 2026 National Day holiday (国庆 10-01…10-07; 调休 Sun 09-20, Sat 10-10)", () => {
  it("Regs Art 61: acceptance within 3 working days skips the holiday and counts the adjusted Saturday", () => {
    // Received Wed 2026-09-30: Oct 1-7 off, Thu 8, Fri 9, Sat 10 (adjusted working day).
    const due = clockDue("complaint-acceptance", sh("2026-09-30T10:00"), { kind: "working-days", days: 3, pausedWorkingDays: 0 });
    expect(due).toEqual({ value: endOf("2026-10-10"), provisional: false, provisionalYears: [] });
  });

  it("Regs Art 61: the adjusted Sunday 09-20 is a working day too", () => {
    // Received Fri 2026-09-18: Sat 19 off, Sun 20 works, Mon 21, Tue 22.
    const due = clockDue("complaint-acceptance", sh("2026-09-18T17:00"), { kind: "working-days", days: 3, pausedWorkingDays: 0 });
    expect(due.value).toEqual(endOf("2026-09-22"));
  });

  it("Regs Art 22 / Civil Code Art 203: a 3-day answer limit ending inside the holiday runs to the next working day", () => {
    const due = clockDue("objection-answer", sh("2026-09-29T09:00"), { kind: "within-days", days: 3 });
    expect(due.value).toEqual(endOf("2026-10-08"));
  });

  it("Regs Art 61: a decision clock stopped for an expert appraisal is extended by the working days it stood still", () => {
    // Appraisal from Mon 2026-09-28 to Fri 2026-10-09: (28, 9] holds 29, 30 Sep and 8, 9 Oct.
    const paused = pausedWorkingDays([{ from: sh("2026-09-28T10:00"), to: sh("2026-10-09T10:00") }]);
    expect(paused).toBe(4);
    const plain = clockDue("complaint-decision", sh("2026-09-01T10:00"), {
      kind: "working-days",
      days: 30,
      pausedWorkingDays: 0,
    });
    const stopped = clockDue("complaint-decision", sh("2026-09-01T10:00"), {
      kind: "working-days",
      days: 30,
      pausedWorkingDays: paused,
    });
    // 中秋 09-25 and 国庆 10-01…07 off, 09-20 and 10-10 worked: the 30th working day is 10-19.
    expect(plain.value).toEqual(endOf("2026-10-19"));
    expect(stopped.value).toEqual(endOf("2026-10-23"));
  });

  it("Regs Art 21: the clarification cutoff leaves exactly 15 full days", () => {
    const deadline = sh("2026-10-20T09:30");
    const cutoff = clarificationCutoff(deadline, 15);
    expect(cutoff).toEqual(endOf("2026-10-04"));
    expect(fullDaysWithin(cutoff, deadline)).toBe(15);
    expect(fullDaysWithin(new Date(cutoff.getTime() + 1), deadline)).toBe(14);
  });

  it("TBL Art 34: a fixed clock is its own end; states run → warning → overdue, met when stopped", () => {
    const due = sh("2026-10-10T09:30");
    expect(clockDue("bid-opening", sh("2026-09-01T09:00"), { kind: "fixed", due }).value).toEqual(due);
    const warn = CLOCK_RULES["bid-opening"].warnBeforeMs;
    expect(clockState({ dueAt: due, warnBeforeMs: warn, stoppedAt: null, now: new Date(due.getTime() - warn - 1) })).toBe(
      "running",
    );
    expect(clockState({ dueAt: due, warnBeforeMs: warn, stoppedAt: null, now: new Date(due.getTime() - warn) })).toBe("warning");
    expect(clockState({ dueAt: due, warnBeforeMs: warn, stoppedAt: null, now: new Date(due.getTime() + 1) })).toBe("overdue");
    expect(clockState({ dueAt: due, warnBeforeMs: warn, stoppedAt: due, now: new Date(due.getTime() + 1) })).toBe("met");
  });
});

describe("complaint filing (Regs Art 60)", () => {
  const objection = { raisedAt: sh("2026-11-02T10:00"), answeredAt: sh("2026-11-04T10:00"), answerDue: endOf("2026-11-05") };

  it("Regs Art 60: a documents complaint needs a prior objection", () => {
    const r = checkComplaintFiling({
      filedAt: sh("2026-11-05T10:00"),
      knownAt: sh("2026-11-01T10:00"),
      matter: "tender-documents",
      objection: null,
    });
    expect(r).toMatchObject({ ok: false, error: { code: "COMPLAINT.OBJECTION_REQUIRED", article: "Regs Art 60" } });
  });

  it("Regs Art 60: not while the objection still awaits its answer within its time", () => {
    const open = { ...objection, answeredAt: null };
    const r = checkComplaintFiling({
      filedAt: sh("2026-11-03T10:00"),
      knownAt: sh("2026-11-01T10:00"),
      matter: "tender-documents",
      objection: open,
    });
    expect(r).toMatchObject({ ok: false, error: { code: "COMPLAINT.OBJECTION_UNANSWERED" } });
    const after = checkComplaintFiling({
      filedAt: sh("2026-11-06T10:00"),
      knownAt: sh("2026-11-01T10:00"),
      matter: "tender-documents",
      objection: open,
    });
    expect(after.ok).toBe(true);
  });

  it("Regs Art 60: within 10 days of knowing, the objection's answer days not counted", () => {
    // Known 11-01; objection waited 11-02 → 11-04 (2 days): the limit is 11-13, a Friday.
    const inTime = checkComplaintFiling({
      filedAt: endOf("2026-11-13"),
      knownAt: sh("2026-11-01T10:00"),
      matter: "tender-documents",
      objection,
    });
    expect(inTime).toMatchObject({ ok: true, value: { filingDeadline: { value: endOf("2026-11-13") } } });
    const late = checkComplaintFiling({
      filedAt: sh("2026-11-14T00:00"),
      knownAt: sh("2026-11-01T10:00"),
      matter: "tender-documents",
      objection,
    });
    expect(late).toMatchObject({ ok: false, error: { code: "COMPLAINT.TOO_LATE", article: "Regs Art 60" } });
    const other = checkComplaintFiling({
      filedAt: sh("2026-11-12T10:00"),
      knownAt: sh("2026-11-01T10:00"),
      matter: "other",
      objection: null,
    });
    expect(other.ok).toBe(false);
  });

  it("Regs Art 22: an objection against the documents closes 10 days before the deadline", () => {
    const rules = defaultProcedureRules("works", true);
    const deadline = sh("2026-10-20T09:30");
    expect(checkDocumentObjection({ target: "tender-documents", raisedAt: sh("2026-10-10T09:30"), deadline, rules }).ok).toBe(
      true,
    );
    expect(
      checkDocumentObjection({ target: "tender-documents", raisedAt: sh("2026-10-10T09:31"), deadline, rules }),
    ).toMatchObject({ ok: false, error: { code: "OBJECTION.TOO_LATE" } });
  });
});
