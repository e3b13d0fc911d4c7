import fs from "node:fs/promises";
import path from "node:path";
import { env } from "./env.server.ts";
import * as clock from "./clock.server.ts";
import type { Refusal } from "./refusal.ts";

// What the server knows about an upload beyond tus's own two files (`<id>`, `<id>.json`), kept
// beside them in UPLOADS_DIR so that it survives a killed process (docs/decisions/056):
// - `<id>.arrived`: the legal arrival time (Regs Art 36), written and synced the moment the
//   last byte is on disk, before any finalisation;
// - `<id>.outcome`: the finalisation's result, the receipt's version id or the refusal, which
//   the receipt endpoint and HEAD answer from after the upload's bytes are gone.

export interface Arrival {
  /** When the server received the last byte (ISO), not counting time it held the body unread. */
  receivedAt: string;
}

export type UploadOutcome =
  | { ok: true; size: number; tenderId: string; userId: string; bidId: string; versionId: string; version: number }
  | { ok: false; size: number; tenderId: string; userId: string; refusal: Refusal };

export function uploadsDir(): string {
  return path.resolve(env().UPLOADS_DIR);
}

const fileOf = (id: string, suffix: string) => path.join(uploadsDir(), `${id}${suffix}`);

/** Writes `data` to `file` durably: a temporary name, fsync, rename, fsync of the directory. */
async function writeDurably(file: string, data: string): Promise<void> {
  const tmp = `${file}.tmp`;
  const handle = await fs.open(tmp, "w");
  try {
    await handle.writeFile(data, "utf8");
    await handle.sync();
  } finally {
    await handle.close();
  }
  await fs.rename(tmp, file);
  const dir = await fs.open(path.dirname(file), "r");
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
}

async function readJson<T>(file: string): Promise<T | null> {
  try {
    return JSON.parse(await fs.readFile(file, "utf8")) as T;
  } catch {
    return null;
  }
}

export async function recordArrival(id: string, receivedAt: Date): Promise<void> {
  await writeDurably(fileOf(id, ".arrived"), JSON.stringify({ receivedAt: receivedAt.toISOString() } satisfies Arrival));
}

/**
 * The legal arrival time of a complete upload: as recorded at its last byte, or, when the process
 * died between writing that byte and recording it, the data file's last modification.
 */
export async function arrivalOf(id: string): Promise<Date | null> {
  const arrival = await readJson<Arrival>(fileOf(id, ".arrived"));
  if (arrival) return new Date(arrival.receivedAt);
  const stat = await fs.stat(fileOf(id, "")).catch(() => null);
  return stat ? stat.mtime : null;
}

export async function recordOutcome(id: string, outcome: UploadOutcome): Promise<void> {
  await writeDurably(fileOf(id, ".outcome"), JSON.stringify(outcome));
}

export function outcomeOf(id: string): Promise<UploadOutcome | null> {
  return readJson<UploadOutcome>(fileOf(id, ".outcome"));
}

/** The upload's working files go; its outcome stays (the receipt endpoint answers from it). */
export async function removeUploadFiles(id: string): Promise<void> {
  for (const suffix of ["", ".json", ".arrived"]) await fs.rm(fileOf(id, suffix), { force: true });
}

export interface CompleteUpload {
  id: string;
  tenderId: string;
  userId: string;
  size: number;
}

interface TusFileConfig {
  id?: string;
  size?: number;
  metadata?: Record<string, string | null>;
}

/**
 * Uploads whose every byte is on disk and whose finalisation has not ended (killed process,
 * database or disk error): what start-up recovery finalises again and bid closing waits for.
 */
export async function completeUnfinalised(tenderId?: string): Promise<CompleteUpload[]> {
  const dir = uploadsDir();
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  const out: CompleteUpload[] = [];
  for (const name of names) {
    if (!name.endsWith(".json")) continue;
    const id = name.slice(0, -".json".length);
    const config = await readJson<TusFileConfig>(path.join(dir, name));
    const meta = config?.metadata ?? {};
    if (!config || typeof config.size !== "number" || !meta.tenderId || !meta.userId) continue;
    if (tenderId && meta.tenderId !== tenderId) continue;
    const stat = await fs.stat(path.join(dir, id)).catch(() => null);
    if (!stat || stat.size !== config.size) continue;
    if (await outcomeOf(id)) continue;
    out.push({ id, tenderId: meta.tenderId, userId: meta.userId, size: config.size });
  }
  return out;
}

/**
 * Final upload bodies this process is about to read or is reading (docs/decisions/056): a PATCH
 * that would complete its upload, from the moment it waits at the ingest gate until its arrival
 * is recorded (or it ends without one). Its arrival will be its queueing time plus the time spent
 * reading it (the gate's wait is the server's, not the bidder's), so while that can still fall
 * by a deadline, bidding must not close over it. Closing runs in the process that serves the
 * uploads (the job workers start in the app server), so this map is what it asks.
 */
interface IncomingBody {
  tenderId: string;
  queuedAtMs: number;
  /** When the gate admitted the body; its reading time counts from here. */
  admittedAtMs: number | null;
}

const incoming = new Map<symbol, IncomingBody>();

export interface IncomingBodyHandle {
  /** The gate admitted the body: reading starts now. */
  admitted(atMs: number): void;
  /** The body's arrival is recorded, or the request ended without one. Idempotent. */
  done(): void;
}

/** Registers a PATCH that may deliver an upload's last byte, queued at `queuedAtMs`. */
export function expectFinalBody(tenderId: string, queuedAtMs: number): IncomingBodyHandle {
  const key = Symbol(tenderId);
  const body: IncomingBody = { tenderId, queuedAtMs, admittedAtMs: null };
  incoming.set(key, body);
  return {
    admitted(atMs) {
      body.admittedAtMs = atMs;
    },
    done() {
      incoming.delete(key);
    },
  };
}

/**
 * Bodies for the tender whose arrival can still be by `deadline`: the earliest it can be is the
 * queueing time plus the reading done so far. A body read so slowly that this passed the
 * deadline is late whatever happens next, so a trickling client cannot hold closing open.
 */
function bodiesStillOnTime(tenderId: string, deadline: Date): number {
  const at = clock.nowMs();
  let count = 0;
  for (const body of incoming.values()) {
    if (body.tenderId !== tenderId) continue;
    const earliest = body.queuedAtMs + (body.admittedAtMs === null ? 0 : at - body.admittedAtMs);
    if (earliest <= deadline.getTime()) count++;
  }
  return count;
}

/**
 * For bid closing (TBL Art 34): uploads for the tender whose last byte arrived by `deadline` and
 * whose finalisation has not ended, and final bodies still being received that may yet arrive
 * by it. Bidding does not close over them: they are on time, and the
 * opening must count them.
 */
export async function unfinalisedArrivals(tenderId: string, deadline: Date): Promise<number> {
  let count = bodiesStillOnTime(tenderId, deadline);
  for (const pending of await completeUnfinalised(tenderId)) {
    const at = await arrivalOf(pending.id);
    if (at && at.getTime() <= deadline.getTime()) count++;
  }
  return count;
}

/** Outcome files older than `maxAgeMs` (the upload expiry): the bidder has long had the answer. */
export async function deleteOldOutcomes(maxAgeMs: number, now = clock.nowMs()): Promise<number> {
  const dir = uploadsDir();
  let removed = 0;
  for (const name of await fs.readdir(dir).catch(() => [] as string[])) {
    if (!name.endsWith(".outcome")) continue;
    const stat = await fs.stat(path.join(dir, name)).catch(() => null);
    if (stat && now - stat.mtimeMs > maxAgeMs) {
      await fs.rm(path.join(dir, name), { force: true });
      removed++;
    }
  }
  return removed;
}
