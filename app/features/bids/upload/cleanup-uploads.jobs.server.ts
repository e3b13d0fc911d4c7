import { z } from "zod";
import { deleteExpiredUploads } from "./tus-upload.server.ts";
import { defineJob } from "../../../platform/jobs/define.ts";

/**
 * Deletes incomplete bid uploads (ciphertext only) that nobody resumed within a day. Idempotent:
 * a second run finds nothing expired.
 */
export const cleanupUploadsJob = defineJob({
  name: "bids.cleanup-uploads",
  payload: z.object({ reason: z.enum(["schedule", "manual"]).default("schedule") }),
  schedule: { everyMs: () => 3600_000, payload: { reason: "schedule" } },
  async handler() {
    return { deleted: await deleteExpiredUploads() };
  },
});
