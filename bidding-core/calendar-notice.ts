import { addDays, daysBetween, parseLocalDate, yearOf, type CalendarDay, type CalendarYear, type LocalDate } from "./calendar";
import { err, ok, type Result } from "./errors";

/**
 * A year's holiday notice as the trading centre enters it (docs/decisions/110). Two forms:
 * the holiday-cn JSON file (`{ "year": 2027, "days": [{ "name", "date", "isOffDay" }] }`) or
 * one line per day or range, `2027-10-01~2027-10-07 休 国庆节` / `2027-09-26 班 国庆节`
 * (休/off = holiday, 班/work = adjusted working day). Anything that does not parse refuses the
 * whole year, naming the line: a half-read notice would silently miscount statutory periods.
 */

export type CalendarNoticeProblem =
  | "empty"
  | "bad-json"
  | "year-mismatch"
  | "bad-line"
  | "bad-date"
  | "outside-year"
  | "bad-kind"
  | "duplicate-date"
  | "no-holiday"
  | "range-too-long"
  | "missing-reference"
  | "bad-year";

const KINDS: Readonly<Record<string, boolean>> = { 休: true, off: true, holiday: true, 班: false, work: false, workday: false };
const LINE = /^(\S+?)(?:\s*[~～至]\s*(\S+))?\s+(\S+)\s+(.+)$/u;
const MAX_RANGE_DAYS = 14;

function refuse(problem: CalendarNoticeProblem, line = 0, text = ""): Result<never> {
  return err("CALENDAR.YEAR_INVALID", { problem, line, text: text.slice(0, 80) });
}

/** Parses and checks a year's notice. `reference` is the notice's 文号 or address. */
export function parseCalendarNotice(input: {
  readonly year: number;
  readonly reference: string;
  readonly text: string;
}): Result<CalendarYear & { readonly reference: string }> {
  if (!Number.isInteger(input.year) || input.year < 2000 || input.year > 2100) return refuse("bad-year", 0, String(input.year));
  const reference = input.reference.trim();
  if (!reference) return refuse("missing-reference");
  const text = input.text.trim();
  if (!text) return refuse("empty");
  const days = text.startsWith("{") ? fromJson(text, input.year) : fromLines(text);
  if (!days.ok) return days;
  const checked = checkDays(input.year, days.value);
  if (!checked.ok) return checked;
  return ok({ year: input.year, reference, days: days.value });
}

function fromJson(text: string, year: number): Result<CalendarDay[]> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return refuse("bad-json");
  }
  const file = parsed as { year?: unknown; days?: unknown };
  if (typeof file !== "object" || file === null || !Array.isArray(file.days)) return refuse("bad-json");
  if (file.year !== undefined && file.year !== year) return refuse("year-mismatch", 0, String(file.year));
  const days: CalendarDay[] = [];
  for (const [i, raw] of (file.days as unknown[]).entries()) {
    const day = raw as { date?: unknown; isOffDay?: unknown; name?: unknown };
    if (typeof day?.date !== "string" || typeof day.isOffDay !== "boolean" || typeof day.name !== "string")
      return refuse("bad-line", i + 1, JSON.stringify(raw) ?? "");
    const date = parseLocalDate(day.date);
    if (!date.ok) return refuse("bad-date", i + 1, day.date);
    days.push({ date: date.value, isOffDay: day.isOffDay, name: day.name.trim() || "—" });
  }
  return ok(days);
}

function fromLines(text: string): Result<CalendarDay[]> {
  const days: CalendarDay[] = [];
  for (const [i, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trim();
    if (!line || line.startsWith("#")) continue;
    const match = LINE.exec(line);
    if (!match) return refuse("bad-line", i + 1, line);
    const [, fromText, toText, kindText, name] = match as unknown as [string, string, string | undefined, string, string];
    const from = parseLocalDate(fromText);
    const to = parseLocalDate(toText ?? fromText);
    if (!from.ok || !to.ok) return refuse("bad-date", i + 1, line);
    const isOffDay = KINDS[kindText.toLowerCase()];
    if (isOffDay === undefined) return refuse("bad-kind", i + 1, line);
    const span = daysBetween(from.value, to.value);
    if (span < 0 || span >= MAX_RANGE_DAYS) return refuse("range-too-long", i + 1, line);
    for (let n = 0; n <= span; n += 1) days.push({ date: addDays(from.value, n), isOffDay, name: name.trim() });
  }
  return ok(days);
}

function checkDays(year: number, days: readonly CalendarDay[]): Result<true> {
  const seen = new Set<LocalDate>();
  for (const day of days) {
    if (yearOf(day.date) !== year) return refuse("outside-year", 0, day.date);
    if (seen.has(day.date)) return refuse("duplicate-date", 0, day.date);
    seen.add(day.date);
  }
  if (!days.some((d) => d.isOffDay)) return refuse("no-holiday");
  return ok(true);
}
