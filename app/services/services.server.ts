import type { Server } from "socket.io";
import { env } from "../platform/env.server.ts";
import { disconnectDb } from "../platform/db.server.ts";
import { closeRedis } from "../platform/redis.server.ts";
import { closeQueues, startJobWorkers } from "./jobs.server.ts";
import { attachRealtime } from "../platform/realtime.server.ts";
import { recoverUploads } from "../features/bids/index.ts";
import { startHeartbeat, stopHeartbeat } from "../features/outages/index.ts";
import { startRoomLive, stopRoomLive } from "../features/evaluation/index.ts";

/** Long-lived parts of the app process, started by server.ts after the HTTP server. */
export async function startServices({ io }: { io: Server }): Promise<void> {
  env();
  attachRealtime(io);
  // First beat before the jobs and the HTTP server: an outage that ends with this start is on
  // record before anything can end a decryption window (E-Measures Art 31; decision 091). Off
  // only for a process whose clock is not the real one (HEARTBEAT_ENABLED=false, a faked test server).
  if (env().HEARTBEAT_ENABLED) await startHeartbeat();
  // The evaluation room's live signals: this process LISTENs for the audit trigger's NOTIFY (decision 107).
  await startRoomLive();
  if (env().JOBS_ENABLED) await startJobWorkers();
  // Bids whose last byte arrived before a crash or a failed finalisation are finalised now
  // (idempotently); in the background, so the server answers meanwhile (HEAD says 423).
  void recoverUploads().then(
    ({ recovered, failed }) => {
      if (recovered + failed > 0) console.log(`bid uploads recovered at start: ${recovered} finalised, ${failed} still failing`);
    },
    (error: unknown) => console.error("bid upload recovery failed:", error),
  );
}

export async function stopServices(): Promise<void> {
  stopHeartbeat();
  await stopRoomLive();
  await closeQueues();
  await closeRedis();
  await disconnectDb();
}
