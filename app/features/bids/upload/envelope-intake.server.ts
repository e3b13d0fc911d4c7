import fs from "node:fs";
import path from "node:path";
import type { Readable } from "node:stream";
import { FileStore } from "@tus/file-store";
import { ERRORS, isPathInsideDirectory, type Upload } from "@tus/server";
import {
  CHUNK_PREFIX_LENGTH,
  CryptoErrorCode,
  type EnvelopeWalk,
  fail,
  MAGIC,
  maxRecordBody,
  readChunkPrefix,
  readU32be,
  RECORD_FRAME_LENGTH,
  RecordType,
  WalkState,
} from "../../../../crypto/index.node.ts";
import { IngestJob } from "./ingest-threads.server.ts";

/** Where a request body goes, in order: written (and hashed) on an ingest thread. */
export interface BodySink {
  /** The next received bytes (handed over). False while the threads are behind: pause the request. */
  push(bytes: Uint8Array): boolean;
  readonly keepsUp: boolean;
  onDrain(listener: () => void): () => void;
  /** Resolves, once everything pushed is written, with the file offset after it. */
  flush(): Promise<number>;
  /** A write failed: the body cannot be stored. */
  readonly failure: Error | null;
}

type Phase = "magic" | "frame" | "prefix" | "body" | "sealed" | "failed";

/**
 * Stores an envelope as it is uploaded and checks it on the way, so that after the last byte
 * only the signature check remains instead of reading the whole file again.
 *
 * The record grammar is crypto/envelope/structure.ts's WalkState, fed the way the positioned
 * opener (crypto/envelope/positioned.node.ts) feeds it: record frames, whole header, manifest
 * and signature bodies, and for each chunk its prefix and the digest of its ciphertext‖tag. The
 * framing here (magic, frame, length limits, truncation) follows record-reader.ts. Chunk bodies
 * are never gathered in memory: the ingest thread that writes the upload file computes each
 * chunk's digest, and the whole file's, from the same bytes (ingest-threads.server.ts).
 *
 * Falls back to nothing: any gap (a resumed upload after a restart, a failed write) abandons it
 * and the caller verifies the stored file instead (verifyStoredEnvelope).
 */
export class EnvelopeIntake implements BodySink {
  /** Bytes received, in order, since byte 0: the upload offset while the intake is in step. */
  offset = 0;
  private readonly job: IngestJob;

  private readonly state = new WalkState();
  /** WalkState calls run one after another, in stream order (some wait for chunk digests). */
  private walking: Promise<void> = Promise.resolve();
  private walkFailure: { error: unknown } | null = null;

  // Framing: what is being gathered, and where the current record starts.
  private phase: Phase = "magic";
  private want = MAGIC.length;
  private part = new Uint8Array(MAGIC.length);
  private got = 0;
  private recordAt = 0;
  private recordType = 0;
  private recordLength = 0;

  /** `write: false` for a file that is already stored (only walked and hashed). */
  constructor(file: string, options: { write?: boolean } = {}) {
    this.job = new IngestJob({ file, write: options.write ?? true, hash: true });
  }

  push(bytes: Uint8Array): boolean {
    if (!this.walkFailure) {
      try {
        this.frame(bytes);
      } catch (error) {
        this.stop(error);
      }
    }
    this.offset += bytes.length;
    // A malformed envelope is still stored (and refused at completion): the upload must not stall.
    return this.job.push(bytes);
  }

  get keepsUp(): boolean {
    return this.job.keepsUp;
  }

  onDrain(listener: () => void): () => void {
    return this.job.onDrain(listener);
  }

  flush(): Promise<number> {
    return this.job.flush();
  }

  get failure(): Error | null {
    return this.job.failure;
  }

  /** True when every byte received is on disk, and they are the upload's `size` bytes. */
  inStep(size: number): boolean {
    return this.failure === null && this.offset === size && this.job.done === size;
  }

  /** The walk and the SHA-256 of the stored file (hex); call once every byte is stored. */
  async finish(): Promise<{ walk: EnvelopeWalk; sha256: string }> {
    try {
      if (!this.walkFailure) {
        try {
          this.end();
        } catch (error) {
          this.stop(error);
        }
      }
      if (this.walkFailure) throw this.walkFailure.error;
      const sha256 = this.job.finish();
      await this.walking;
      if (this.walkFailure) throw (this.walkFailure as { error: unknown }).error;
      const walk = this.state.finish();
      return { walk, sha256: await sha256 };
    } finally {
      this.abandon();
    }
  }

  abandon(): void {
    this.job.close();
  }

  /** The first failure wins; nothing more is framed (the bytes are still stored). */
  private stop(error: unknown): void {
    this.walkFailure ??= { error };
    this.phase = "failed";
  }

  private walk(step: () => unknown): void {
    this.walking = this.walking
      .then(async () => {
        if (!this.walkFailure) await step();
      })
      .catch((error: unknown) => this.stop(error));
  }

  private frame(bytes: Uint8Array): void {
    let i = 0;
    while (i < bytes.length) {
      if (this.phase === "sealed") {
        // Chunk ciphertext: only counted here; the ingest thread digests it.
        const n = Math.min(this.want, bytes.length - i);
        this.want -= n;
        i += n;
        if (this.want === 0) this.nextRecord(this.offset + i);
        continue;
      }
      const n = Math.min(this.want - this.got, bytes.length - i);
      this.part.set(bytes.subarray(i, i + n), this.got);
      this.got += n;
      i += n;
      if (this.got === this.want) this.complete(this.offset + i);
    }
  }

  private gather(phase: Phase, length: number): void {
    this.phase = phase;
    this.want = length;
    this.got = 0;
    this.part = new Uint8Array(length);
  }

  private nextRecord(at: number): void {
    this.recordAt = at;
    this.gather("frame", RECORD_FRAME_LENGTH);
  }

  /** The part being gathered is complete; `at` is the stream offset just after it. */
  private complete(at: number): void {
    const part = this.part;
    switch (this.phase) {
      case "magic":
        if (part.some((b, k) => b !== MAGIC[k]))
          fail(CryptoErrorCode.MALFORMED, "This is not an MBSEAL v1 bid envelope (bad magic bytes).");
        this.nextRecord(at);
        return;
      case "frame": {
        this.recordType = part[0] as number;
        this.recordLength = readU32be(part, 1);
        if (this.recordLength > maxRecordBody(this.recordType)) {
          fail(
            CryptoErrorCode.MALFORMED,
            `Record of type ${this.recordType} at byte ${this.recordAt} is too long (${this.recordLength} bytes).`,
          );
        }
        if (this.recordType === RecordType.CHUNK) this.gather("prefix", Math.min(CHUNK_PREFIX_LENGTH, this.recordLength));
        else this.gather("body", this.recordLength);
        if (this.want === 0) this.complete(at);
        return;
      }
      case "prefix": {
        const meta = readChunkPrefix(part, this.recordLength, this.recordAt);
        const sealedAt = this.recordAt + RECORD_FRAME_LENGTH + CHUNK_PREFIX_LENGTH;
        const digest = this.job.range(sealedAt, sealedAt + meta.sealedLength);
        this.walk(() => {
          this.state.checkChunk(meta);
          return this.state.recordChunk(meta, digest);
        });
        this.phase = "sealed";
        this.want = meta.sealedLength;
        return;
      }
      case "body": {
        const { recordType, recordAt } = this;
        this.walk(() => this.state.accept(recordType, part, recordAt, {}));
        this.nextRecord(at);
        return;
      }
      default:
        return;
    }
  }

  /** The input ended: it must end at a record boundary (after at least the magic). */
  private end(): void {
    if (this.phase === "magic" && this.offset === 0) fail(CryptoErrorCode.TRUNCATED, "The envelope is empty.");
    if (this.phase === "frame" && this.got === 0) return;
    if (this.phase === "sealed" || this.phase === "body" || this.phase === "prefix") {
      fail(CryptoErrorCode.TRUNCATED, `The envelope ends inside the record at byte ${this.recordAt}.`);
    }
    fail(
      CryptoErrorCode.TRUNCATED,
      `The envelope ends in the middle of a record (at byte ${this.offset}); the upload or copy is incomplete.`,
    );
  }
}

/**
 * Walks and hashes an envelope already on disk (an upload not seen whole while it arrived): the
 * same framing, grammar and ingest threads as on upload, fed by reading the file once.
 */
export async function verifyStoredEnvelope(file: string): Promise<{ walk: EnvelopeWalk; sha256: string }> {
  const intake = new EnvelopeIntake(file, { write: false });
  try {
    for await (const piece of fs.createReadStream(file, { highWaterMark: 4 << 20 })) {
      if (!intake.push(piece as Buffer)) await drained(intake);
    }
    await intake.flush();
    return await intake.finish();
  } finally {
    intake.abandon();
  }
}

function drained(sink: BodySink): Promise<void> {
  return new Promise<void>((resolve) => {
    const off = sink.onDrain(() => {
      off();
      resolve();
    });
    if (sink.keepsUp) {
      off();
      resolve();
    }
  });
}

const intakes = new Map<string, EnvelopeIntake>();

/** The completed intake of an upload whose every byte it saw and stored, or null (verify the file). */
export function takeIntake(uploadId: string, size: number): EnvelopeIntake | null {
  const intake = intakes.get(uploadId);
  intakes.delete(uploadId);
  if (!intake) return null;
  if (!intake.inStep(size)) {
    intake.abandon();
    return null;
  }
  return intake;
}

export function dropIntake(uploadId: string): void {
  intakes.get(uploadId)?.abandon();
  intakes.delete(uploadId);
}

export interface BodyWritten {
  /** The upload's offset after this request: every byte received was written. */
  offset: number;
  /** The request ended early (client gone, lock taken over); the bytes that came are kept. */
  aborted: boolean;
}

export interface BodyOptions {
  /** Most bytes this body may have (tus: Content-Length, or what is left of the upload). */
  limit?: number;
  /** Stop reading, keeping what came (another request takes the upload over). */
  stop?: AbortSignal;
  /** Told the size of every piece read (ingest admission watches it). */
  onRead?: (bytes: number) => void;
}

class LimitExceeded extends Error {}

export function isLimitExceeded(error: unknown): boolean {
  return error instanceof LimitExceeded;
}

/**
 * Reads a request body into `sink`: one listener on the source, pieces handed over as they come
 * (no copy); the request is paused while the ingest threads are behind. On an early end (abort)
 * what arrived is still written, so file, intake and tus offset agree. On a write failure or a
 * body over `limit` it rejects (after the thread has finished with the file); the caller drops
 * the intake.
 */
export function writeBody(source: Readable, sink: BodySink, options: BodyOptions = {}): Promise<BodyWritten> {
  const { limit = Number.POSITIVE_INFINITY, stop, onRead } = options;
  return new Promise<BodyWritten>((resolve, reject) => {
    let received = 0;
    let aborted = false;
    let paused = false;
    let settled = false;

    const settle = (error: Error | null) => {
      if (settled) return;
      settled = true;
      source.off("data", onData);
      source.off("end", onEnd);
      source.off("error", onAbort);
      source.off("close", onClose);
      stop?.removeEventListener("abort", onAbort);
      unsubscribe();
      // Either way the thread is done with the file before the request's answer (and lock) go.
      sink.flush().then(
        (offset) => (error ? reject(error) : resolve({ offset, aborted })),
        (flushError: unknown) => reject(error ?? flushError),
      );
    };
    const unsubscribe = sink.onDrain(() => {
      if (!paused || settled || !sink.keepsUp) return;
      paused = false;
      source.resume();
    });
    function onData(chunk: Buffer) {
      if (settled) return;
      if (received + chunk.length > limit) {
        settle(new LimitExceeded());
        return;
      }
      if (sink.failure) {
        settle(sink.failure);
        return;
      }
      received += chunk.length;
      onRead?.(chunk.length);
      if (!sink.push(chunk) && !paused) {
        paused = true;
        source.pause();
      }
    }
    function onEnd() {
      settle(null);
    }
    function onAbort() {
      aborted = true;
      settle(null);
    }
    function onClose() {
      // A source that closes without 'end' lost its connection.
      if (!settled) onAbort();
    }
    source.on("data", onData);
    source.on("end", onEnd);
    source.on("error", onAbort);
    source.on("close", onClose);
    // Told to stop (another request takes the upload over): keep what came, as on an abort.
    if (stop?.aborted) onAbort();
    else stop?.addEventListener("abort", onAbort, { once: true });
  });
}

/** tus file store whose bodies go through ingest threads, and through the upload's intake while it is in step. */
export class IntakeFileStore extends FileStore {
  private file(id: string): string {
    const file = path.join(this.directory, id);
    if (!isPathInsideDirectory(this.directory, file)) throw ERRORS.FILE_NOT_FOUND;
    return file;
  }

  override async create(upload: Upload): Promise<Upload> {
    const created = await super.create(upload);
    dropIntake(upload.id);
    intakes.set(upload.id, new EnvelopeIntake(this.file(upload.id)));
    return created;
  }

  /**
   * Appends a request body at `offset` (the upload's current size, checked by the caller under
   * the upload's lock). The intake follows only if it saw and stored every byte before `offset`.
   */
  async receive(source: Readable, id: string, offset: number, options: BodyOptions = {}): Promise<BodyWritten> {
    let intake = intakes.get(id) ?? null;
    if (intake && (intake.offset !== offset || intake.failure)) {
      dropIntake(id);
      intake = null;
    }
    const job = intake ? null : new IngestJob({ file: this.file(id), write: true, hash: false, start: offset });
    try {
      const written = await writeBody(source, intake ?? (job as IngestJob), options);
      if (intake && !intake.inStep(written.offset)) dropIntake(id);
      return written;
    } catch (error) {
      dropIntake(id);
      throw error;
    } finally {
      job?.close();
    }
  }

  override async write(readable: Readable, id: string, offset: number): Promise<number> {
    try {
      return (await this.receive(readable, id, offset)).offset;
    } catch {
      throw ERRORS.FILE_WRITE_ERROR;
    }
  }

  override async remove(id: string): Promise<void> {
    dropIntake(id);
    await super.remove(id);
  }
}
