import fc from "fast-check";
import {
  addDays,
  addWorkingDays,
  dayStatus,
  daysBetween,
  endOfShanghaiDay,
  fullDaysBetween,
  isYearPublished,
  nextWorkingDayOnOrAfter,
  parseLocalDate,
  shanghaiDate,
  startOfShanghaiDay,
  workingDaysBetween,
} from "./calendar";

describe("Asia/Shanghai dates (all calendar-day rules count local dates)", () => {
  it("Civil Code Art 201: an instant's date is its UTC+8 date", () => {
    expect(shanghaiDate(new Date("2025-03-01T15:59:59Z"))).toBe("2025-03-01");
    expect(shanghaiDate(new Date("2025-03-01T16:00:00Z"))).toBe("2025-03-02");
    expect(startOfShanghaiDay("2025-03-02").toISOString()).toBe("2025-03-01T16:00:00.000Z");
    expect(endOfShanghaiDay("2025-03-02").toISOString()).toBe("2025-03-02T15:59:59.999Z");
  });

  it("Civil Code Art 201: counts days across month and leap-year ends", () => {
    expect(addDays("2024-02-28", 1)).toBe("2024-02-29");
    expect(addDays("2025-12-31", 1)).toBe("2026-01-01");
    expect(daysBetween("2025-03-01", "2025-03-21")).toBe(20);
    expect(fullDaysBetween("2025-03-01", "2025-03-21")).toBe(19);
    expect(fullDaysBetween("2025-03-21", "2025-03-01")).toBe(0);
  });

  it("Civil Code Art 201: parseLocalDate refuses malformed and impossible dates", () => {
    expect(parseLocalDate("2025-02-28")).toEqual({ ok: true, value: "2025-02-28" });
    for (const bad of ["2025-02-30", "2025-2-1", "20250201", "2025-13-01"]) {
      const result = parseLocalDate(bad);
      expect(result.ok ? "" : result.error.code).toBe("CALENDAR.INVALID_DATE");
    }
  });

  it("Civil Code Art 201: day arithmetic is consistent for any date", () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date("2000-01-01"), max: new Date("2100-01-01"), noInvalidDate: true }),
        fc.integer({ min: -400, max: 400 }),
        (d, n) => {
          const date = shanghaiDate(d);
          return daysBetween(date, addDays(date, n)) === n && shanghaiDate(startOfShanghaiDay(date)) === date;
        },
      ),
    );
  });
});

describe("working-day calendar from the State Council's published holidays (Regs Art 61)", () => {
  it("Regs Art 61: knows holidays and adjusted working weekends (调休) of 2025", () => {
    expect(dayStatus("2025-01-26")).toMatchObject({ working: true, kind: "adjusted-workday", name: "春节", provisional: false });
    expect(dayStatus("2025-01-28")).toMatchObject({ working: false, kind: "holiday", name: "春节" });
    expect(dayStatus("2025-03-08")).toMatchObject({ working: false, kind: "weekend" });
    expect(dayStatus("2025-03-10")).toMatchObject({ working: true, kind: "workday" });
  });

  it("Regs Art 61: counts working days across the 2025 Spring Festival", () => {
    expect(addWorkingDays("2025-01-24", 3)).toEqual({ value: "2025-02-05", provisional: false, provisionalYears: [] });
    expect(addWorkingDays("2025-01-24", 0).value).toBe("2025-01-24");
    expect(workingDaysBetween("2025-01-24", "2025-02-05").value).toBe(3);
    expect(nextWorkingDayOnOrAfter("2025-10-01").value).toBe("2025-10-09");
  });

  it("Regs Art 61: 2027 is not yet published, so results touching it are provisional", () => {
    expect(isYearPublished(2026)).toBe(true);
    expect(isYearPublished(2027)).toBe(false);
    expect(dayStatus("2027-01-01")).toMatchObject({ working: true, provisional: true });
    expect(addWorkingDays("2026-12-30", 3)).toEqual({ value: "2027-01-04", provisional: true, provisionalYears: [2027] });
  });

  it("Regs Art 61: years outside the data (2019, 2028) are provisional too, never silently weekends-only", () => {
    expect(dayStatus("2019-06-03").provisional).toBe(true);
    expect(workingDaysBetween("2028-01-01", "2028-01-10")).toMatchObject({ provisional: true, provisionalYears: [2028] });
    expect(nextWorkingDayOnOrAfter("2019-12-28")).toEqual({ value: "2019-12-30", provisional: true, provisionalYears: [2019] });
  });

  it("Regs Art 61: uses the 2023 file's entries that fall in late 2022", () => {
    expect(dayStatus("2022-12-31").kind).toBe("holiday");
  });
});
