import { once } from "node:events";
import { createReadStream, createWriteStream, type WriteStream } from "node:fs";
import { rename, rm } from "node:fs/promises";
import path from "node:path";
import { DEFAULT_CHUNK_SIZE } from "./format.ts";
import { openFileByPosition, type PositionedOpenOptions, sealFilesByPosition } from "./positioned.node.ts";
import { sharedChunkPool } from "./thread-pool.node.ts";
import { verifyEnvelope, type VerifiedEnvelope, type VerifyEnvelopeOptions } from "./verify.ts";
import { sealEnvelope, type SealInput, type SealResult } from "./writer.ts";

/**
 * A file's bytes for sealing. Iterated, it reads one chunk at a time (each read its own buffer,
 * which a thread-pool cipher takes over without a copy); sealEnvelopeToFile recognises it and
 * lets the pool threads read the file by position instead.
 */
export class FileSource implements AsyncIterable<Uint8Array> {
  constructor(
    readonly path: string,
    private readonly readSize = DEFAULT_CHUNK_SIZE,
  ) {}

  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    return createReadStream(this.path, { highWaterMark: this.readSize })[Symbol.asyncIterator]();
  }
}

export function fileSource(file: string, readSize = DEFAULT_CHUNK_SIZE): FileSource {
  return new FileSource(file, readSize);
}

/** An envelope file, a few chunks per read: fewer records straddle two reads and need a copy. */
function envelopeSource(file: string): AsyncIterable<Uint8Array> {
  return createReadStream(file, { highWaterMark: 4 * DEFAULT_CHUNK_SIZE });
}

/**
 * The default 16 KiB write buffer makes every 1 MiB chunk wait for its own write to finish;
 * a few chunks of slack let encryption and disk writes overlap while memory stays bounded.
 */
const WRITE_BUFFER = 4 * DEFAULT_CHUNK_SIZE;

function writeStream(file: string): WriteStream {
  return createWriteStream(file, { highWaterMark: WRITE_BUFFER });
}

async function writeAll(out: WriteStream, gen: AsyncGenerator<Uint8Array, SealResult>): Promise<SealResult> {
  for (;;) {
    const next = await gen.next();
    if (next.done) return next.value;
    if (!out.write(next.value)) await once(out, "drain");
  }
}

async function closeStream(out: WriteStream): Promise<void> {
  out.end();
  await once(out, "close");
}

/**
 * Seal to a file; the partial file is removed if sealing fails. Chunks are encrypted and hashed
 * on the process's chunk thread pool (all cores): when every input is a fileSource and no
 * cipher is given, the threads read and write the files by position; otherwise the streaming
 * writer runs with backpressure.
 */
export async function sealEnvelopeToFile(
  input: Omit<SealInput, "cipher"> & Partial<Pick<SealInput, "cipher">>,
  outFile: string,
): Promise<SealResult> {
  const pool = sharedChunkPool();
  const paths = input.files.map((f) => (f.data instanceof FileSource ? { name: f.name, path: f.data.path } : null));
  if (!input.cipher && paths.every((p) => p !== null)) {
    return sealFilesByPosition(pool, input, paths as { name: string; path: string }[], outFile);
  }
  const out = writeStream(outFile);
  try {
    const result = await writeAll(out, sealEnvelope({ cipher: pool.cipher, digest: pool.digest, ...input }));
    await closeStream(out);
    return result;
  } catch (e) {
    out.destroy();
    await rm(outFile, { force: true });
    throw e;
  }
}

export function verifyEnvelopeFile(file: string, options: VerifyEnvelopeOptions): Promise<VerifiedEnvelope> {
  return verifyEnvelope(envelopeSource(file), { digest: sharedChunkPool().digest, ...options });
}

export interface OpenedToDirectory {
  verified: VerifiedEnvelope;
  files: string[];
}

/**
 * Decrypt into `outDir`: plaintext goes to numbered .part files (written by the pool threads,
 * each chunk only after its tag verified), renamed to the manifest's names only after every
 * check passed, and deleted if any failed.
 */
export async function openEnvelopeToDirectory(
  envelopeFile: string,
  outDir: string,
  options: Omit<PositionedOpenOptions, "partPath">,
): Promise<OpenedToDirectory> {
  const partPath = (i: number) => path.join(outDir, `.mbseal-${i}.part`);
  const { verified, parts } = await openFileByPosition(sharedChunkPool(), envelopeFile, { ...options, partPath });
  try {
    const files: string[] = [];
    for (const f of verified.manifest.files) {
      const target = path.join(outDir, safeName(f.index, f.name));
      await rename(partPath(f.index), target);
      files.push(target);
    }
    return { verified, files };
  } catch (e) {
    for (const p of parts.values()) await rm(p, { force: true });
    throw e;
  }
}

/** Manifest names come from the bidder: strip any path so they cannot escape outDir. */
function safeName(index: number, name: string): string {
  // Control characters in a file name are replaced on purpose.
  // eslint-disable-next-line no-control-regex
  const base = path.basename(name.replace(/\\/g, "/")).replace(/[\u0000-\u001f]/g, "_");
  return `${String(index).padStart(3, "0")}-${base === "" || base === "." || base === ".." ? "file" : base}`;
}
