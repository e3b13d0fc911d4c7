import { z } from "zod";
import { defineJob } from "../../platform/jobs/define.ts";
import { nowMs } from "../../platform/clock.server.ts";
import { db } from "../../platform/db.server.ts";
import { hallAccess } from "./access.server.ts";
import { sweepOpenings } from "./session.server.ts";
import { endDecryptionWindow } from "./steps.server.ts";

/**
 * Every 10 s: start the opening session of every tender whose bidding has closed (TBL Art 34),
 * and end every decryption window whose countdown is over. Both moves are idempotent, and the
 * hall page makes the same moves when it loads, so a lost Redis delays nothing a person sees.
 */
export const openingSweepJob = defineJob({
  name: "opening.sweep",
  payload: z.object({ reason: z.enum(["schedule", "manual"]).default("schedule") }),
  schedule: { everyMs: () => 10_000, payload: { reason: "schedule" } },
  async handler() {
    const started = (await sweepOpenings()).filter((o) => o.started).length;
    const due = await db().openingSession.findMany({
      where: { step: "DECRYPTING", windowEndsAt: { lte: new Date(nowMs()) } },
      select: { tenderId: true },
      take: 100,
    });
    let ended = 0;
    for (const s of due) {
      const access = await hallAccess(null, s.tenderId);
      if (access && (await endDecryptionWindow(access, null)).ok) ended++;
    }
    return { started, ended };
  },
});
