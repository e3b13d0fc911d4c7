// What routes and other features may use of features/calendar (lint: eslint/depcruise boundaries). Import nothing deeper.
export {
  calendarOverview,
  CalendarYearFormSchema,
  loadCalendar,
  saveCalendarYear,
  type SaveYearResult,
  type YearOverview,
} from "./calendar.server.ts";
