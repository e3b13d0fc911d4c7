import { open, rm, type FileHandle } from "node:fs/promises";
import { concatBytes, randomBytes, readU32be } from "../bytes.ts";
import { signCms } from "../cms/signed-data.ts";
import { CryptoErrorCode, fail } from "../errors.ts";
import { sha256Async } from "../hash.ts";
import { ChunkDigests } from "./digest-window.ts";
import {
  CHUNK_PREFIX_LENGTH,
  CONTENT_KEY_LENGTH,
  DEFAULT_CHUNK_SIZE,
  MAGIC,
  RECORD_FRAME_LENGTH,
  RecordType,
  TAG_LENGTH,
  chunkAad,
  chunkNonce,
  chunkPrefix,
  recordFrame,
} from "./format.ts";
import { encodeHeader } from "./header.ts";
import { unwrapContentKey } from "./key-wrap.ts";
import { nativeOaepDecrypt } from "./key-wrap.node.ts";
import { encodeManifest, type ManifestFile } from "./manifest.ts";
import type { OpenEnvelopeOptions } from "./open.ts";
import { maxRecordBody, readChunkPrefix, WalkState } from "./structure.ts";
import type { ChunkThreadPool, PositionedResult } from "./thread-pool.node.ts";
import { checkWalk, type VerifiedEnvelope } from "./verify.ts";
import { buildHeader, buildManifest, validateSealInput, type SealInput, type SealResult } from "./writer.ts";

/**
 * File-to-file sealing and opening by position: the same bytes and the same checks as the
 * streaming writer and walker (tests compare them byte for byte), but every chunk is read,
 * encrypted or decrypted, hashed and written by a pool thread at its place in the file.
 * The main thread only lays out records and walks frames, so all cores work and no chunk
 * buffer crosses threads: memory stays at a few chunks per thread whatever the bid's size.
 */

/** Settles every tracked job before files are closed or removed. */
class Jobs {
  private readonly running = new Set<Promise<unknown>>();

  track<T>(p: Promise<T>): Promise<T> {
    this.running.add(p);
    void p.then(
      () => this.running.delete(p),
      () => this.running.delete(p),
    );
    return p;
  }

  async settle(): Promise<void> {
    await Promise.allSettled([...this.running]);
  }
}

export interface PositionedSealFile {
  name: string;
  path: string;
}

export async function sealFilesByPosition(
  pool: ChunkThreadPool,
  input: Omit<SealInput, "files" | "cipher">,
  files: readonly PositionedSealFile[],
  outFile: string,
): Promise<SealResult> {
  const full = { ...input, files: files.map((f) => ({ name: f.name, data: emptySource() })), cipher: pool.cipher };
  validateSealInput(full);
  const chunkSize = input.chunkSize ?? DEFAULT_CHUNK_SIZE;
  const contentKey = input.deterministic?.contentKey.slice() ?? randomBytes(CONTENT_KEY_LENGTH);
  const jobs = new Jobs();
  const handles: FileHandle[] = [];
  let out: FileHandle | null = null;
  try {
    const header = buildHeader(full, contentKey, chunkSize);
    const headerBytes = encodeHeader(header);
    const headerDigest = await sha256Async(headerBytes);
    out = await open(outFile, "w");
    let pos = await writeAt(out, concatBytes([MAGIC, recordFrame(RecordType.HEADER, headerBytes.length), headerBytes]), 0);
    const entries: ManifestFile[] = [];
    for (const [index, file] of files.entries()) {
      const fh = await openInput(file);
      handles.push(fh);
      const before = await fh.stat();
      const size = before.size;
      const chunks = size === 0 ? 1 : Math.ceil(size / chunkSize);
      const digests = new ChunkDigests(undefined, 2 * pool.size + 2);
      for (let i = 0; i < chunks; i++) {
        const length = Math.min(chunkSize, size - i * chunkSize);
        const final = i === chunks - 1;
        const head = concatBytes([
          recordFrame(RecordType.CHUNK, CHUNK_PREFIX_LENGTH + length + TAG_LENGTH),
          chunkPrefix(index, i, final),
        ]);
        const job = jobs.track(
          pool.sealAt({
            key: contentKey,
            nonce: chunkNonce(index, i),
            aad: chunkAad(headerDigest, index, i, final),
            inFd: fh.fd,
            inPos: i * chunkSize,
            length,
            head,
            outFd: out.fd,
            outPos: pos,
          }),
        );
        await digests.addDigest(job.then((r) => (r.shortRead ? changedWhileSealing(file) : r.digest)));
        pos += head.length + length + TAG_LENGTH;
      }
      const ciphertextDigest = await digests.finish();
      const after = await fh.stat();
      if (after.size !== before.size || after.mtimeMs !== before.mtimeMs) changedWhileSealing(file);
      entries.push({ index, name: file.name, size, chunks, ciphertextDigest });
    }
    contentKey.fill(0);
    const manifest = buildManifest(full, header, headerDigest, entries);
    const manifestBytes = encodeManifest(manifest);
    const signature = signCms({ content: manifestBytes, signer: input.signer, signingTime: input.now });
    pos = await writeAt(out, concatBytes([recordFrame(RecordType.MANIFEST, manifestBytes.length), manifestBytes]), pos);
    await writeAt(out, concatBytes([recordFrame(RecordType.SIGNATURE, signature.length), signature]), pos);
    await out.close();
    out = null;
    return { manifest, manifestBytes };
  } catch (e) {
    await jobs.settle();
    await out?.close().catch(() => undefined);
    await rm(outFile, { force: true });
    throw e;
  } finally {
    contentKey.fill(0);
    await jobs.settle();
    await Promise.all(handles.map((h) => h.close().catch(() => undefined)));
  }
}

async function* emptySource(): AsyncGenerator<Uint8Array> {
  // The positioned path reads files itself; validateSealInput only needs the list.
}

async function openInput(file: PositionedSealFile): Promise<FileHandle> {
  try {
    return await open(file.path, "r");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    fail(
      CryptoErrorCode.BAD_INPUT,
      code === "ENOENT"
        ? `The file "${file.name}" (${file.path}) does not exist.`
        : `The file "${file.name}" cannot be read (${code ?? String(e)}).`,
    );
  }
}

function changedWhileSealing(file: PositionedSealFile): never {
  fail(
    CryptoErrorCode.BAD_INPUT,
    `The file "${file.name}" changed while it was being sealed; seal it again once it is no longer being written.`,
  );
}

async function writeAt(fh: FileHandle, bytes: Uint8Array, pos: number): Promise<number> {
  let done = 0;
  while (done < bytes.length) done += (await fh.write(bytes, done, bytes.length - done, pos + done)).bytesWritten;
  return pos + bytes.length;
}

/** Exactly n bytes at pos, or fewer if the file ends there. */
async function readAt(fh: FileHandle, n: number, pos: number): Promise<Uint8Array> {
  const buf = new Uint8Array(n);
  let done = 0;
  while (done < n) {
    const { bytesRead } = await fh.read(buf, done, n - done, pos + done);
    if (bytesRead === 0) break;
    done += bytesRead;
  }
  return done === n ? buf : buf.subarray(0, done);
}

function cutShort(at: number): never {
  fail(
    CryptoErrorCode.TRUNCATED,
    `The envelope ends in the middle of a record (at byte ${at}); the upload or copy is incomplete.`,
  );
}

export interface PositionedOpenOptions extends Omit<OpenEnvelopeOptions, "onData" | "cipher" | "recipientKey"> {
  /** The bidder's encryption key or the rebuilt escrow key; or, instead, the content key itself. */
  recipientKey?: OpenEnvelopeOptions["recipientKey"];
  /**
   * The content key the bidder unwrapped in its own browser (the opening hall): the server never
   * sees the private key. A wrong key fails the first chunk's tag (TAMPERED_CHUNK).
   */
  contentKey?: Uint8Array;
  /** Where file `index`'s plaintext goes; the caller renames or removes it afterwards. */
  partPath(fileIndex: number): string;
}

/**
 * Decrypt and fully verify an envelope file into one part file per bid file. Each chunk's
 * plaintext is written only after its tag verified; the caller deletes the parts if this throws.
 * Returns the verified envelope and the part files written.
 */
export async function openFileByPosition(
  pool: ChunkThreadPool,
  envelopeFile: string,
  options: PositionedOpenOptions,
): Promise<{ verified: VerifiedEnvelope; parts: Map<number, string> }> {
  const jobs = new Jobs();
  const parts = new Map<number, FileHandle>();
  const paths = new Map<number, string>();
  let key: Uint8Array | null = null;
  const fh = await open(envelopeFile, "r");
  try {
    const size = (await fh.stat()).size;
    const state = new WalkState(pool.digest, 2 * pool.size + 2);
    const magic = await readAt(fh, MAGIC.length, 0);
    if (magic.length === 0) fail(CryptoErrorCode.TRUNCATED, "The envelope is empty.");
    if (magic.length < MAGIC.length || magic.some((b, i) => b !== MAGIC[i])) {
      fail(CryptoErrorCode.MALFORMED, "This is not an MBSEAL v1 bid envelope (bad magic bytes).");
    }
    let pos = MAGIC.length;
    while (pos < size) {
      // Frame and, for a chunk, its prefix in one read.
      const head = await readAt(fh, RECORD_FRAME_LENGTH + CHUNK_PREFIX_LENGTH, pos);
      if (head.length < RECORD_FRAME_LENGTH) cutShort(pos + head.length);
      const frame = head.subarray(0, RECORD_FRAME_LENGTH);
      const type = frame[0] as number;
      const length = readU32be(frame, 1);
      if (length > maxRecordBody(type))
        fail(CryptoErrorCode.MALFORMED, `Record of type ${type} at byte ${pos} is too long (${length} bytes).`);
      if (pos + RECORD_FRAME_LENGTH + length > size) {
        if (type === RecordType.CHUNK || length > 0)
          fail(CryptoErrorCode.TRUNCATED, `The envelope ends inside the record at byte ${pos}.`);
      }
      if (type === RecordType.CHUNK) {
        const prefix = head.subarray(RECORD_FRAME_LENGTH, RECORD_FRAME_LENGTH + Math.min(CHUNK_PREFIX_LENGTH, length));
        const meta = readChunkPrefix(prefix, length, pos);
        const { chunkSize } = state.checkChunk(meta);
        const current = state.currentHeader;
        if (!current || !key) fail(CryptoErrorCode.MALFORMED, "A chunk came before the header.");
        const outFd = await partFile(parts, paths, options, meta.fileIndex);
        const where = `Chunk ${meta.chunkIndex} of file ${meta.fileIndex} (byte ${pos})`;
        const job = jobs.track(
          pool.openAt({
            key,
            nonce: chunkNonce(meta.fileIndex, meta.chunkIndex),
            aad: chunkAad(current.headerDigest, meta.fileIndex, meta.chunkIndex, meta.final),
            inFd: fh.fd,
            inPos: pos + RECORD_FRAME_LENGTH + CHUNK_PREFIX_LENGTH,
            length: meta.sealedLength,
            outFd,
            outPos: meta.chunkIndex * chunkSize,
          }),
        );
        await state.recordChunk(
          meta,
          job.then((r) => chunkDigest(r, where, pos)),
        );
      } else {
        const body = await readAt(fh, length, pos + RECORD_FRAME_LENGTH);
        await state.accept(type, body, pos, {});
        if (type === RecordType.HEADER && !key) {
          const current = state.currentHeader;
          if (current) key = contentKeyFor(current.header, options);
        }
      }
      pos += RECORD_FRAME_LENGTH + length;
    }
    const walk = state.finish();
    await jobs.settle();
    const verified = checkWalk(walk, options);
    // A file whose only chunk is empty never opened a part: give it one.
    for (const f of verified.manifest.files) await partFile(parts, paths, options, f.index);
    for (const [i, h] of parts) {
      await h.close();
      parts.delete(i);
    }
    return { verified, parts: paths };
  } catch (e) {
    await jobs.settle();
    for (const h of parts.values()) await h.close().catch(() => undefined);
    for (const p of paths.values()) await rm(p, { force: true });
    throw e;
  } finally {
    key?.fill(0);
    await jobs.settle();
    await fh.close().catch(() => undefined);
  }
}

function contentKeyFor(header: Parameters<typeof unwrapContentKey>[0], options: PositionedOpenOptions): Uint8Array {
  if (options.contentKey) {
    if (options.contentKey.length !== CONTENT_KEY_LENGTH)
      fail(CryptoErrorCode.WRONG_KEY, "The content key has the wrong length.");
    return options.contentKey.slice();
  }
  if (!options.recipientKey) fail(CryptoErrorCode.BAD_INPUT, "Opening needs the recipient's private key or the content key.");
  return unwrapContentKey(header, options.recipientKey, nativeOaepDecrypt);
}

function chunkDigest(r: PositionedResult, where: string, pos: number): Uint8Array {
  if (r.shortRead) fail(CryptoErrorCode.TRUNCATED, `The envelope ends inside the record at byte ${pos}.`);
  if (r.tampered)
    fail(CryptoErrorCode.TAMPERED_CHUNK, `${where} fails its integrity check: the envelope was altered, reordered or spliced.`);
  return r.digest;
}

async function partFile(
  parts: Map<number, FileHandle>,
  paths: Map<number, string>,
  options: PositionedOpenOptions,
  fileIndex: number,
): Promise<number> {
  let h = parts.get(fileIndex);
  if (!h) {
    const p = options.partPath(fileIndex);
    paths.set(fileIndex, p);
    h = await open(p, "w");
    parts.set(fileIndex, h);
  }
  return h.fd;
}
