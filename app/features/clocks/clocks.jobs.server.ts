import { z } from "zod";
import { nowMs } from "../../platform/clock.server.ts";
import { defineJob } from "../../platform/jobs/define.ts";
import { enqueueJob } from "../../platform/jobs/queues.server.ts";
import { loadCalendar } from "../calendar/index.ts";
import { fireClock, fireDueClocks, syncTenderClocks, type ClockTimes } from "./clocks.server.ts";

/**
 * The timers of node control (docs/decisions/111): two delayed jobs per clock and end (warning,
 * alarm), jobId `clock:<id>:<warn|alarm>:<ms>` so a recount schedules new ones and a stale one
 * finds nothing to send. The sweep each minute keeps the tenders' own clocks in step and fires
 * whatever a lost Redis forgot.
 */

export const clockTimerJob = defineJob({
  name: "clocks.timer",
  payload: z.object({ clockId: z.string().uuid(), at: z.enum(["warn", "alarm"]) }),
  async handler({ clockId }) {
    return fireClock(clockId);
  },
});

export const clockSweepJob = defineJob({
  name: "clocks.sweep",
  payload: z.object({ reason: z.enum(["schedule", "manual"]).default("schedule") }),
  schedule: { everyMs: () => 60_000, payload: { reason: "schedule" } },
  async handler() {
    const changed = await syncTenderClocks(await loadCalendar());
    await scheduleClockTimers(changed);
    return { synced: changed.length, ...(await fireDueClocks()) };
  },
});

/** Schedules the warning and the alarm of each clock; Redis being away is logged, the sweep covers it. */
export async function scheduleClockTimers(clocks: readonly ClockTimes[]): Promise<void> {
  for (const c of clocks) {
    for (const [at, when] of [
      ["warn", c.warnAt],
      ["alarm", new Date(c.dueAt.getTime() + 1)],
    ] as const) {
      try {
        await enqueueJob(
          clockTimerJob,
          { clockId: c.id, at },
          { delay: Math.max(0, when.getTime() - nowMs()), jobId: `clock:${c.id}:${at}:${when.getTime()}` },
        );
      } catch (error) {
        console.error(`could not schedule ${at} of clock ${c.id}; the sweep will fire it`, error);
      }
    }
  }
}
