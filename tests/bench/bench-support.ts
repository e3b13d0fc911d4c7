// What the benchmarks share: commands run in the repository, the schema applied to a bench's own
// database, and a bench's own Redis database emptied.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export function run(cmd: string, args: string[], env: Record<string, string> = {}): void {
  const r = spawnSync(cmd, args, { cwd: root, env: { ...process.env, ...env }, encoding: "utf8" });
  if (r.status !== 0)
    throw new Error(`${cmd} ${args.join(" ")} failed (exit ${r.status ?? r.signal}):\n${r.stdout}\n${r.stderr}`);
}

/** Applies the committed migrations (as the set-up does: no engine downloads). */
export function migrateDeploy(databaseUrl: string): void {
  run("npx", ["--no-install", "prisma", "migrate", "deploy"], {
    DATABASE_URL: databaseUrl,
    PRISMA_SCHEMA_ENGINE_BINARY: "/dev/null",
    PRISMA_QUERY_ENGINE_LIBRARY: "/dev/null",
    PRISMA_HIDE_UPDATE_MESSAGE: "1",
  });
}

export async function flushRedis(redisUrl: string): Promise<void> {
  const Redis = (await import("ioredis")).default;
  const r = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await r.connect();
  await r.flushdb();
  await r.quit();
}
