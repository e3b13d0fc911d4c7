// `npm run bench:media`: how many supervisor consumers one mediasoup worker carries for one room
// with four camera streams, with loss, CPU and publisher → consumer latency; and what recording
// costs per stream. Local traffic only (127.0.0.1); stops by itself within a few minutes.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { types } from "mediasoup";
import { InMemoryAuditSink } from "../audit/audit-sink.ts";
import { loadMediasoup } from "../mediasoup-loader.ts";
import { ffmpegIngestOutputArgs } from "../rooms/ingest.ts";
import { WitnessRoom } from "../rooms/witness-room.ts";
import { WorkerPool } from "../rooms/worker-pool.ts";
import { ensureMediaWorker } from "../scripts/build-worker.mjs";
import { LocalDiskStorage } from "../storage/local-disk-storage.ts";
import { cpuPercent } from "./proc-cpu.ts";
import { startProbe } from "./probe-publisher.ts";
import { RtpSink } from "./rtp-sink.ts";

const CAMERAS = 4;
const STEP = 100;
const MAX_CONSUMERS = Number(process.env.BENCH_MAX_CONSUMERS ?? 1000);
const MEASURE_MS = 3000;
// Latency is judged on the median: the tail includes this process's own event loop, which
// receives every consumer's packets on a machine shared with the worker and the cameras.
const LIMITS = { lossPct: 1, workerCpuPct: 90, latencyMs: 300 };
const DEADLINE = Date.now() + 3 * 60_000;

function startCamera(spec: Parameters<typeof ffmpegIngestOutputArgs>[0]): ChildProcess {
  // A light picture keeps the cameras' encoders from competing with the worker for the CPU.
  const inputs = ["-re", "-f", "lavfi", "-i", "testsrc2=size=320x180:rate=25", "-re", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000"];
  return spawn("ffmpeg", ["-hide_banner", "-loglevel", "error", ...inputs, ...ffmpegIngestOutputArgs(spec)], { stdio: ["ignore", "ignore", "inherit"] });
}

async function addConsumer(router: types.Router, producerId: string, sink: RtpSink, port: number): Promise<types.PlainTransport> {
  const transport = await router.createPlainTransport({ listenInfo: { protocol: "udp", ip: "127.0.0.1" }, rtcpMux: true, comedia: false });
  await transport.connect({ ip: "127.0.0.1", port });
  const consumer = await transport.consume({ producerId, rtpCapabilities: router.rtpCapabilities });
  const ssrc = consumer.rtpParameters.encodings?.[0]?.ssrc;
  if (ssrc !== undefined) sink.count(ssrc);
  return transport;
}

/** Adds `count` consumers, 25 channel requests at a time (one by one is slow on a busy machine). */
async function addConsumers(router: types.Router, producerIds: string[], sink: RtpSink, count: number, offset: number): Promise<types.PlainTransport[]> {
  const ports = sink.ports();
  const transports: types.PlainTransport[] = [];
  for (let batch = 0; batch < count; batch += 25) {
    const indexes = Array.from({ length: Math.min(25, count - batch) }, (_, i) => offset + batch + i);
    transports.push(...(await Promise.all(indexes.map((n) =>
      addConsumer(router, producerIds[n % producerIds.length] ?? "", sink, ports[n % ports.length] ?? 0)))));
  }
  return transports;
}

async function main(): Promise<void> {
  const mediasoup = await loadMediasoup(ensureMediaWorker());
  const pool = await WorkerPool.create({ mediasoup, size: 1, rtcMinPort: 40000, rtcMaxPort: 49999 });
  const workerPid = pool.describe()[0]?.pid ?? 0;
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "bench-media-"));
  const room = await WitnessRoom.create("bench", "bench", {
    pool, storage: new LocalDiskStorage(dir), audit: new InMemoryAuditSink(), segmentSeconds: 10, ffmpegBin: "ffmpeg",
    webRtcListenIp: "127.0.0.1", announcedIp: "127.0.0.1", ingestIp: "127.0.0.1",
  });
  const cameras: ChildProcess[] = [];
  for (let i = 0; i < CAMERAS; i++) cameras.push(startCamera(await room.addIngest({ label: `camera-${i + 1}`, videoCodec: "VP8", audio: true })));
  const probe = await startProbe(room.router);
  const sink = await RtpSink.open(4);
  await new Promise((r) => setTimeout(r, 3000));

  const recorderPids = room.listProducers().map((p) => room.recorderFor(p.producerId)?.ffmpegPid).filter((p): p is number => p !== undefined);
  const recorderCpu = await cpuPercent(recorderPids, 5000);
  const recordingCpuPerStream = recorderCpu.reduce((a, b) => a + b, 0) / Math.max(1, recorderCpu.length);

  // Consumers take the cameras' videos, sounds and the latency probe in turn, like supervisors.
  const producerIds = [...room.listProducers().map((p) => p.producerId), probe.producer.id];
  const transports: types.PlainTransport[] = [];
  let best = { consumers: 0, lossPct: 0, latencyMs: 0, latencyP95: 0, workerCpuPct: 0 };
  console.log("consumers  loss%  worker-cpu%  latency-p50ms  latency-p95ms");
  while (transports.length < MAX_CONSUMERS && Date.now() < DEADLINE) {
    transports.push(...(await addConsumers(room.router, producerIds, sink, STEP, transports.length)));
    await new Promise((r) => setTimeout(r, 1000));
    sink.reset();
    const [workerCpu = 0] = await cpuPercent([workerPid], MEASURE_MS);
    const r = sink.report();
    console.log(`${String(transports.length).padStart(9)}  ${r.lossPct.toFixed(2).padStart(5)}  ${workerCpu.toFixed(1).padStart(11)}  ${r.latencyP50.toFixed(1).padStart(13)}  ${r.latencyP95.toFixed(1).padStart(13)}`);
    if (r.lossPct > LIMITS.lossPct || workerCpu > LIMITS.workerCpuPct || !(r.latencyP50 <= LIMITS.latencyMs)) break;
    best = { consumers: transports.length, lossPct: r.lossPct, latencyMs: r.latencyP50, latencyP95: r.latencyP95, workerCpuPct: workerCpu };
  }

  for (const t of transports) t.close();
  probe.stop();
  sink.close();
  for (const c of cameras) c.kill("SIGINT");
  await room.close();
  pool.close();
  await fs.rm(dir, { recursive: true, force: true });
  console.log(`consumers per worker: ${best.consumers} (loss ${best.lossPct.toFixed(2)} %, worker CPU ${best.workerCpuPct.toFixed(1)} % of a core, latency median ${best.latencyMs.toFixed(1)} ms, p95 ${best.latencyP95.toFixed(1)} ms)`);
  console.log(`machine load average at the end: ${os.loadavg().map((l) => l.toFixed(1)).join(" ")} on ${os.cpus().length} cores`);
  console.log(`recording: ${recordingCpuPerStream.toFixed(2)} % of a core per recorded stream (FFmpeg stream copy, ${recorderPids.length} streams)`);
  console.log(JSON.stringify({
    bench: "media",
    consumers_per_worker: best.consumers,
    loss_pct: Number(best.lossPct.toFixed(3)),
    latency_ms: Number(best.latencyMs.toFixed(1)),
    recording_cpu_pct_per_stream: Number(recordingCpuPerStream.toFixed(2)),
  }));
}

main().then(() => process.exit(0), (error: unknown) => {
  console.error(error);
  process.exit(1);
});
