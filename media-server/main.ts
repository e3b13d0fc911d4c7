// The media server process: `tsx media-server/main.ts`. Started by the app's start script next to
// the web server; see README.md for the environment it reads.
import { HttpAuditSink } from "./audit/http-audit-sink.ts";
import { InMemoryAuditSink, type AuditSink } from "./audit/audit-sink.ts";
import { parseMediaEnv } from "./env.ts";
import { startMediaServer } from "./media-server.ts";
import { LocalDiskStorage } from "./storage/local-disk-storage.ts";
import { CONFIG_ERROR_EXIT, exitOnUnhandledRejection } from "../scripts/process-guard.mjs";

// Logged, then this process exits and the launcher restarts it; the app keeps serving.
exitOnUnhandledRejection("media server");

async function main(): Promise<void> {
  let env;
  try {
    env = parseMediaEnv(process.env);
  } catch (error) {
    console.error((error as Error).message);
    process.exit(CONFIG_ERROR_EXIT);
  }
  let audit: AuditSink;
  if (env.APP_INTERNAL_URL) {
    const sink = new HttpAuditSink({
      appInternalUrl: env.APP_INTERNAL_URL,
      internalSecret: env.MEDIA_INTERNAL_SECRET,
      spoolDir: env.AUDIT_SPOOL_DIR,
    });
    await sink.start();
    audit = sink;
  } else {
    console.warn("[media] APP_INTERNAL_URL is not set: audit entries stay in this process's memory");
    audit = new InMemoryAuditSink();
  }
  const server = await startMediaServer({
    port: env.MEDIA_PORT,
    bind: env.MEDIA_BIND,
    announcedIp: env.MEDIA_ANNOUNCED_IP,
    rtcMinPort: env.MEDIA_RTC_MIN_PORT,
    rtcMaxPort: env.MEDIA_RTC_MAX_PORT,
    workers: env.MEDIA_WORKERS,
    workerBin: env.MEDIASOUP_WORKER_BIN,
    internalSecret: env.MEDIA_INTERNAL_SECRET,
    tokenSecret: env.WITNESS_TOKEN_SECRET,
    segmentSeconds: env.RECORDING_SEGMENT_SECONDS,
    ffmpegBin: env.FFMPEG_BIN,
    storage: new LocalDiskStorage(env.RECORDINGS_DIR),
    audit,
  });
  console.log(`[media] listening on ${server.url} with ${server.pool.size} workers`);
  const shutdown = async () => {
    await server.close();
    await audit.close();
    process.exit(0);
  };
  process.once("SIGINT", () => void shutdown());
  process.once("SIGTERM", () => void shutdown());
}

// A failed start (workers, port in use) is an unhandled rejection: logged, exit, restart later.
void main();
