// Real parts for integration tests: a media server on a free port with its own workers, a
// temporary recordings directory, and FFmpeg test sources standing in for an IP camera.
import { spawn, execFile, type ChildProcess } from "node:child_process";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { InMemoryAuditSink } from "../audit/audit-sink.ts";
import { startMediaServer, type MediaServer } from "../media-server.ts";
import type { IngestSpec } from "../rooms/ingest.ts";
import { ffmpegIngestOutputArgs, testPatternInputs } from "../rooms/ingest.ts";
import { ensureMediaWorker } from "../scripts/build-worker.mjs";
import { LocalDiskStorage } from "../storage/local-disk-storage.ts";

export const INTERNAL_SECRET = "internal-secret-for-tests-0123";
export const TOKEN_SECRET = "token-secret-for-tests-0123456";

export type Harness = {
  server: MediaServer;
  audit: InMemoryAuditSink;
  storage: LocalDiskStorage;
  dir: string;
  close(): Promise<void>;
};

export async function startHarness(opts: { segmentSeconds?: number; workers?: number } = {}): Promise<Harness> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "witness-test-"));
  const audit = new InMemoryAuditSink();
  const storage = new LocalDiskStorage(dir);
  const server = await startMediaServer({
    port: 0,
    bind: "127.0.0.1",
    announcedIp: "127.0.0.1",
    rtcMinPort: 40000,
    rtcMaxPort: 49999,
    workers: opts.workers ?? 1,
    workerBin: process.env.MEDIASOUP_WORKER_BIN ?? ensureMediaWorker(),
    internalSecret: INTERNAL_SECRET,
    tokenSecret: TOKEN_SECRET,
    segmentSeconds: opts.segmentSeconds ?? 2,
    ffmpegBin: "ffmpeg",
    storage,
    audit,
  });
  const close = async () => {
    await server.close();
    await fs.rm(dir, { recursive: true, force: true });
  };
  return { server, audit, storage, dir, close };
}

// Tests read whichever fields the internal API answered with; its schema is tested elsewhere.
export async function internal(
  h: Harness,
  method: string,
  route: string,
  body?: unknown,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
): Promise<{ status: number; json: any }> {
  const res = await fetch(`${h.server.url}/internal${route}`, {
    method,
    headers: { authorization: `Bearer ${INTERNAL_SECRET}`, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, json: await res.json() };
}

export type TestCamera = ChildProcess & { done: Promise<number | null>; wallSeconds: () => number };

/**
 * An FFmpeg test-pattern camera (video + tone) publishing into an ingest for `seconds` of media.
 * `wallSeconds` is how long it really published: on a loaded machine the encoder falls behind
 * real time, and a recorder faithfully records the stretched wall-clock timeline.
 */
export function startTestCamera(spec: IngestSpec, seconds: number): TestCamera {
  const args = ["-hide_banner", "-loglevel", "error", ...testPatternInputs("640x360", seconds), ...ffmpegIngestOutputArgs(spec)];
  const startedAt = Date.now();
  let endedAt: number | null = null;
  const child = spawn("ffmpeg", args, { stdio: ["ignore", "ignore", "inherit"] });
  const done = new Promise<number | null>((resolve) =>
    child.once("exit", (code) => {
      endedAt = Date.now();
      resolve(code);
    }),
  );
  return Object.assign(child, { done, wallSeconds: () => ((endedAt ?? Date.now()) - startedAt) / 1000 });
}

const execFileAsync = promisify(execFile);

export type Probe = { duration: number; streams: Array<{ codec_name: string; codec_type: string }> };

export async function ffprobe(file: string): Promise<Probe> {
  const { stdout } = await execFileAsync("ffprobe", ["-v", "error", "-show_format", "-show_streams", "-of", "json", file]);
  const parsed = JSON.parse(stdout) as { format: { duration?: string }; streams: Probe["streams"] };
  return { duration: Number(parsed.format.duration ?? 0), streams: parsed.streams };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value) return value;
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}`);
}
