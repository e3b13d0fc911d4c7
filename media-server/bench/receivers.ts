// The bench's supervisors, out of the bench's process: receiver children (rtp-receiver.ts) that
// count the consumers' packets and time the probe's, so the bench's own event loop (which drives
// mediasoup's channel) never sits between the worker and the figures.
import { fork, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { Tally } from "./rtp-counter.ts";

export type ToReceiver =
  | { type: "count"; ssrcs: number[] }
  | { type: "probe"; port: number }
  | { type: "reset"; id: number }
  | { type: "report"; id: number }
  | { type: "stop" };

type Latency = { n: number; p50: number | null; p95: number | null; max: number | null };

export type FromReceiver =
  | { type: "ready"; ports: number[]; recvBufferBytes: number[] }
  | { type: "reset"; id: number }
  | ({ type: "report"; id: number; latency: Latency } & Tally);

type Report = Extract<FromReceiver, { type: "report" }>;

const ENTRY = fileURLToPath(new URL("./rtp-receiver.ts", import.meta.url));

export class Receiver {
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (message: FromReceiver) => void; reject: (error: Error) => void }>();

  private constructor(
    readonly role: "count" | "latency",
    private readonly child: ChildProcess,
    readonly ports: number[],
    readonly recvBufferBytes: number[],
  ) {
    child.on("message", (message: FromReceiver) => {
      if (message.type === "ready") return;
      this.waiting.get(message.id)?.resolve(message);
      this.waiting.delete(message.id);
    });
    child.on("error", (error) => console.error(`[bench] ${role} receiver ${child.pid}: ${error.message}`));
    child.on("exit", (code, signal) => {
      if (code !== 0) console.error(`[bench] ${role} receiver ${child.pid} exited (code ${code}, signal ${signal})`);
      for (const w of this.waiting.values()) w.reject(new Error(`${role} receiver ${child.pid} exited`));
      this.waiting.clear();
    });
  }

  /** Forks a receiver with the same Node flags as this process (the tsx loader), and waits until its sockets are bound. */
  static async start(role: "count" | "latency", sockets: number, recvBufferSize: number): Promise<Receiver> {
    const child = fork(ENTRY, [role, String(sockets), String(recvBufferSize)], {
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    const ready = await new Promise<Extract<FromReceiver, { type: "ready" }>>((resolve, reject) => {
      child.once("error", reject);
      child.once("exit", (code) => reject(new Error(`${role} receiver exited (code ${code}) before it was ready`)));
      child.on("message", (message: FromReceiver) => {
        if (message.type === "ready") resolve(message);
      });
    });
    child.removeAllListeners("exit");
    child.removeAllListeners("error");
    return new Receiver(role, child, ready.ports, ready.recvBufferBytes);
  }

  get pid(): number {
    return this.child.pid ?? 0;
  }

  private post(message: ToReceiver): void {
    this.child.send(message);
  }

  private request(type: "reset" | "report"): Promise<FromReceiver> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.post({ type, id });
    });
  }

  /** Counts these SSRCs from now on (sent before the next window's `reset`, so always in time). */
  count(ssrcs: number[]): void {
    if (ssrcs.length > 0) this.post({ type: "count", ssrcs });
  }

  sendProbesTo(port: number): void {
    this.post({ type: "probe", port });
  }

  async reset(): Promise<void> {
    await this.request("reset");
  }

  async report(): Promise<Report> {
    return (await this.request("report")) as Report;
  }

  stop(): void {
    if (this.child.connected) this.post({ type: "stop" });
  }
}

export type WindowReport = {
  streams: number;
  expected: number;
  received: number;
  lossPct: number;
  latency: { n: number; p50: number; p95: number; max: number };
};

/** Sums the counting receivers' tallies; latency comes from the latency receiver. */
export function combine(reports: Report[]): WindowReport {
  const expected = reports.reduce((a, r) => a + r.expected, 0);
  const received = reports.reduce((a, r) => a + r.received, 0);
  const timed = reports.find((r) => r.latency.n > 0)?.latency;
  return {
    streams: reports.reduce((a, r) => a + r.streams, 0),
    expected,
    received,
    lossPct: expected > 0 ? Math.max(0, (1 - received / expected) * 100) : 0,
    latency: { n: timed?.n ?? 0, p50: timed?.p50 ?? Number.NaN, p95: timed?.p95 ?? Number.NaN, max: timed?.max ?? Number.NaN },
  };
}
