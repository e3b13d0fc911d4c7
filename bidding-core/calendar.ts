import y2020 from "./data/holiday-cn/2020.json";
import y2021 from "./data/holiday-cn/2021.json";
import y2022 from "./data/holiday-cn/2022.json";
import y2023 from "./data/holiday-cn/2023.json";
import y2024 from "./data/holiday-cn/2024.json";
import y2025 from "./data/holiday-cn/2025.json";
import y2026 from "./data/holiday-cn/2026.json";
import y2027 from "./data/holiday-cn/2027.json";
import { err, ok, type Result } from "./errors";

/**
 * Mainland China calendar. All calendar-day rules are counted in Asia/Shanghai local dates
 * (UTC+8, no daylight saving since 1991), so a local date is the UTC date of `instant + 8 h`.
 * Working days come from the State Council's published holidays and adjusted working weekends
 * (调休), loaded from data (NateScarlet/holiday-cn, MIT) — never guessed. A year without
 * published data is reported as provisional (weekends-only guess) so the caller can say so.
 */

/** An Asia/Shanghai calendar date, "YYYY-MM-DD". */
export type LocalDate = string;

const DAY_MS = 86_400_000;
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

interface HolidayFile {
  readonly year: number;
  readonly days: readonly { readonly name: string; readonly date: string; readonly isOffDay: boolean }[];
}

const HOLIDAY_FILES: readonly HolidayFile[] = [y2020, y2021, y2022, y2023, y2024, y2025, y2026, y2027];

function epochDay(date: LocalDate): number {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  return Date.UTC(y, m - 1, d) / DAY_MS;
}

function fromEpochDay(day: number): LocalDate {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** Validates "YYYY-MM-DD" and that the day exists (no 2025-02-30). */
export function parseLocalDate(text: string): Result<LocalDate> {
  const match = DATE_PATTERN.exec(text);
  if (!match || fromEpochDay(epochDay(text)) !== text) return err("CALENDAR.INVALID_DATE", { text });
  return ok(text);
}

/** The Asia/Shanghai calendar date of an instant. */
export function shanghaiDate(instant: Date): LocalDate {
  return new Date(instant.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/** The instant at which a Shanghai date begins (00:00 UTC+8). */
export function startOfShanghaiDay(date: LocalDate): Date {
  return new Date(epochDay(date) * DAY_MS - SHANGHAI_OFFSET_MS);
}

/** The last millisecond of a Shanghai date (23:59:59.999 UTC+8). */
export function endOfShanghaiDay(date: LocalDate): Date {
  return new Date(startOfShanghaiDay(addDays(date, 1)).getTime() - 1);
}

export function addDays(date: LocalDate, days: number): LocalDate {
  return fromEpochDay(epochDay(date) + days);
}

/** Calendar days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: LocalDate, to: LocalDate): number {
  return epochDay(to) - epochDay(from);
}

/** Whole calendar days strictly between two dates: neither end day counts. */
export function fullDaysBetween(from: LocalDate, to: LocalDate): number {
  return Math.max(0, daysBetween(from, to) - 1);
}

export function yearOf(date: LocalDate): number {
  return Number(date.slice(0, 4));
}

export type DayKind = "workday" | "weekend" | "holiday" | "adjusted-workday";

export interface DayStatus {
  readonly date: LocalDate;
  readonly working: boolean;
  readonly kind: DayKind;
  /** The festival's name for holidays and adjusted working days (e.g. 春节). */
  readonly name?: string;
  /** True when the year's arrangement is not published: weekends-only guess. */
  readonly provisional: boolean;
}

/** A calendar answer that may rest on unpublished years. */
export interface CalendarResult<T> {
  readonly value: T;
  readonly provisional: boolean;
  /** Years whose holiday arrangement was not yet published, ascending. */
  readonly provisionalYears: readonly number[];
}

/** One listed day of a year's State Council notice: a holiday or an adjusted working day (调休). */
export interface CalendarDay {
  readonly date: LocalDate;
  readonly isOffDay: boolean;
  readonly name: string;
}

/** A year's holiday arrangement as published (国务院办公厅关于××年部分节假日安排的通知). */
export interface CalendarYear {
  readonly year: number;
  readonly days: readonly CalendarDay[];
}

/**
 * The working-day calendar: the shipped data plus the years the trading centre entered
 * (docs/decisions/110). Pure: built from data, asked about dates.
 */
export interface WorkingCalendar {
  readonly publishedYears: readonly number[];
  isYearPublished(year: number): boolean;
  dayStatus(date: LocalDate): DayStatus;
}

/**
 * Builds a calendar from year files. A later year in the list replaces an earlier one's
 * entries dated in that year (an entered year replaces the shipped file); entries a file lists
 * for a neighbouring year (2023.json lists 2022-12-31) are honoured unless that year is replaced.
 */
export function buildCalendar(years: readonly CalendarYear[]): WorkingCalendar {
  const special = new Map<LocalDate, { name: string; isOffDay: boolean }>();
  const published = new Set<number>();
  for (const file of years) {
    if (file.days.length === 0) continue;
    for (const date of [...special.keys()]) if (yearOf(date) === file.year) special.delete(date);
    for (const day of file.days) special.set(day.date, { name: day.name, isOffDay: day.isOffDay });
    published.add(file.year);
  }
  const publishedYears = [...published].sort((a, b) => a - b);
  return {
    publishedYears,
    isYearPublished: (year) => published.has(year),
    dayStatus(date) {
      const provisional = !published.has(yearOf(date));
      const entry = special.get(date);
      if (entry) {
        const kind = entry.isOffDay ? "holiday" : "adjusted-workday";
        return { date, working: !entry.isOffDay, kind, name: entry.name, provisional };
      }
      const weekend = isWeekend(date);
      return { date, working: !weekend, kind: weekend ? "weekend" : "workday", provisional };
    },
  };
}

function isWeekend(date: LocalDate): boolean {
  const weekday = new Date(epochDay(date) * DAY_MS).getUTCDay();
  return weekday === 0 || weekday === 6;
}

/** The calendar of the shipped holiday-cn data only (decision 021). */
export const SHIPPED_CALENDAR_YEARS: readonly CalendarYear[] = HOLIDAY_FILES;
export const SHIPPED_CALENDAR: WorkingCalendar = buildCalendar(HOLIDAY_FILES);

/** True when the State Council's holiday arrangement for `year` is in the data. */
export function isYearPublished(year: number, calendar: WorkingCalendar = SHIPPED_CALENDAR): boolean {
  return calendar.isYearPublished(year);
}

export function dayStatus(date: LocalDate, calendar: WorkingCalendar = SHIPPED_CALENDAR): DayStatus {
  return calendar.dayStatus(date);
}

function calendarResult<T>(value: T, datesSeen: readonly LocalDate[], calendar: WorkingCalendar): CalendarResult<T> {
  const years = [...new Set(datesSeen.map(yearOf))].filter((y) => !calendar.isYearPublished(y));
  years.sort((a, b) => a - b);
  return { value, provisional: years.length > 0, provisionalYears: years };
}

/**
 * The date `count` working days after `from` (from itself not counted, per Civil Code Art 201).
 * count = 0 returns `from`.
 */
export function addWorkingDays(
  from: LocalDate,
  count: number,
  calendar: WorkingCalendar = SHIPPED_CALENDAR,
): CalendarResult<LocalDate> {
  const seen: LocalDate[] = [from];
  let date = from;
  let remaining = count;
  while (remaining > 0) {
    date = addDays(date, 1);
    seen.push(date);
    if (calendar.dayStatus(date).working) remaining -= 1;
  }
  return calendarResult(date, seen, calendar);
}

/** The first working day on or after `date`. */
export function nextWorkingDayOnOrAfter(
  date: LocalDate,
  calendar: WorkingCalendar = SHIPPED_CALENDAR,
): CalendarResult<LocalDate> {
  const seen: LocalDate[] = [date];
  let current = date;
  while (!calendar.dayStatus(current).working) {
    current = addDays(current, 1);
    seen.push(current);
  }
  return calendarResult(current, seen, calendar);
}

/** Working days in (from, to]: from excluded, to included. */
export function workingDaysBetween(
  from: LocalDate,
  to: LocalDate,
  calendar: WorkingCalendar = SHIPPED_CALENDAR,
): CalendarResult<number> {
  const seen: LocalDate[] = [from];
  let count = 0;
  for (let date = addDays(from, 1); daysBetween(date, to) >= 0; date = addDays(date, 1)) {
    seen.push(date);
    if (calendar.dayStatus(date).working) count += 1;
  }
  return calendarResult(count, seen, calendar);
}
