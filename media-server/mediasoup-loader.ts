// mediasoup reads MEDIASOUP_WORKER_BIN once, when its module is first evaluated. Importing it
// through here guarantees the variable points at the worker built by scripts/build-worker.mjs.
import fs from "node:fs";

export type Mediasoup = typeof import("mediasoup");

export async function loadMediasoup(workerBin: string): Promise<Mediasoup> {
  if (!fs.existsSync(workerBin)) {
    throw new Error(`mediasoup worker not found at ${workerBin}: run node media-server/scripts/build-worker.mjs`);
  }
  process.env.MEDIASOUP_WORKER_BIN = workerBin;
  return import("mediasoup");
}
