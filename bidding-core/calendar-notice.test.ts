import { buildCalendar, SHIPPED_CALENDAR_YEARS, addWorkingDays, dayStatus } from "./calendar";
import { parseCalendarNotice } from "./calendar-notice";
import { complaintAcceptanceDue } from "./deadlines";

// The 2027 arrangement as an admin might type it (dates illustrative: the real notice is not out).
const NOTICE_2027 = [
  "2027-01-01~2027-01-03 休 元旦",
  "2027-02-06~2027-02-12 休 春节",
  "2027-02-14 班 春节",
  "# comments and blank lines are ignored",
  "",
  "2027-10-01~2027-10-07 休 国庆节",
  "2027-09-26 班 国庆节",
].join("\n");

const sh = (local: string) => new Date(`${local}:00+08:00`);

describe("a year's holiday notice entered by the trading centre", () => {
  it("Civil Code Art 203: parses day and range lines into holidays and adjusted working days", () => {
    const result = parseCalendarNotice({ year: 2027, reference: "国办发明电〔2026〕7号", text: NOTICE_2027 });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.days).toHaveLength(3 + 7 + 1 + 7 + 1);
    expect(result.value.days).toContainEqual({ date: "2027-02-14", isOffDay: false, name: "春节" });
  });

  it("Civil Code Art 203: accepts the holiday-cn JSON form of the same notice", () => {
    const json = JSON.stringify({ year: 2027, days: [{ name: "元旦", date: "2027-01-01", isOffDay: true }] });
    const result = parseCalendarNotice({ year: 2027, reference: "https://www.gov.cn/x", text: json });
    expect(result).toMatchObject({ ok: true, value: { year: 2027, days: [{ date: "2027-01-01", isOffDay: true }] } });
  });

  it("Civil Code Art 203: refuses a year whose days do not parse, naming the line", () => {
    const cases: [string, string, number][] = [
      ["2027-02-30 休 春节", "bad-date", 1],
      ["2027-01-01 休 元旦\n2027-13-01 休 x", "bad-date", 2],
      ["2027-01-01 rest 元旦", "bad-kind", 1],
      ["2027-01-01", "bad-line", 1],
      ["2026-12-31 休 元旦", "outside-year", 0],
      ["2027-01-01 休 元旦\n2027-01-01 班 元旦", "duplicate-date", 0],
      ["2027-02-14 班 春节", "no-holiday", 0],
      ["2027-01-01~2027-03-01 休 x", "range-too-long", 1],
      ['{"year": 2026, "days": []}', "year-mismatch", 0],
      ["{not json", "bad-json", 0],
      ["  ", "empty", 0],
    ];
    for (const [text, problem, line] of cases) {
      const result = parseCalendarNotice({ year: 2027, reference: "ref", text });
      expect(result.ok ? null : result.error).toMatchObject({ code: "CALENDAR.YEAR_INVALID", params: { problem, line } });
    }
    expect(parseCalendarNotice({ year: 2027, reference: " ", text: NOTICE_2027 })).toMatchObject({
      ok: false,
      error: { params: { problem: "missing-reference" } },
    });
    expect(parseCalendarNotice({ year: 1999, reference: "r", text: NOTICE_2027 })).toMatchObject({
      ok: false,
      error: { params: { problem: "bad-year" } },
    });
  });

  it("Regs Art 61: an entered 2027 ends the provisional status and moves the acceptance deadline past New Year", () => {
    const parsed = parseCalendarNotice({ year: 2027, reference: "ref", text: NOTICE_2027 });
    if (!parsed.ok) throw new Error("notice did not parse");
    const calendar = buildCalendar([...SHIPPED_CALENDAR_YEARS, parsed.value]);
    // Received Wed 2026-12-30: working days Thu 31, (1-3 Jan holiday), Mon 4, Tue 5.
    const received = sh("2026-12-30T16:00");
    const entered = complaintAcceptanceDue(received, calendar);
    expect(entered).toMatchObject({ provisional: false, provisionalYears: [] });
    expect(entered.value.toISOString()).toBe(sh("2027-01-05T23:59").toISOString().replace(":00.000Z", ":59.999Z"));
    // On the shipped data 2027 is unpublished: weekends only (Fri 1 Jan counted), provisional.
    const shipped = complaintAcceptanceDue(received);
    expect(shipped).toMatchObject({ provisional: true, provisionalYears: [2027] });
    expect(shipped.value.getTime()).toBeLessThan(entered.value.getTime());
    expect(dayStatus("2027-02-14", calendar)).toMatchObject({ working: true, kind: "adjusted-workday", provisional: false });
    expect(addWorkingDays("2027-02-05", 1, calendar).value).toBe("2027-02-14");
  });

  it("Civil Code Art 203: an entered year replaces that year's shipped entries only", () => {
    const only2026 = buildCalendar([
      ...SHIPPED_CALENDAR_YEARS,
      { year: 2026, days: [{ date: "2026-03-02", isOffDay: true, name: "测试" }] },
    ]);
    expect(dayStatus("2026-10-01", only2026)).toMatchObject({ working: true, kind: "workday" });
    expect(dayStatus("2026-03-02", only2026)).toMatchObject({ working: false, kind: "holiday" });
    expect(dayStatus("2025-10-01", only2026)).toMatchObject({ working: false, kind: "holiday" });
  });
});
