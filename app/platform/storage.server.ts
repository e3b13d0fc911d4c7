import { createHash, randomBytes } from "node:crypto";
import { createReadStream, createWriteStream, type ReadStream } from "node:fs";
import { mkdir, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import { env } from "./env.server.ts";
import * as clock from "./clock.server.ts";

/**
 * Files stored by content hash: `<FILES_DIR>/<sha256>` (docs/decisions/040). A file is written
 * to `<FILES_DIR>/tmp/<random>` while it streams in, hashed on the way, and only renamed to its
 * hash once complete, so a crash or a refused upload never leaves a half-written stored file.
 * The rename is atomic within one file system; the same content uploaded twice is stored once.
 */

const SHA256_HEX = /^[0-9a-f]{64}$/;

export function filesDir(): string {
  return path.resolve(env().FILES_DIR);
}

function tmpDir(): string {
  return path.join(filesDir(), "tmp");
}

export function storagePath(sha256: string): string {
  if (!SHA256_HEX.test(sha256)) throw new Error("storage key must be a SHA-256 hex digest");
  return path.join(filesDir(), sha256);
}

/** A file streamed to a temporary path, hashed and measured, not yet stored. */
export interface StagedFile {
  tempPath: string;
  sha256: string;
  sizeBytes: number;
  /** The first bytes, for magic-number checks. */
  head: Buffer;
  /** Set when the stream exceeded `maxBytes`; the temp file is already removed. */
  tooLarge: boolean;
}

/**
 * Streams `data` into a temporary file. Past `maxBytes` it stops writing, deletes the partial
 * file and keeps draining the input (so the client gets an answer instead of a reset).
 */
export async function stage(data: AsyncIterable<Uint8Array>, maxBytes: number): Promise<StagedFile> {
  await mkdir(tmpDir(), { recursive: true });
  const tempPath = path.join(tmpDir(), `${clock.nowMs()}-${randomBytes(8).toString("hex")}`);
  const out = createWriteStream(tempPath, { flags: "wx" });
  const hash = createHash("sha256");
  const headChunks: Buffer[] = [];
  let headLength = 0;
  let sizeBytes = 0;
  let tooLarge = false;
  try {
    for await (const chunk of data) {
      sizeBytes += chunk.byteLength;
      if (tooLarge) continue;
      if (sizeBytes > maxBytes) {
        tooLarge = true;
        continue;
      }
      if (headLength < 16) {
        const part = Buffer.from(chunk.subarray(0, 16 - headLength));
        headChunks.push(part);
        headLength += part.byteLength;
      }
      hash.update(chunk);
      if (!out.write(chunk)) await new Promise<void>((resolve) => out.once("drain", () => resolve()));
    }
    await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
  } catch (error) {
    out.destroy();
    await rm(tempPath, { force: true });
    throw error;
  }
  if (tooLarge) await rm(tempPath, { force: true });
  return { tempPath, sha256: hash.digest("hex"), sizeBytes, head: Buffer.concat(headChunks), tooLarge };
}

/** Moves a staged file to its content-hash path; returns the storage key (the hash). */
export async function commit(staged: StagedFile): Promise<string> {
  const target = storagePath(staged.sha256);
  if (await exists(target)) {
    await rm(staged.tempPath, { force: true });
  } else {
    await rename(staged.tempPath, target);
  }
  return staged.sha256;
}

export async function discard(staged: StagedFile): Promise<void> {
  await rm(staged.tempPath, { force: true });
}

/** Removes a stored file (only when no row references it any more). */
export async function remove(sha256: string): Promise<void> {
  await rm(storagePath(sha256), { force: true });
}

export async function exists(filePath: string): Promise<boolean> {
  try {
    await stat(filePath);
    return true;
  } catch {
    return false;
  }
}

export async function has(sha256: string): Promise<boolean> {
  return exists(storagePath(sha256));
}

/** Stores a buffer (seed data, small generated files) through the same temp-then-rename path. */
export async function putBuffer(content: Buffer): Promise<string> {
  async function* once() {
    yield content;
  }
  return commit(await stage(once(), Number.MAX_SAFE_INTEGER));
}

export function open(sha256: string): ReadStream {
  return createReadStream(storagePath(sha256));
}
