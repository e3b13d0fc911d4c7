import { z } from "zod";
import { nowMs } from "../../platform/clock.server.ts";
import { defineJob } from "../../platform/jobs/define.ts";
import { enqueueJob } from "../../platform/jobs/queues.server.ts";
import { dueDraws, expireInvitations, runDraw } from "./draw.server.ts";

/**
 * The draw runs as a delayed job at its time (one per request, jobId `draw:<request>`); a sweep
 * every 30 s runs any draw a lost Redis forgot and times out invitations whose window passed
 * (windows are at least 5 minutes; answers after the window are refused on their own).
 */
export const expertDrawJob = defineJob({
  name: "experts.draw",
  payload: z.object({ requestId: z.string().uuid() }),
  async handler({ requestId }) {
    return runDraw(requestId);
  },
});

export const expertSweepJob = defineJob({
  name: "experts.sweep",
  payload: z.object({ reason: z.enum(["schedule", "manual"]).default("schedule") }),
  schedule: { everyMs: () => 30_000, payload: { reason: "schedule" } },
  async handler() {
    let drawn = 0;
    for (const id of await dueDraws()) {
      try {
        if ((await runDraw(id)).drawn) drawn++;
      } catch (error) {
        console.error(`experts sweep: draw ${id} failed`, error);
      }
    }
    return { drawn, expired: await expireInvitations() };
  },
});

/** Schedules the draw; if Redis is down the sweep still runs it, so a failure is logged only. */
export async function scheduleDraw(requestId: string, drawAt: Date): Promise<void> {
  try {
    await enqueueJob(
      expertDrawJob,
      { requestId },
      { delay: Math.max(0, drawAt.getTime() - nowMs()), jobId: `draw:${requestId}` },
    );
  } catch (error) {
    console.error(`could not schedule draw ${requestId}; the sweep will run it`, error);
  }
}
