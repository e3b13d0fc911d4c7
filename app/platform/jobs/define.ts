import type { z } from "zod";

/** One job: its queue name, the zod schema of its payload, and an idempotent handler. */
export interface JobDefinition<S extends z.ZodTypeAny> {
  name: string;
  payload: S;
  concurrency?: number;
  handler: (payload: z.output<S>) => Promise<unknown>;
}

/** What the queue module needs to run a job without knowing its payload type. */
export interface RunnableJob<S extends z.ZodTypeAny = z.ZodTypeAny> {
  name: string;
  payload: S;
  concurrency: number;
  /** Validates raw queue data at the boundary, then runs the handler. */
  run(data: unknown): Promise<unknown>;
}

export function defineJob<S extends z.ZodTypeAny>(def: JobDefinition<S>): RunnableJob<S> {
  return {
    name: def.name,
    payload: def.payload,
    concurrency: def.concurrency ?? 1,
    async run(data) {
      const parsed = def.payload.safeParse(data);
      if (!parsed.success) throw new Error(`invalid payload for job ${def.name}: ${parsed.error.message}`);
      return def.handler(parsed.data as z.output<S>);
    },
  };
}
