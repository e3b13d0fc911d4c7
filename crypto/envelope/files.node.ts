import { once } from "node:events";
import { createReadStream, createWriteStream, type WriteStream } from "node:fs";
import { rename, rm } from "node:fs/promises";
import path from "node:path";
import { nodeCipher } from "./cipher.node.ts";
import { nodeChunkDigest } from "./digest.node.ts";
import { DEFAULT_CHUNK_SIZE } from "./format.ts";
import { openEnvelope, type OpenEnvelopeOptions } from "./open.ts";
import { verifyEnvelope, type VerifiedEnvelope, type VerifyEnvelopeOptions } from "./verify.ts";
import { sealEnvelope, type SealInput, type SealResult } from "./writer.ts";

/** Reads of a few chunks at a time: fewer records straddle two reads and need a copy. */
export function fileSource(file: string): AsyncIterable<Uint8Array> {
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

/** Seal to a file with backpressure; the partial file is removed if sealing fails. */
export async function sealEnvelopeToFile(input: Omit<SealInput, "cipher"> & Partial<Pick<SealInput, "cipher">>, outFile: string): Promise<SealResult> {
  const out = writeStream(outFile);
  try {
    const result = await writeAll(out, sealEnvelope({ cipher: nodeCipher, digest: nodeChunkDigest, ...input }));
    await closeStream(out);
    return result;
  } catch (e) {
    out.destroy();
    await rm(outFile, { force: true });
    throw e;
  }
}

export function verifyEnvelopeFile(file: string, options: VerifyEnvelopeOptions): Promise<VerifiedEnvelope> {
  return verifyEnvelope(fileSource(file), { digest: nodeChunkDigest, ...options });
}

export interface OpenedToDirectory {
  verified: VerifiedEnvelope;
  files: string[];
}

/**
 * Decrypt into `outDir`: plaintext goes to numbered .part files, renamed to the manifest's
 * names only after every check passed, and deleted if any failed.
 */
export async function openEnvelopeToDirectory(
  envelopeFile: string, outDir: string, options: Omit<OpenEnvelopeOptions, "onData" | "cipher"> & Partial<Pick<OpenEnvelopeOptions, "cipher">>,
): Promise<OpenedToDirectory> {
  const parts = new Map<number, WriteStream>();
  const partPath = (i: number) => path.join(outDir, `.mbseal-${i}.part`);
  try {
    const verified = await openEnvelope(fileSource(envelopeFile), {
      cipher: nodeCipher,
      digest: nodeChunkDigest,
      ...options,
      async onData(fileIndex, plaintext) {
        let out = parts.get(fileIndex);
        if (!out) parts.set(fileIndex, (out = writeStream(partPath(fileIndex))));
        if (!out.write(plaintext)) await once(out, "drain");
      },
    });
    await Promise.all([...parts.values()].map(closeStream));
    const files = await Promise.all(verified.manifest.files.map(async (f) => {
      const target = path.join(outDir, safeName(f.index, f.name));
      if (!parts.has(f.index)) await closeStream(writeStream(partPath(f.index)));
      await rename(partPath(f.index), target);
      return target;
    }));
    return { verified, files };
  } catch (e) {
    for (const [i, out] of parts) {
      out.destroy();
      await rm(partPath(i), { force: true });
    }
    throw e;
  }
}

/** Manifest names come from the bidder: strip any path so they cannot escape outDir. */
function safeName(index: number, name: string): string {
  const base = path.basename(name.replace(/\\/g, "/")).replace(/[\u0000-\u001f]/g, "_");
  return `${String(index).padStart(3, "0")}-${base === "" || base === "." || base === ".." ? "file" : base}`;
}
