import { ingestBacklog } from "./ingest-threads.server.ts";

/** Always this many request bodies may be read at once (8 measured best with 2 cores and 4 ingest threads; decision 052). */
export const MIN_ACTIVE = 8;
/** How often waiting bodies are reconsidered (at most one more is admitted per tick). */
const TICK_MS = 25;
/**
 * Average size of the pieces read from admitted bodies at or above which their clients are
 * ahead of the server: each read found a socket buffer with data waiting (a read takes at most
 * 64 KiB). A client on a real line, slower than the server, yields small pieces.
 */
const DATA_WAITING_PIECE = 48 << 10;
/** Bytes waiting for the ingest threads (writing, hashing) above which the server counts as saturated (half of what 4 threads may queue). */
const BACKLOG_BYTES = 32 << 20;

interface Waiter {
  admit(): void;
}

/**
 * Admission of upload bodies (docs/decisions/051). When the server is the bottleneck, reading
 * every body at once gives each a sliver of its capacity: all uploads finish together at the
 * end, each with megabytes still in kernel socket buffers (which its client already counts as
 * sent), and all their verifications queue at once. Reading a bounded set of bodies instead,
 * first come first served, gives the same throughput while each admitted upload runs at full
 * speed: uploads complete one after another and the time from a bidder's last byte to the
 * receipt stays short.
 *
 * The set grows while its uploads are limited by their clients rather than by the server
 * (reads find little data waiting, hashing keeps up) and shrinks when they are not, so slow
 * clients (a real bidder's line) never hold the server below its capacity: when every client is
 * slower than the server, every body is read as it comes. A waiting request has been
 * authenticated and authorised and holds its upload's lock; its client's bytes wait in TCP
 * buffers (flow control). Nothing is refused or reordered within an upload.
 */
class IngestGate {
  private active = 0;
  private readonly waiting: Waiter[] = [];
  private timer: NodeJS.Timeout | null = null;
  private readBytes = 0;
  private reads = 0;
  private dataWaiting = false;

  /** Resolves with a release function once this body may be read; rejects if `signal` aborts first. */
  enter(signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.active < MIN_ACTIVE && this.waiting.length === 0) return Promise.resolve(this.admitted());
    return new Promise<() => void>((resolve, reject) => {
      const onAbort = () => {
        const at = this.waiting.indexOf(waiter);
        if (at >= 0) this.waiting.splice(at, 1);
        reject(signal?.reason);
      };
      const waiter: Waiter = {
        admit: () => {
          signal?.removeEventListener("abort", onAbort);
          resolve(this.admitted());
        },
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.waiting.push(waiter);
      this.schedule();
    });
  }

  /** An admitted body read a piece of `bytes`. */
  readonly noteRead = (bytes: number): void => {
    this.readBytes += bytes;
    this.reads++;
  };

  /** Bodies being read now, and bodies waiting (diagnostics). */
  get load(): { active: number; waiting: number; saturated: boolean } {
    return { active: this.active, waiting: this.waiting.length, saturated: this.saturated() };
  }

  private admitted(): () => void {
    this.active++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.active--;
      // A finished body is replaced unless the server is saturated (then the set shrinks by one).
      this.admitOne();
    };
  }

  private saturated(): boolean {
    return this.dataWaiting || ingestBacklog() > BACKLOG_BYTES;
  }

  private admitOne(): void {
    if (this.waiting.length === 0) return;
    if (this.active >= MIN_ACTIVE && this.saturated()) return;
    this.waiting.shift()?.admit();
  }

  private schedule(): void {
    if (this.timer) return;
    this.readBytes = 0;
    this.reads = 0;
    this.timer = setInterval(() => {
      // No reads at all in a tick: the admitted clients sent nothing, so none is ahead of the server.
      this.dataWaiting = this.reads > 0 && this.readBytes / this.reads >= DATA_WAITING_PIECE;
      this.readBytes = 0;
      this.reads = 0;
      this.admitOne();
      if (this.waiting.length === 0 && this.timer) {
        clearInterval(this.timer);
        this.timer = null;
        this.dataWaiting = false;
      }
    }, TICK_MS);
    this.timer.unref();
  }
}

export const ingestGate = new IngestGate();
