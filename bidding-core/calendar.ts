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

const PUBLISHED_YEARS: ReadonlySet<number> = new Set(
  HOLIDAY_FILES.filter((file) => file.days.length > 0).map((file) => file.year),
);

/** date → the published entry; a later file's entry (e.g. 2023's view of 2022-12-31) agrees. */
const SPECIAL_DAYS: ReadonlyMap<string, { name: string; isOffDay: boolean }> = new Map(
  HOLIDAY_FILES.flatMap((file) => file.days.map((day) => [day.date, day] as const)),
);

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

/** True when the State Council's holiday arrangement for `year` is in the data. */
export function isYearPublished(year: number): boolean {
  return PUBLISHED_YEARS.has(year);
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

export function dayStatus(date: LocalDate): DayStatus {
  const provisional = !isYearPublished(yearOf(date));
  const special = SPECIAL_DAYS.get(date);
  if (special) {
    const kind = special.isOffDay ? "holiday" : "adjusted-workday";
    return { date, working: !special.isOffDay, kind, name: special.name, provisional };
  }
  const weekday = new Date(epochDay(date) * DAY_MS).getUTCDay();
  const weekend = weekday === 0 || weekday === 6;
  return { date, working: !weekend, kind: weekend ? "weekend" : "workday", provisional };
}

/** A calendar answer that may rest on unpublished years. */
export interface CalendarResult<T> {
  readonly value: T;
  readonly provisional: boolean;
  /** Years whose holiday arrangement was not yet published, ascending. */
  readonly provisionalYears: readonly number[];
}

function calendarResult<T>(value: T, datesSeen: readonly LocalDate[]): CalendarResult<T> {
  const years = [...new Set(datesSeen.map(yearOf))].filter((y) => !isYearPublished(y));
  years.sort((a, b) => a - b);
  return { value, provisional: years.length > 0, provisionalYears: years };
}

/**
 * The date `count` working days after `from` (from itself not counted, per Civil Code Art 201).
 * count = 0 returns `from`.
 */
export function addWorkingDays(from: LocalDate, count: number): CalendarResult<LocalDate> {
  const seen: LocalDate[] = [from];
  let date = from;
  let remaining = count;
  while (remaining > 0) {
    date = addDays(date, 1);
    seen.push(date);
    if (dayStatus(date).working) remaining -= 1;
  }
  return calendarResult(date, seen);
}

/** The first working day on or after `date`. */
export function nextWorkingDayOnOrAfter(date: LocalDate): CalendarResult<LocalDate> {
  const seen: LocalDate[] = [date];
  let current = date;
  while (!dayStatus(current).working) {
    current = addDays(current, 1);
    seen.push(current);
  }
  return calendarResult(current, seen);
}

/** Working days in (from, to]: from excluded, to included. */
export function workingDaysBetween(from: LocalDate, to: LocalDate): CalendarResult<number> {
  const seen: LocalDate[] = [from];
  let count = 0;
  for (let date = addDays(from, 1); daysBetween(date, to) >= 0; date = addDays(date, 1)) {
    seen.push(date);
    if (dayStatus(date).working) count += 1;
  }
  return calendarResult(count, seen);
}
