// One mediasoup worker per core. Rooms go to the least-loaded worker; a worker that dies is
// replaced at once and its rooms are told (through their routers' `workerclose`) to rebuild.
import { EventEmitter } from "node:events";
import type { types } from "mediasoup";
import type { Mediasoup } from "../mediasoup-loader.ts";

export type WorkerPoolOptions = {
  mediasoup: Mediasoup;
  size: number;
  rtcMinPort: number;
  rtcMaxPort: number;
};

type Slot = { worker: types.Worker; rooms: number };

export type WorkerDeath = { pid: number; diedAt: string; error: string; replacementPid: number };

export class WorkerPool extends EventEmitter<{ replaced: [WorkerDeath] }> {
  private readonly slots: Slot[] = [];
  private closed = false;
  private replacements: Promise<unknown> = Promise.resolve();

  private constructor(private readonly o: WorkerPoolOptions) {
    super();
  }

  static async create(o: WorkerPoolOptions): Promise<WorkerPool> {
    const pool = new WorkerPool(o);
    for (let i = 0; i < o.size; i++) await pool.spawn();
    return pool;
  }

  private async spawn(): Promise<Slot> {
    const worker = await this.o.mediasoup.createWorker({
      logLevel: "warn",
      rtcMinPort: this.o.rtcMinPort,
      rtcMaxPort: this.o.rtcMaxPort,
    });
    const slot: Slot = { worker, rooms: 0 };
    this.slots.push(slot);
    worker.on("died", (error) => this.onDied(slot, error));
    return slot;
  }

  private onDied(slot: Slot, error: Error): void {
    const diedAt = new Date().toISOString();
    this.slots.splice(this.slots.indexOf(slot), 1);
    if (this.closed) return;
    console.error(`[media] worker ${slot.worker.pid} died: ${error.message}; replacing it`);
    this.replacements = this.replacements.then(async () => {
      const replacement = await this.spawn();
      this.emit("replaced", { pid: slot.worker.pid, diedAt, error: error.message, replacementPid: replacement.worker.pid });
    });
  }

  /** The worker with the fewest rooms; waits for a replacement when every worker has died. */
  async acquire(): Promise<types.Worker> {
    await this.replacements;
    const slot = this.slots.filter((s) => !s.worker.died && !s.worker.closed).sort((a, b) => a.rooms - b.rooms)[0];
    if (!slot) throw new Error("no mediasoup worker available");
    slot.rooms += 1;
    return slot.worker;
  }

  release(worker: types.Worker): void {
    const slot = this.slots.find((s) => s.worker === worker);
    if (slot) slot.rooms = Math.max(0, slot.rooms - 1);
  }

  describe(): Array<{ pid: number; alive: boolean; rooms: number }> {
    return this.slots.map((s) => ({ pid: s.worker.pid, alive: !s.worker.closed && !s.worker.died, rooms: s.rooms }));
  }

  get size(): number {
    return this.slots.length;
  }

  close(): void {
    this.closed = true;
    for (const slot of this.slots.splice(0)) slot.worker.close();
  }
}
