import { db } from "./db.server.ts";
import { env } from "./env.server.ts";
import { redis } from "./redis.server.ts";

export type HealthState = "ok" | "down";

/**
 * What the public /healthz shows: a state per dependency, nothing else (issue 11, item 7). Error
 * texts, versions, hosts and timings stay in the server's log, written when a state changes.
 */
export interface HealthReport {
  status: HealthState;
  checks: Record<string, HealthState>;
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: no answer in ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

const lastState = new Map<string, HealthState>();

async function check(name: string, probe: () => Promise<unknown>): Promise<readonly [string, HealthState]> {
  let state: HealthState = "ok";
  let detail = "";
  try {
    await withTimeout(probe(), 2000, name);
  } catch (error) {
    state = "down";
    detail = (error as Error).message;
  }
  if (lastState.get(name) !== state) {
    if (state === "down") console.error(`health: ${name} is down: ${detail}`);
    else if (lastState.has(name)) console.log(`health: ${name} is ok again`);
    lastState.set(name, state);
  }
  return [name, state] as const;
}

/** Database, Redis and (when configured) the media server, each with a short time-out. */
export async function healthReport(): Promise<HealthReport> {
  const mediaUrl = env().MEDIA_URL;
  const entries = await Promise.all([
    check("database", () => db().$queryRaw`SELECT 1`),
    check("redis", () => redis().ping()),
    ...(mediaUrl
      ? [
          check("media", async () => {
            const res = await fetch(new URL("/healthz", mediaUrl), { signal: AbortSignal.timeout(2000) });
            if (!res.ok) throw new Error(`media server answered ${res.status}`);
          }),
        ]
      : []),
  ]);
  const checks = Object.fromEntries(entries);
  return { status: Object.values(checks).every((s) => s === "ok") ? "ok" : "down", checks };
}
