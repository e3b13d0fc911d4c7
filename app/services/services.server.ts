import type { Server } from "socket.io";
import { env } from "../platform/env.server.ts";
import { disconnectDb } from "../platform/db.server.ts";
import { closeRedis } from "../platform/redis.server.ts";
import { closeQueues, startJobWorkers } from "./jobs.server.ts";
import { attachRealtime } from "../platform/realtime.server.ts";

/** Long-lived parts of the app process, started by server.ts after the HTTP server. */
export async function startServices({ io }: { io: Server }): Promise<void> {
  env();
  attachRealtime(io);
  if (env().JOBS_ENABLED) await startJobWorkers();
}

export async function stopServices(): Promise<void> {
  await closeQueues();
  await closeRedis();
  await disconnectDb();
}
