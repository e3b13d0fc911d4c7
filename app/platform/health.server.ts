import { db } from "./db.server.ts";
import { env } from "./env.server.ts";
import { redis } from "./redis.server.ts";

export interface HealthReport {
  ok: boolean;
  checks: Record<string, { ok: boolean; ms: number; detail?: string }>;
}

async function timed(fn: () => Promise<unknown>): Promise<{ ok: boolean; ms: number; detail?: string }> {
  const start = performance.now();
  try {
    await fn();
    return { ok: true, ms: Math.round(performance.now() - start) };
  } catch (error) {
    return { ok: false, ms: Math.round(performance.now() - start), detail: (error as Error).message };
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what}: no answer in ${ms} ms`)), ms)),
  ]);
}

/** Database, Redis and (when configured) the media server, each with a short time-out. */
export async function healthReport(): Promise<HealthReport> {
  const mediaUrl = env().MEDIA_URL;
  const entries = await Promise.all([
    timed(() => withTimeout(db().$queryRaw`SELECT 1`, 2000, "database")).then((r) => ["database", r] as const),
    timed(() => withTimeout(redis().ping(), 2000, "redis")).then((r) => ["redis", r] as const),
    ...(mediaUrl
      ? [
          timed(async () => {
            const res = await fetch(new URL("/healthz", mediaUrl), { signal: AbortSignal.timeout(2000) });
            if (!res.ok) throw new Error(`media server answered ${res.status}`);
          }).then((r) => ["media", r] as const),
        ]
      : []),
  ]);
  const checks = Object.fromEntries(entries);
  return { ok: Object.values(checks).every((c) => c.ok), checks };
}
