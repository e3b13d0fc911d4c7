// What routes and other features may use of features/clocks (lint: eslint/depcruise boundaries). Import nothing deeper.
export {
  agentUserIds,
  clocksOf,
  fireClock,
  fireDueClocks,
  listOpenClocks,
  openClock,
  pushNotifications,
  rebaseClock,
  recomputeOpenClocks,
  stopClock,
  supervisorUserIds,
  syncTenderClocks,
  writeNotifications,
  type ClockTimes,
  type ClockView,
  type Recomputed,
  type StoredBasis,
} from "./clocks.server.ts";
export { clockSweepJob, clockTimerJob, scheduleClockTimers } from "./clocks.jobs.server.ts";
