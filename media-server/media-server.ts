// Assembles the media server: worker pool, rooms, internal API, signaling, playback, health.
// `main.ts` runs it from the environment; tests build one with their own options on port 0.
import http from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { Server as SocketServer } from "socket.io";
import type { AuditSink } from "./audit/audit-sink.ts";
import { internalApi } from "./http/internal-api.ts";
import { playbackRoutes } from "./http/playback.ts";
import { loadMediasoup } from "./mediasoup-loader.ts";
import { RoomRegistry } from "./rooms/room-registry.ts";
import { WorkerPool, type WorkerDeath } from "./rooms/worker-pool.ts";
import { attachWitnessNamespace } from "./signaling/witness-namespace.ts";
import type { RecordingStorage } from "./storage/recording-storage.ts";

export type MediaServerOptions = {
  port: number;
  bind: string;
  announcedIp: string;
  rtcMinPort: number;
  rtcMaxPort: number;
  workers: number;
  workerBin: string;
  internalSecret: string;
  tokenSecret: string;
  segmentSeconds: number;
  ffmpegBin: string;
  storage: RecordingStorage;
  audit: AuditSink;
  /** Origins allowed to open the signaling socket from a browser (the app's own origin). */
  corsOrigins?: string[];
};

export type MediaServer = {
  url: string;
  port: number;
  rooms: RoomRegistry;
  pool: WorkerPool;
  deaths: WorkerDeath[];
  close(): Promise<void>;
};

export async function startMediaServer(o: MediaServerOptions): Promise<MediaServer> {
  const mediasoup = await loadMediasoup(o.workerBin);
  const pool = await WorkerPool.create({ mediasoup, size: o.workers, rtcMinPort: o.rtcMinPort, rtcMaxPort: o.rtcMaxPort });
  const deaths: WorkerDeath[] = [];
  pool.on("replaced", (death) => {
    deaths.push(death);
    void o.audit.append({ action: "witness.worker.replaced", subject: `media-worker:${death.pid}`, data: { ...death } });
  });
  const rooms = new RoomRegistry({
    pool,
    storage: o.storage,
    audit: o.audit,
    segmentSeconds: o.segmentSeconds,
    ffmpegBin: o.ffmpegBin,
    webRtcListenIp: o.bind,
    announcedIp: o.announcedIp,
    ingestIp: o.bind,
  });

  const app = express();
  app.disable("x-powered-by");
  app.get("/healthz", (_req, res) => {
    const workers = pool.describe();
    const ok = workers.length === o.workers && workers.every((w) => w.alive);
    res.status(ok ? 200 : 503).json({ ok, workers, rooms: rooms.list().length });
  });
  app.use("/internal", internalApi(rooms, o.storage, o.internalSecret));
  app.use("/playback", playbackRoutes(o.storage, o.tokenSecret, o.ffmpegBin));

  const server = http.createServer(app);
  const io = new SocketServer(server, { cors: { origin: o.corsOrigins ?? true, credentials: false }, serveClient: false });
  attachWitnessNamespace(io, rooms, o.tokenSecret);
  await new Promise<void>((resolve) => server.listen(o.port, o.bind, resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://${o.bind}:${port}`,
    port,
    rooms,
    pool,
    deaths,
    async close() {
      await rooms.closeAll();
      await o.audit.flush();
      io.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      pool.close();
    },
  };
}
