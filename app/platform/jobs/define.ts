import type { z } from "zod";

/** A repeating job: how often, and with which payload. */
export interface JobSchedule {
  /** Read when the workers start (it may come from env). */
  everyMs: () => number;
  payload: unknown;
}

/** One job: its queue name, the zod schema of its payload, an idempotent handler and, if it repeats, its schedule. */
export interface JobDefinition<S extends z.ZodTypeAny> {
  name: string;
  payload: S;
  concurrency?: number;
  schedule?: JobSchedule;
  handler: (payload: z.output<S>) => Promise<unknown>;
}

/** What the queue module needs to run a job without knowing its payload type. */
export interface RunnableJob<S extends z.ZodTypeAny = z.ZodTypeAny> {
  name: string;
  payload: S;
  concurrency: number;
  schedule?: JobSchedule;
  /** Validates raw queue data at the boundary, then runs the handler. */
  run(data: unknown): Promise<unknown>;
}

export function defineJob<S extends z.ZodTypeAny>(def: JobDefinition<S>): RunnableJob<S> {
  return {
    name: def.name,
    payload: def.payload,
    concurrency: def.concurrency ?? 1,
    schedule: def.schedule,
    async run(data) {
      const parsed = def.payload.safeParse(data);
      if (!parsed.success) throw new Error(`invalid payload for job ${def.name}: ${parsed.error.message}`);
      return def.handler(parsed.data as z.output<S>);
    },
  };
}
