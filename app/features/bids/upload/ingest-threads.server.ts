import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { workerSource } from "../../../../crypto/index.node.ts";
import { ingestWorkerMain } from "./ingest-worker.server.ts";

/**
 * The bulk work on an upload's bytes, on worker threads: writing them to the upload file by
 * position, and SHA-256 of them — the whole file (the receipt's envelope hash) and announced
 * byte ranges (the chunk digests the signed manifest lists) — in one pass over each byte.
 *
 * Received buffers are transferred to the thread, not copied, as soon as they arrive: the main
 * thread neither copies, writes nor hashes request bodies, and a body leaves its heap at once (a
 * detached ArrayBuffer no longer counts towards V8's external memory, whose growth otherwise
 * forces full collections of the server's heap every few dozen MB received). The threads run at
 * a lower CPU priority than the main thread on Linux: when the machine is saturated, request
 * handling (sessions, verification, the database) stays responsive and the bytes wait (the
 * writers pause their requests, TCP flow control does the rest).
 *
 * Writes bypass the page cache (O_DIRECT) where the file system allows it: whole 4 KiB blocks
 * from a page-aligned stage, the last partial block through the page cache when the request
 * ends. Filling fresh page cache was the largest single cost of taking an upload (docs/decisions/052);
 * an envelope is not read again until its opening.
 *
 * The worker is `ingestWorkerMain` (ingest-worker.server.ts), a real function run with
 * `eval: true` (crypto's `workerSource`, as crypto/envelope/thread-pool.node.ts does): the server
 * build is one bundle with no separate worker file beside it.
 */
const WORKER_SOURCE = workerSource(ingestWorkerMain);

/**
 * Bytes sent to one thread and not yet processed beyond which writers are asked to pause. Small:
 * an upload's last bytes queue behind this much of other uploads' before its receipt.
 */
const THREAD_HIGH_WATER = 8 << 20;
/** Received pieces gathered into one message (and one positioned write). */
const BATCH_BYTES = 2 << 20;

interface Reply {
  id: number;
  seq?: number;
  digest?: Uint8Array;
  done?: number;
  bytes?: number;
  flushed?: number;
  sha256?: string;
  error?: string;
}

interface Waiter<T> {
  resolve(value: T): void;
  reject(error: Error): void;
}

class IngestThread {
  readonly worker: Worker;
  readonly jobs = new Map<number, IngestJob>();
  /** Bytes sent and not yet processed. */
  inFlight = 0;
  /** Messages sent that will be answered (data, flush, finish) and are not yet. */
  private awaited = 0;
  readonly drainListeners = new Set<() => void>();

  constructor(onExit: (thread: IngestThread) => void) {
    this.worker = new Worker(WORKER_SOURCE, { eval: true, name: "upload-ingest" });
    this.worker.unref();
    this.worker.on("message", (reply: Reply) => {
      if (reply.bytes) this.processed(reply.bytes);
      if (reply.done !== undefined || reply.flushed !== undefined || reply.sha256 !== undefined || reply.error !== undefined)
        this.answered();
      this.jobs.get(reply.id)?.receive(reply);
    });
    const die = (error: Error) => {
      for (const j of this.jobs.values()) j.fail(error);
      this.jobs.clear();
      this.inFlight = 0;
      this.awaited = 0;
      this.notifyDrain();
      onExit(this);
    };
    this.worker.on("error", die);
    this.worker.on("exit", (code) => die(new Error(`An upload ingest thread stopped (exit code ${code}).`)));
  }

  get keepsUp(): boolean {
    return this.inFlight <= THREAD_HIGH_WATER;
  }

  send(message: { op: string; id: number; pieces?: Uint8Array[]; [field: string]: unknown }): void {
    const pieces = message.pieces ?? [];
    this.inFlight += pieces.reduce((n, p) => n + p.byteLength, 0);
    if (message.op === "data" || message.op === "flush" || message.op === "finish") {
      // A thread with work under way keeps the process alive until it is done, and only then.
      if (this.awaited++ === 0) this.worker.ref();
    }
    try {
      this.worker.postMessage(
        message,
        pieces.map((p) => p.buffer as ArrayBuffer),
      );
    } catch {
      // A buffer that cannot move (not detachable): send copies instead.
      this.worker.postMessage({ ...message, pieces: pieces.map((p) => p.slice()) });
    }
  }

  private answered(): void {
    if (this.awaited > 0 && --this.awaited === 0) this.worker.unref();
  }

  private processed(bytes: number): void {
    const wasBehind = !this.keepsUp;
    this.inFlight = Math.max(0, this.inFlight - bytes);
    if (wasBehind && this.keepsUp) this.notifyDrain();
  }

  private notifyDrain(): void {
    for (const listener of [...this.drainListeners]) listener();
  }

  attach(job: IngestJob): void {
    this.jobs.set(job.id, job);
  }

  detach(job: IngestJob): void {
    this.jobs.delete(job.id);
  }
}

const threads: IngestThread[] = [];
let nextId = 1;

/**
 * Two threads per core (at most 8): a direct write blocks its thread until the device has the
 * bytes, and meanwhile another thread hashes (decision 052: 2 → 4 threads on 2 cores took the
 * bench's storing sink from ~470 to ~530 MB/s).
 */
function threadCount(): number {
  return Math.max(2, Math.min(2 * availableParallelism(), 8));
}

/** The least loaded thread; threads start on first use and are replaced if one dies. */
function pickThread(): IngestThread {
  if (threads.length < threadCount()) {
    const t = new IngestThread((dead) => {
      const at = threads.indexOf(dead);
      if (at >= 0) threads.splice(at, 1);
    });
    threads.push(t);
    return t;
  }
  return threads.reduce((a, b) =>
    b.jobs.size < a.jobs.size || (b.jobs.size === a.jobs.size && b.inFlight < a.inFlight) ? b : a,
  );
}

/** Bytes sent to the ingest threads and not yet written or hashed, all threads together. */
export function ingestBacklog(): number {
  return threads.reduce((n, t) => n + t.inFlight, 0);
}

/** Bytes a thread may take over: the whole of their buffer, or else an exact copy. */
function movable(bytes: Uint8Array): Uint8Array {
  const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer;
  return whole ? bytes : bytes.slice();
}

export interface IngestJobOptions {
  /** The upload file; bytes are written to it by position (it must exist). */
  file: string;
  /** Write the bytes (false: only hash, e.g. a file already stored). */
  write: boolean;
  /** Hash the bytes (whole file and announced ranges); they must then start at offset 0. */
  hash: boolean;
  /** File offset of the first byte pushed. */
  start?: number;
  /**
   * Write with direct I/O (O_DIRECT, Linux) where the file system allows it, else through the page
   * cache (the default: true). See docs/decisions/052.
   */
  direct?: boolean;
}

/**
 * One upload's bytes, in file order, on one thread: written and/or hashed. push() hands a
 * received piece over (buffers that own their memory are moved to the thread and unusable
 * here afterwards).
 */
export class IngestJob {
  readonly id = nextId++;
  private readonly thread = pickThread();
  private readonly digests = new Map<number, Waiter<Uint8Array>>();
  private readonly flushes = new Map<number, Waiter<void>>();
  private ranges: { seq: number; start: number; end: number }[] = [];
  private batch: Uint8Array[] = [];
  private batchBytes = 0;
  private whole: Waiter<string> | null = null;
  private nextSeq = 1;
  private closed = false;
  /** File offset after the last byte pushed. */
  private pushed: number;
  /** File offset up to which every pushed byte was processed (written, when writing). */
  done: number;
  failure: Error | null = null;

  constructor(options: IngestJobOptions) {
    this.pushed = this.done = options.start ?? 0;
    this.thread.attach(this);
    this.thread.send({
      op: "open",
      id: this.id,
      path: options.file,
      write: options.write,
      hash: options.hash,
      direct: options.direct ?? true,
    });
  }

  /**
   * SHA-256 of bytes [start, end), computed as they pass; ranges are announced in file order,
   * without overlap, before the byte at `start` is pushed.
   */
  range(start: number, end: number): Promise<Uint8Array> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.closed) return Promise.reject(new Error("The upload ingest job was closed."));
    const seq = this.nextSeq++;
    const digest = new Promise<Uint8Array>((resolve, reject) => this.digests.set(seq, { resolve, reject }));
    // A walk that stopped early (malformed envelope) no longer awaits its later digests.
    digest.catch(() => undefined);
    this.ranges.push({ seq, start, end });
    return digest;
  }

  /** The next received bytes. False while the threads are behind: the reader should pause. */
  push(bytes: Uint8Array): boolean {
    if (this.closed || this.failure) return true;
    this.batch.push(bytes);
    this.batchBytes += bytes.length;
    if (this.batchBytes >= BATCH_BYTES) this.send();
    return this.thread.keepsUp;
  }

  get keepsUp(): boolean {
    return this.closed || this.failure !== null || this.thread.keepsUp;
  }

  onDrain(listener: () => void): () => void {
    this.thread.drainListeners.add(listener);
    return () => this.thread.drainListeners.delete(listener);
  }

  /** Everything pushed so far is processed (and the thread lets go of the file); resolves with that offset. */
  async flush(): Promise<number> {
    if (this.failure) throw this.failure;
    if (this.closed) throw new Error("The upload ingest job was closed.");
    this.send();
    const seq = this.nextSeq++;
    await new Promise<void>((resolve, reject) => {
      this.flushes.set(seq, { resolve, reject });
      this.thread.send({ op: "flush", id: this.id, seq });
    });
    return this.done;
  }

  /** SHA-256 of everything pushed (hex), once processed; ends the job. */
  finish(): Promise<string> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.closed) return Promise.reject(new Error("The upload ingest job was closed."));
    this.send();
    const sha256 = new Promise<string>((resolve, reject) => {
      this.whole = { resolve, reject };
    });
    sha256.catch(() => undefined);
    this.thread.send({ op: "finish", id: this.id });
    return sha256;
  }

  /** Stops the job; anything still pending fails. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.batch = [];
    this.thread.send({ op: "close", id: this.id });
    this.fail(new Error("The upload ingest job was closed."));
  }

  private send(): void {
    if (this.closed || this.failure || (this.batch.length === 0 && this.ranges.length === 0)) return;
    const pieces = this.batch.map(movable);
    const at = this.pushed;
    this.pushed += this.batchBytes;
    const ranges = this.ranges;
    this.batch = [];
    this.batchBytes = 0;
    this.ranges = [];
    this.thread.send({ op: "data", id: this.id, at, ranges, pieces });
  }

  /** @internal a reply from the thread */
  receive(reply: Reply): void {
    if (reply.error !== undefined) {
      this.fail(new Error(`Upload ingest thread: ${reply.error}`));
    } else if (reply.seq !== undefined) {
      const w = this.digests.get(reply.seq);
      this.digests.delete(reply.seq);
      w?.resolve(reply.digest as Uint8Array);
    } else if (reply.done !== undefined) {
      this.done = reply.done;
    } else if (reply.flushed !== undefined) {
      const w = this.flushes.get(reply.flushed);
      this.flushes.delete(reply.flushed);
      w?.resolve();
    } else if (reply.sha256 !== undefined) {
      const w = this.whole;
      this.whole = null;
      this.closed = true;
      this.thread.detach(this);
      w?.resolve(reply.sha256);
    }
  }

  /** @internal */
  fail(error: Error): void {
    this.failure ??= error;
    for (const w of this.digests.values()) w.reject(error);
    this.digests.clear();
    for (const w of this.flushes.values()) w.reject(error);
    this.flushes.clear();
    this.whole?.reject(error);
    this.whole = null;
    this.thread.detach(this);
  }
}
