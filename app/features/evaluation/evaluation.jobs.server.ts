import { z } from "zod";
import { defineJob } from "../../platform/jobs/define.ts";
import { now } from "../../platform/clock.server.ts";
import { db } from "../../platform/db.server.ts";
import { finishIfDue } from "./report.server.ts";

/**
 * Every minute: a drafted report whose signing deadline has passed is issued, anyone silent
 * deemed to agree (Regs Art 53). Idempotent; the room page makes the same move when it loads.
 */
export const evaluationSweepJob = defineJob({
  name: "evaluation.sweep",
  payload: z.object({ reason: z.enum(["schedule", "manual"]).default("schedule") }),
  schedule: { everyMs: () => 60_000, payload: { reason: "schedule" } },
  async handler() {
    const due = await db().evaluationSession.findMany({
      where: { reportSignedAt: null, reportDeadline: { lte: now() } },
      select: { tenderId: true },
      take: 50,
    });
    let issued = 0;
    for (const s of due) if (await finishIfDue(s.tenderId)) issued++;
    return { issued };
  },
});
