import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { CryptoErrorCode, fail } from "../errors.ts";
import type { ContentCipher, ContentCipherFactory, DigestedChunk } from "./cipher.ts";
import type { ChunkDigestFn } from "./digest-window.ts";
import { CONTENT_KEY_LENGTH, TAG_LENGTH } from "./format.ts";
import { workerSource } from "../worker-source.node.ts";
import { chunkWorkerMain, type ChunkWorkerData } from "./chunk-worker.node.ts";

/**
 * AES-256-GCM and SHA-256 of envelope chunks on worker threads.
 *
 * Every chunk is independent (own nonce and tag), so chunks are sealed or opened in parallel,
 * each on one thread that also hashes the ciphertext while it is still in cache: the chunk
 * digests the manifest needs come back with the result and the main thread never touches the
 * bytes except to hand them over. Plaintext to seal that owns its whole ArrayBuffer (a file read
 * of exactly one chunk) is transferred, not copied; results always come back transferred.
 *
 * The worker's code is `chunkWorkerMain` (chunk-worker.node.ts), a real function run with
 * `eval: true` (../worker-source.node.ts), so it works the same under tsx, vitest and the bundled
 * server build, where no separate worker file exists next to the bundle.
 */
const WORKER_SOURCE = workerSource(chunkWorkerMain);

type Op = "seal" | "open" | "digest";

/** A chunk's key material and where the thread reads and writes it (file descriptors, byte positions). */
interface PositionedJob {
  key: Uint8Array;
  nonce: Uint8Array;
  aad: Uint8Array;
  inFd: number;
  inPos: number;
  /** Bytes to read: plaintext when sealing, ciphertext‖tag when opening. */
  length: number;
  outFd: number;
  outPos: number;
}

/** One chunk of a plaintext file sealed straight into its record of the envelope file. */
export interface SealAtJob extends PositionedJob {
  /** Record frame and chunk prefix, written before the ciphertext. */
  head: Uint8Array;
}

/** One chunk record's ciphertext‖tag read by position, its plaintext written by position. */
export type OpenAtJob = PositionedJob;

export interface PositionedResult {
  /** SHA-256 of the chunk's ciphertext‖tag. */
  digest: Uint8Array;
  /** Opening only: the tag did not verify and nothing was written. */
  tampered?: boolean;
  /** The input ended early: the file changed (sealing) or the envelope is cut (opening). */
  shortRead?: boolean;
}

interface Reply {
  id: number;
  out?: Uint8Array;
  digest?: Uint8Array;
  tampered?: boolean;
  error?: string;
  code?: string;
}

interface Pending {
  resolve(reply: Reply): void;
  reject(error: Error): void;
}

class PoolThread {
  readonly pending = new Map<number, Pending>();
  readonly worker: Worker;

  constructor(onExit: (thread: PoolThread) => void) {
    // Small heaps: a thread holds a few small objects; its chunk buffers live outside the heap.
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      name: "mbseal-chunks",
      workerData: { tagLength: TAG_LENGTH } satisfies ChunkWorkerData,
      resourceLimits: { maxYoungGenerationSizeMb: 2, maxOldGenerationSizeMb: 32 },
    });
    this.worker.unref();
    this.worker.on("message", (reply: Reply) => {
      const p = this.pending.get(reply.id);
      if (!p) return;
      this.pending.delete(reply.id);
      if (this.pending.size === 0) this.worker.unref();
      p.resolve(reply);
    });
    const die = (error: Error) => {
      for (const p of this.pending.values()) p.reject(error);
      this.pending.clear();
      onExit(this);
    };
    this.worker.on("error", die);
    this.worker.on("exit", (code) => die(new Error(`A chunk crypto thread stopped (exit code ${code}).`)));
  }

  post(message: { id: number; [field: string]: unknown }, transfer: ArrayBuffer[], pending: Pending): void {
    // A thread with work keeps the process alive until the work is done, and only then.
    if (this.pending.size === 0) this.worker.ref();
    this.pending.set(message.id, pending);
    this.worker.postMessage(message, transfer);
  }
}

/**
 * Bytes for a thread: with `handOver`, moved when they own their whole buffer (the caller gave
 * them up); otherwise copied into a buffer that can move, so the caller's bytes stay usable.
 */
function movable(bytes: Uint8Array, handOver: boolean): Uint8Array {
  const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer;
  if (handOver && whole) return bytes;
  const copy = new Uint8Array(Buffer.allocUnsafeSlow(bytes.length).buffer, 0, bytes.length);
  copy.set(bytes);
  return copy;
}

export class ChunkThreadPool {
  private readonly threads: PoolThread[] = [];
  private nextId = 1;
  private closed = false;

  constructor(readonly size = defaultThreadCount()) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError("A chunk thread pool needs at least one thread");
  }

  /** Least-busy thread; threads start on first use and are replaced if one dies. */
  private pick(): PoolThread {
    if (this.closed) throw new Error("The chunk thread pool was closed.");
    if (this.threads.length < this.size) {
      const t = new PoolThread((dead) => {
        const at = this.threads.indexOf(dead);
        if (at >= 0) this.threads.splice(at, 1);
      });
      this.threads.push(t);
      return t;
    }
    return this.threads.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
  }

  private run(op: Op, fields: { key?: Uint8Array; nonce?: Uint8Array; aad?: Uint8Array; data: Uint8Array }): Promise<Reply> {
    // A plaintext chunk to seal is the cipher's to consume (ContentCipher says so); anything
    // else, such as bytes a server hashes while it also stores them, is copied.
    const data = movable(fields.data, op === "seal");
    const id = this.nextId++;
    const message = { id, op, key: fields.key, nonce: fields.nonce, aad: fields.aad, data };
    return new Promise<Reply>((resolve, reject) => {
      const thread = this.pick();
      thread.post(message, [data.buffer as ArrayBuffer], {
        resolve(reply) {
          if (reply.error !== undefined) reject(new Error(`Chunk crypto thread: ${reply.error}`));
          else resolve(reply);
        },
        reject,
      });
    });
  }

  /**
   * Positioned file work: the thread reads, encrypts or decrypts, hashes and writes with its own
   * reused buffers; only the 32-byte digest comes back. The caller owns the file descriptors and
   * must keep them open until the promise settles.
   */
  sealAt(job: SealAtJob): Promise<PositionedResult> {
    return this.positioned("sealAt", job);
  }

  openAt(job: OpenAtJob): Promise<PositionedResult> {
    return this.positioned("openAt", job);
  }

  private positioned(op: "sealAt" | "openAt", job: SealAtJob | OpenAtJob): Promise<PositionedResult> {
    const id = this.nextId++;
    return new Promise<PositionedResult>((resolve, reject) => {
      this.pick().post({ id, op, ...job }, [], {
        resolve(reply) {
          if (reply.error === "CHANGED" || reply.error === "TRUNCATED") resolve({ digest: new Uint8Array(0), shortRead: true });
          else if (reply.error !== undefined) reject(new Error(`Chunk crypto thread: ${reply.error}`));
          else resolve({ digest: reply.digest as Uint8Array, tampered: reply.tampered });
        },
        reject,
      });
    });
  }

  /** SHA-256 on a pool thread (of a copy: the caller's bytes stay usable). */
  readonly digest: ChunkDigestFn = async (bytes) => (await this.run("digest", { data: bytes })).digest as Uint8Array;

  /** A ContentCipherFactory whose seal/open also return each chunk's digest. */
  readonly cipher: ContentCipherFactory = async (rawKey) => {
    if (rawKey.length !== CONTENT_KEY_LENGTH) throw new RangeError("AES-256 needs a 32-byte key");
    const key = Uint8Array.from(rawKey);
    const sealAndDigest = async (nonce: Uint8Array, aad: Uint8Array, plaintext: Uint8Array): Promise<DigestedChunk> => {
      const r = await this.run("seal", { key, nonce, aad, data: plaintext });
      return { bytes: r.out as Uint8Array, digest: r.digest as Uint8Array };
    };
    const openAndDigest = async (
      nonce: Uint8Array,
      aad: Uint8Array,
      sealed: Uint8Array,
      where: string,
    ): Promise<DigestedChunk> => {
      if (sealed.length < TAG_LENGTH) fail(CryptoErrorCode.TAMPERED_CHUNK, `${where} is shorter than its tag.`);
      const r = await this.run("open", { key, nonce, aad, data: sealed });
      if (r.tampered) {
        fail(
          CryptoErrorCode.TAMPERED_CHUNK,
          `${where} fails its integrity check: the envelope was altered, reordered or spliced.`,
        );
      }
      return { bytes: r.out as Uint8Array, digest: r.digest as Uint8Array };
    };
    const cipher: ContentCipher = {
      seal: async (nonce, aad, plaintext) => (await sealAndDigest(nonce, aad, plaintext)).bytes,
      open: async (nonce, aad, sealed, where) => (await openAndDigest(nonce, aad, sealed, where)).bytes,
      sealAndDigest,
      openAndDigest,
    };
    return cipher;
  };

  /** Stops the threads; work still in flight fails. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.threads.splice(0).map((t) => t.worker.terminate()));
  }
}

export function defaultThreadCount(): number {
  return Math.max(1, Math.min(availableParallelism(), 8));
}

let shared: ChunkThreadPool | null = null;

/** One pool per process, started on first use; its idle threads never keep the process alive. */
export function sharedChunkPool(): ChunkThreadPool {
  shared ??= new ChunkThreadPool();
  return shared;
}
