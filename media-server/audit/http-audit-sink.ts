// Sends audit entries to the app (`POST {APP_INTERNAL_URL}/internal/audit`). Every entry is
// written to a spool file before it is sent and removed only after the app acknowledged it, so an
// app restart or a media-server crash never loses an entry: the spool is replayed at start.
import fs from "node:fs/promises";
import path from "node:path";
import { randomUUID } from "node:crypto";
import type { AuditEntry, AuditSink } from "./audit-sink.ts";

export type HttpAuditSinkOptions = {
  appInternalUrl: string;
  internalSecret: string;
  spoolDir: string;
  /** Upper bound of spooled entries; beyond it the process refuses new entries loudly. */
  maxSpooled?: number;
  retryDelayMs?: number;
  fetchImpl?: typeof fetch;
};

export class HttpAuditSink implements AuditSink {
  private readonly queue: string[] = [];
  private draining: Promise<void> | null = null;
  private closed = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private idleWaiters: Array<() => void> = [];

  constructor(private readonly options: HttpAuditSinkOptions) {}

  /** Loads entries left in the spool by a previous run and starts sending them. */
  async start(): Promise<void> {
    await fs.mkdir(this.options.spoolDir, { recursive: true });
    const files = (await fs.readdir(this.options.spoolDir)).filter((f) => f.endsWith(".json")).sort();
    this.queue.push(...files);
    this.kick();
  }

  async append(entry: AuditEntry): Promise<void> {
    if (this.closed) throw new Error("audit sink closed");
    if (this.queue.length >= (this.options.maxSpooled ?? 100_000)) {
      throw new Error(`audit spool full (${this.queue.length} entries): is the app reachable?`);
    }
    // Time-ordered names keep the replay order equal to the append order.
    const name = `${Date.now().toString().padStart(15, "0")}-${process.hrtime.bigint()}-${randomUUID()}.json`;
    const file = path.join(this.options.spoolDir, name);
    await fs.writeFile(`${file}.tmp`, JSON.stringify(entry));
    await fs.rename(`${file}.tmp`, file);
    this.queue.push(name);
    this.kick();
  }

  async flush(): Promise<void> {
    if (this.queue.length === 0 && !this.draining) return;
    await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    await this.draining;
  }

  private kick(): void {
    if (this.draining || this.closed || this.retryTimer) return;
    this.draining = this.drain().finally(() => {
      this.draining = null;
      if (this.queue.length === 0) this.idleWaiters.splice(0).forEach((resolve) => resolve());
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0 && !this.closed) {
      const name = this.queue[0] as string;
      const file = path.join(this.options.spoolDir, name);
      const body = await fs.readFile(file, "utf8").catch(() => null);
      // A spool file that vanished was sent by a previous run that stopped before dequeuing it.
      if (body !== null && !(await this.send(name.replace(/\.json$/, ""), body))) {
        this.scheduleRetry();
        return;
      }
      await fs.rm(file, { force: true });
      this.queue.shift();
    }
  }

  /** The spool name is the entry's eventId: the app records a retried delivery once. */
  private async send(eventId: string, entry: string): Promise<boolean> {
    const body = JSON.stringify({ eventId, ...(JSON.parse(entry) as object) });
    const doFetch = this.options.fetchImpl ?? fetch;
    try {
      const response = await doFetch(new URL("/internal/audit", this.options.appInternalUrl), {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${this.options.internalSecret}` },
        body,
        signal: AbortSignal.timeout(10_000),
      });
      return response.ok;
    } catch {
      return false;
    }
  }

  private scheduleRetry(): void {
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.kick();
    }, this.options.retryDelayMs ?? 2_000);
    this.retryTimer.unref();
  }
}
