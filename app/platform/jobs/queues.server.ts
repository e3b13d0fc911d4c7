import Queue from "bull";
import type { z } from "zod";
import { createRedis } from "../redis.server.ts";
import type { RunnableJob } from "./define.ts";

// The jobs client: builds one bull queue per job definition (a queue per job keeps retries and
// metrics separate). It knows no job: features define theirs (`*.jobs.server.ts`) and
// services/jobs.server.ts hands the list to startJobWorkers.

const queues = new Map<string, Queue.Queue>();

function queue(name: string): Queue.Queue {
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

/** Validates the payload against the job's schema at the boundary, then enqueues it. */
export async function enqueueJob<S extends z.ZodTypeAny>(
  job: RunnableJob<S>,
  payload: z.input<S>,
  options: Queue.JobOptions = {},
): Promise<Queue.Job> {
  const data: unknown = job.payload.parse(payload);
  return queue(job.name).add(data, options);
}

/** Starts the processor of every job in the list, then the schedules of the repeating ones. */
export async function startJobWorkers(jobs: readonly RunnableJob[]): Promise<void> {
  for (const def of jobs) {
    void queue(def.name).process(def.concurrency, (job) => def.run(job.data));
  }
  for (const def of jobs) {
    if (!def.schedule) continue;
    await queue(def.name).add(def.schedule.payload, { repeat: { every: def.schedule.everyMs() }, jobId: `${def.name}.repeat` });
  }
}

export async function closeQueues(): Promise<void> {
  await Promise.allSettled([...queues.values()].map((q) => q.close()));
  queues.clear();
}
