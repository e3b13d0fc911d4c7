import type Queue from "bull";
import type { z } from "zod";
import type { RunnableJob } from "../platform/jobs/define.ts";
import { closeQueues, enqueueJob, startJobWorkers as startWorkers } from "../platform/jobs/queues.server.ts";
import { auditCheckpointJob, auditVerifyJob } from "../features/audit/index.ts";
import { cleanupUploadsJob } from "../features/bids/index.ts";
import { expertDrawJob, expertSweepJob } from "../features/experts/index.ts";
import { closeBiddingJob, closeBiddingSweepJob } from "../features/tenders/index.ts";
import { openingSweepJob } from "../features/opening/index.ts";
import { clockSweepJob, clockTimerJob } from "../features/clocks/index.ts";
import { evaluationSweepJob } from "../features/evaluation/index.ts";
import { resultsSweepJob } from "../features/results/index.ts";

// Every job of the system, in one table; each definition lives beside its feature.
export const jobs = {
  "audit.checkpoint": auditCheckpointJob,
  "audit.verify": auditVerifyJob,
  "bids.cleanup-uploads": cleanupUploadsJob,
  "experts.draw": expertDrawJob,
  "experts.sweep": expertSweepJob,
  "tender.close-bidding": closeBiddingJob,
  "tender.close-bidding-sweep": closeBiddingSweepJob,
  "opening.sweep": openingSweepJob,
  "clocks.timer": clockTimerJob,
  "clocks.sweep": clockSweepJob,
  "evaluation.sweep": evaluationSweepJob,
  "results.sweep": resultsSweepJob,
} as const;

export type JobName = keyof typeof jobs;

/** Enqueues a job by name (validated against its schema). Features enqueue through their definition instead. */
export async function enqueue<N extends JobName>(
  name: N,
  payload: z.input<(typeof jobs)[N]["payload"]>,
  options: Queue.JobOptions = {},
): Promise<Queue.Job> {
  return enqueueJob(jobs[name] as RunnableJob, payload, options);
}

/** Starts the processors of every job and the repeating schedules. */
export async function startJobWorkers(): Promise<void> {
  await startWorkers(Object.values(jobs));
}

export { closeQueues };
