import { z } from "zod";
import { defineJob } from "../../platform/jobs/define.ts";
import { openPublishClocks } from "./publicity.server.ts";

/**
 * Every minute: a signed evaluation report opens its tender's `publish-candidates` clock (Regs
 * Art 54: 3 days), counted from when the report was issued. Idempotent; the agent's publicity
 * page makes the same move for its tender when it loads.
 */
export const resultsSweepJob = defineJob({
  name: "results.sweep",
  payload: z.object({ reason: z.enum(["schedule", "manual"]).default("schedule") }),
  schedule: { everyMs: () => 60_000, payload: { reason: "schedule" } },
  async handler() {
    return { opened: (await openPublishClocks()).length };
  },
});
