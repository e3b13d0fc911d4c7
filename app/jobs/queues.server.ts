import Queue from "bull";
import type { z } from "zod";
import { env } from "../env.server.ts";
import { createRedis } from "../redis.server.ts";
import type { RunnableJob } from "./define.ts";
import { auditCheckpointJob } from "./audit-checkpoint.server.ts";
import { auditVerifyJob } from "./audit-verify.server.ts";
import { cleanupUploadsJob } from "./cleanup-uploads.server.ts";
import { closeBiddingJob, closeBiddingSweepJob } from "./close-bidding.server.ts";

// Every job of the system, in one table. A queue per job keeps retries and metrics separate.
export const jobs = {
  "audit.checkpoint": auditCheckpointJob,
  "audit.verify": auditVerifyJob,
  "bids.cleanup-uploads": cleanupUploadsJob,
  "tender.close-bidding": closeBiddingJob,
  "tender.close-bidding-sweep": closeBiddingSweepJob,
} as const;

export type JobName = keyof typeof jobs;

const queues = new Map<string, Queue.Queue>();

function queue(name: JobName): Queue.Queue {
  let q = queues.get(name);
  if (!q) {
    q = new Queue(name, {
      prefix: "mb",
      // Bull needs its blocking and subscriber connections without per-request retry limits.
      createClient: (type) =>
        type === "client"
          ? createRedis({ maxRetriesPerRequest: 2 })
          : createRedis({ maxRetriesPerRequest: null, enableReadyCheck: false }),
      defaultJobOptions: { attempts: 5, backoff: { type: "exponential", delay: 2000 }, removeOnComplete: 1000 },
    });
    queues.set(name, q);
  }
  return q;
}

/** Validates the payload at the boundary, then enqueues it. */
export async function enqueue<N extends JobName>(
  name: N,
  payload: z.input<(typeof jobs)[N]["payload"]>,
  options: Queue.JobOptions = {},
): Promise<Queue.Job> {
  const data: unknown = jobs[name].payload.parse(payload);
  return queue(name).add(data, options);
}

/** Starts the processors of every job and the repeating schedules. */
export async function startJobWorkers(): Promise<void> {
  for (const [name, def] of Object.entries(jobs) as [JobName, RunnableJob][]) {
    void queue(name).process(def.concurrency, (job) => def.run(job.data));
  }
  await queue("audit.checkpoint").add(
    { reason: "schedule" },
    { repeat: { every: env().AUDIT_CHECKPOINT_EVERY_MS }, jobId: "audit.checkpoint.repeat" },
  );
  await queue("audit.verify").add(
    { reason: "schedule" },
    { repeat: { every: env().AUDIT_VERIFY_EVERY_MS }, jobId: "audit.verify.repeat" },
  );
  await queue("tender.close-bidding-sweep").add(
    { reason: "schedule" },
    { repeat: { every: 60_000 }, jobId: "tender.close-bidding-sweep.repeat" },
  );
  await queue("bids.cleanup-uploads").add(
    { reason: "schedule" },
    { repeat: { every: 3600_000 }, jobId: "bids.cleanup-uploads.repeat" },
  );
}

export async function closeQueues(): Promise<void> {
  await Promise.allSettled([...queues.values()].map((q) => q.close()));
  queues.clear();
}
