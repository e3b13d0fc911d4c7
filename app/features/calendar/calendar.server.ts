import { z } from "zod";
import {
  buildCalendar,
  parseCalendarNotice,
  SHIPPED_CALENDAR_YEARS,
  type CalendarDay,
  type CalendarYear,
  type WorkingCalendar,
} from "../../../bidding-core/index";
import { appendAudit } from "../../platform/audit/audit.server.ts";
import { AUDIT_SUBJECT } from "../../platform/audit/subjects.ts";
import { now } from "../../platform/clock.server.ts";
import { refusalFromDomain, type Outcome } from "../../platform/refusal.ts";
import { db } from "../../platform/db.server.ts";

/**
 * The working-day calendar kept by the trading centre (docs/decisions/110): the shipped
 * holiday-cn data, with every year the admin entered replacing the shipped one. Read afresh on
 * every use (a handful of rows), so every process counts on the same calendar.
 */

const StoredDays = z.array(z.object({ date: z.string(), isOffDay: z.boolean(), name: z.string() }));

export interface EnteredYear extends CalendarYear {
  readonly reference: string;
  readonly enteredAt: Date;
}

async function enteredYears(): Promise<EnteredYear[]> {
  const rows = await db().calendarYear.findMany({
    orderBy: { year: "asc" },
    select: { year: true, reference: true, days: true, enteredAt: true },
  });
  return rows.map((r) => ({
    year: r.year,
    reference: r.reference,
    enteredAt: r.enteredAt,
    days: StoredDays.parse(r.days) as CalendarDay[],
  }));
}

/** The calendar every deadline is counted on. */
export async function loadCalendar(): Promise<WorkingCalendar> {
  return buildCalendar([...SHIPPED_CALENDAR_YEARS, ...(await enteredYears())]);
}

export type YearSource = "entered" | "shipped" | "provisional";

export interface YearOverview {
  year: number;
  source: YearSource;
  reference: string | null;
  enteredAt: string | null;
  holidays: number;
  adjustedWorkdays: number;
  days: CalendarDay[];
}

/** The years the admin page shows: every shipped year, every entered one, and the next two. */
export async function calendarOverview(today = now()): Promise<YearOverview[]> {
  const entered = await enteredYears();
  const thisYear = Number(today.toISOString().slice(0, 4));
  const years = new Set<number>([
    ...SHIPPED_CALENDAR_YEARS.map((y) => y.year),
    ...entered.map((y) => y.year),
    thisYear,
    thisYear + 1,
    thisYear + 2,
  ]);
  return [...years]
    .filter((y) => y >= thisYear - 1)
    .sort((a, b) => a - b)
    .map((year) => {
      const own = entered.find((y) => y.year === year);
      const shipped = SHIPPED_CALENDAR_YEARS.find((y) => y.year === year && y.days.length > 0);
      const days = [...(own?.days ?? shipped?.days ?? [])];
      return {
        year,
        source: own ? "entered" : shipped ? "shipped" : "provisional",
        reference: own?.reference ?? null,
        enteredAt: own?.enteredAt.toISOString() ?? null,
        holidays: days.filter((d) => d.isOffDay).length,
        adjustedWorkdays: days.filter((d) => !d.isOffDay).length,
        days,
      };
    });
}

export const CalendarYearFormSchema = z.object({
  year: z.coerce.number().int(),
  reference: z.string().max(500).default(""),
  days: z.string().max(100_000).default(""),
});

export type SaveYearResult = Outcome<{ year: number; days: number }>;

/**
 * Enters (or replaces) a year's notice. A notice whose days do not parse is refused whole and
 * the refusal audited; an accepted one is stored with its audit entry in one transaction. The
 * caller then recomputes the open clocks (features/clocks `recomputeOpenClocks`).
 */
export async function saveCalendarYear(actorId: string, input: z.infer<typeof CalendarYearFormSchema>): Promise<SaveYearResult> {
  const parsed = parseCalendarNotice({ year: input.year, reference: input.reference, text: input.days });
  if (!parsed.ok) {
    await appendAudit({
      actorId,
      action: "calendar.year_refused",
      subjectType: AUDIT_SUBJECT.CalendarYear,
      subjectId: String(input.year),
      data: { year: input.year, ...parsed.error.params },
    });
    return refusalFromDomain(parsed.error, "tender.errors", 400);
  }
  const { year, reference, days } = parsed.value;
  const at = now();
  await db().$transaction(async (tx) => {
    const previous = await tx.calendarYear.findUnique({ where: { year }, select: { reference: true } });
    const data = { reference, days: days.map((d) => ({ ...d })), enteredById: actorId, enteredAt: at };
    await tx.calendarYear.upsert({ where: { year }, create: { year, ...data }, update: data });
    await appendAudit(
      {
        actorId,
        action: "calendar.year_entered",
        subjectType: AUDIT_SUBJECT.CalendarYear,
        subjectId: String(year),
        data: {
          year,
          reference,
          replaced: previous?.reference ?? null,
          holidays: days.filter((d) => d.isOffDay).map((d) => d.date),
          adjustedWorkdays: days.filter((d) => !d.isOffDay).map((d) => d.date),
        },
      },
      tx,
    );
  });
  return { ok: true, value: { year, days: days.length } };
}
