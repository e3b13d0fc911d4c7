import { isPoolTimeout, PUBLIC_POOL_MAX, PUBLIC_POOL_WAIT_MS } from "./db.server.ts";

/**
 * Admission for public reads that must render (cache misses, signed-in visitors of public pages):
 * at most PUBLIC_POOL_MAX run at once, as many connections as the public pool has; up to
 * QUEUE_MAX more wait their turn in order, each at most PUBLIC_POOL_WAIT_MS. Past that a request
 * is shed at once with 503 + Retry-After (docs/decisions/070): overload slows answers, then sheds
 * them early and cheaply, and never turns into a 500 or a connection taken from the main pool.
 */
export const QUEUE_MAX = 64;
export const RETRY_AFTER_SECONDS = 2;

export class Overloaded extends Error {
  constructor(readonly reason: "queue-full" | "waited-too-long") {
    super(`public reads overloaded (${reason})`);
  }
}

export class Gate {
  private running = 0;
  private readonly waiting: { grant: () => void; timer: NodeJS.Timeout }[] = [];

  constructor(
    private readonly limit: number,
    private readonly queueMax: number,
    private readonly waitMs: number,
  ) {}

  /** Runs `work` once admitted; rejects with Overloaded when shed. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    await this.admit();
    try {
      return await work();
    } finally {
      this.release();
    }
  }

  get load(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting.length };
  }

  private admit(): Promise<void> {
    if (this.running < this.limit) {
      this.running++;
      return Promise.resolve();
    }
    if (this.waiting.length >= this.queueMax) return Promise.reject(new Overloaded("queue-full"));
    return new Promise((resolve, reject) => {
      const entry = {
        grant: () => {
          clearTimeout(entry.timer);
          resolve();
        },
        timer: setTimeout(() => {
          const i = this.waiting.indexOf(entry);
          if (i >= 0) this.waiting.splice(i, 1);
          reject(new Overloaded("waited-too-long"));
        }, this.waitMs),
      };
      this.waiting.push(entry);
    });
  }

  private release(): void {
    const next = this.waiting.shift();
    // The slot passes straight to the next in line (running stays the same).
    if (next) next.grant();
    else this.running--;
  }
}

let gate: Gate | undefined;

/** The process's gate in front of the public pool. */
export function publicGate(): Gate {
  gate ??= new Gate(PUBLIC_POOL_MAX, QUEUE_MAX, PUBLIC_POOL_WAIT_MS);
  return gate;
}

/** The answer to a public read shed for load: 503 with Retry-After, never an error page's 500. */
export function busyResponse(): Response {
  return new Response("访问人数较多，请稍后再试。Too many visitors right now; please try again in a moment.", {
    status: 503,
    headers: {
      "Retry-After": String(RETRY_AFTER_SECONDS),
      "Cache-Control": "no-store",
      "Content-Type": "text/plain; charset=utf-8",
    },
  });
}

/**
 * Runs one public read; when the public pool could not give it a connection in time (it is held
 * busy), throws the 503 response instead of letting a 500 happen.
 */
export async function publicRead<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isPoolTimeout(error)) throw busyResponse();
    throw error;
  }
}
