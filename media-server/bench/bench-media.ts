// `npm run bench:media`: how many supervisor consumers one mediasoup worker carries for one room
// with four camera streams, with loss, CPU and publisher → consumer latency; and what recording
// costs per stream. Local traffic only (127.0.0.1); stops by itself within a few minutes.
// Method and caveats: docs/decisions/036-media-benchmark-method.md.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs/promises";
import { readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { types } from "mediasoup";
import { InMemoryAuditSink } from "../audit/audit-sink.ts";
import { loadMediasoup } from "../mediasoup-loader.ts";
import type { IngestSpec } from "../rooms/ingest.ts";
import { WitnessRoom } from "../rooms/witness-room.ts";
import { WorkerPool } from "../rooms/worker-pool.ts";
import { ensureMediaWorker } from "../scripts/build-worker.mjs";
import { LocalDiskStorage } from "../storage/local-disk-storage.ts";
import { cpuPercent, kernelThreadSeconds, machineTicks, runQueueWaitSeconds } from "./proc-cpu.ts";
import { openProbe } from "./probe-publisher.ts";
import { combine, Receiver, type WindowReport } from "./receivers.ts";
import { dropsBetween, udpSnapshot } from "./udp-stats.ts";

const CAMERAS = 4;
const STEP = 100;
const MAX_CONSUMERS = Number(process.env.BENCH_MAX_CONSUMERS ?? 2000);
/** Counting receiver processes (the latency receiver comes on top). */
const RECEIVERS = Number(process.env.BENCH_RECEIVERS ?? 2);
const SOCKETS_PER_RECEIVER = 4;
const RECV_BUFFER_BYTES = 8 * 1024 * 1024;
const MEASURE_MS = 3000;
const LIMITS = { lossPct: 1, workerCpuPct: 90, latencyMs: 300 };
const RTC_PORTS = { min: 40000, max: 49999 };
const CLIP_SECONDS = 10;
/** Above this much of a core used by other processes, a warning says the figure is low. */
const OTHER_WORK_WARN_PCT = 50;
const DEADLINE = Date.now() + 3 * 60_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function run(bin: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { stdio: ["ignore", "ignore", "inherit"] });
    child.once("error", reject);
    child.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`${bin} exited with code ${code}`))));
  });
}

/**
 * The cameras' picture and sound, encoded once with the encoder settings of
 * `ffmpegIngestOutputArgs` (VP8 realtime 1 Mbit/s, 2 s GOP; Opus 64 kbit/s stereo): four live
 * encoders would take a good part of this machine's two cores away from the worker.
 */
async function encodeClip(dir: string): Promise<{ file: string; videoKbps: number }> {
  const file = path.join(dir, "camera.webm");
  await run("ffmpeg", [
    "-hide_banner",
    "-loglevel",
    "error",
    "-f",
    "lavfi",
    "-i",
    "testsrc2=size=320x180:rate=25",
    "-f",
    "lavfi",
    "-i",
    "sine=frequency=440:sample_rate=48000",
    "-t",
    String(CLIP_SECONDS),
    "-map",
    "0:v:0",
    "-c:v",
    "libvpx",
    "-deadline",
    "realtime",
    "-cpu-used",
    "8",
    "-b:v",
    "1M",
    "-g",
    "50",
    "-map",
    "1:a:0",
    "-c:a",
    "libopus",
    "-ar",
    "48000",
    "-ac",
    "2",
    "-b:a",
    "64k",
    file,
  ]);
  const bytes = (await fs.stat(file)).size;
  return { file, videoKbps: Math.max(0, (bytes * 8) / CLIP_SECONDS / 1000 - 64) };
}

/** A camera: the clip looped in real time, copied (not re-encoded) into the ingest's RTP ports. */
function startCamera(clip: string, spec: IngestSpec): ChildProcess {
  const outputs = spec.streams.flatMap((s) => [
    "-map",
    s.kind === "video" ? "0:v:0" : "0:a:0",
    "-c",
    "copy",
    "-ssrc",
    String(s.ssrc),
    "-payload_type",
    String(s.payloadType),
    "-f",
    "rtp",
    `rtp://${spec.ip}:${s.port}?rtcpport=${s.rtcpPort}&pkt_size=1200`,
  ]);
  return spawn("ffmpeg", ["-hide_banner", "-loglevel", "error", "-re", "-stream_loop", "-1", "-i", clip, ...outputs], {
    stdio: ["ignore", "ignore", "inherit"],
  });
}

type Target = { producerId: string; kind: "audio" | "video" | "probe" };

/** Where consumers' packets go: probe consumers to the latency receiver, the others spread evenly, kind by kind, over the counting receivers' sockets. */
class Placement {
  private readonly load = new Map<string, number>();
  private readonly pending = new Map<Receiver, number[]>();

  constructor(
    private readonly counting: Receiver[],
    private readonly latency: Receiver,
  ) {}

  place(kind: Target["kind"]): { receiver: Receiver; port: number } {
    if (kind === "probe") return { receiver: this.latency, port: this.least(this.latency, kind) };
    let best: { receiver: Receiver; port: number; n: number } | undefined;
    for (const receiver of this.counting) {
      const port = this.least(receiver, kind);
      const n = this.load.get(`${port}/${kind}`) ?? 0;
      if (!best || n < best.n) best = { receiver, port, n };
    }
    if (!best) throw new Error("no counting receiver");
    this.load.set(`${best.port}/${kind}`, best.n + 1);
    return best;
  }

  private least(receiver: Receiver, kind: string): number {
    return (
      [...receiver.ports].sort((a, b) => (this.load.get(`${a}/${kind}`) ?? 0) - (this.load.get(`${b}/${kind}`) ?? 0))[0] ?? 0
    );
  }

  counted(receiver: Receiver, ssrc: number): void {
    this.pending.set(receiver, [...(this.pending.get(receiver) ?? []), ssrc]);
  }

  /** Tells each receiver the SSRCs it now has to count. */
  flush(): void {
    for (const [receiver, ssrcs] of this.pending) receiver.count(ssrcs);
    this.pending.clear();
  }
}

async function addConsumer(router: types.Router, target: Target, placement: Placement): Promise<types.PlainTransport> {
  const { receiver, port } = placement.place(target.kind);
  const transport = await router.createPlainTransport({
    listenInfo: { protocol: "udp", ip: "127.0.0.1" },
    rtcpMux: true,
    comedia: false,
  });
  await transport.connect({ ip: "127.0.0.1", port });
  const consumer = await transport.consume({ producerId: target.producerId, rtpCapabilities: router.rtpCapabilities });
  const ssrc = consumer.rtpParameters.encodings?.[0]?.ssrc;
  if (ssrc !== undefined) placement.counted(receiver, ssrc);
  return transport;
}

/** Adds `count` consumers, 25 channel requests at a time (one by one is slow on a busy machine). */
async function addConsumers(
  router: types.Router,
  targets: Target[],
  placement: Placement,
  count: number,
  offset: number,
): Promise<types.PlainTransport[]> {
  const transports: types.PlainTransport[] = [];
  for (let batch = 0; batch < count; batch += 25) {
    const indexes = Array.from({ length: Math.min(25, count - batch) }, (_, i) => offset + batch + i);
    transports.push(
      ...(await Promise.all(indexes.map((n) => addConsumer(router, targets[n % targets.length] as Target, placement)))),
    );
  }
  placement.flush();
  return transports;
}

type Row = WindowReport & {
  consumers: number;
  receiverDropPct: number;
  workerDrops: number;
  sndbufErrors: number;
  workerCpu: number;
  receiverCpu: number;
  cameraCpu: number;
  othersCpu: number;
  kernelCpu: number;
  machineIdlePct: number;
  workerWaitPct: number;
};

const fmt = (n: number, digits: number, width: number) => (Number.isFinite(n) ? n.toFixed(digits) : "-").padStart(width);
const HEADER =
  "consumers  silent   pkt/s  loss%  rcv-drop%  other%  wkr-drops  snd-errs  worker-cpu%  wkr-wait%  rcv-cpu%  cam-cpu%  others%  kern%  idle%  lat-p50ms  lat-p95ms  lat-maxms";

const LEGEND = [
  "silent: consumers with no packet in the window (any stops the bench). loss%: sequence gaps over all consumers' streams; rcv-drop%: of those,",
  "dropped by the kernel at the bench's receiver sockets (harness); other%: the rest (worker, senders). wkr-drops: datagrams dropped at the",
  "worker's sockets (ingests; each costs one packet per consumer of that producer). snd-errs: system-wide UDP SndbufErrors. *-cpu%: % of one",
  "core; wkr-wait%: time the worker was ready to run but waited for a CPU; others%: other processes on the machine (not the worker, receivers,",
  "cameras, recorders, this process); kern%: kernel threads, interrupts (loopback delivery) and hypervisor steal; idle%: whole machine (100 = all idle).",
].join("\n");

function line(r: Row): string {
  return [
    fmt(r.consumers, 0, 9),
    fmt(r.consumers - r.streams, 0, 7),
    fmt(r.received / (MEASURE_MS / 1000), 0, 7),
    fmt(r.lossPct, 2, 6),
    fmt(r.receiverDropPct, 2, 10),
    fmt(Math.max(0, r.lossPct - r.receiverDropPct), 2, 7),
    fmt(r.workerDrops, 0, 10),
    fmt(r.sndbufErrors, 0, 9),
    fmt(r.workerCpu, 1, 12),
    fmt(r.workerWaitPct, 1, 10),
    fmt(r.receiverCpu, 1, 9),
    fmt(r.cameraCpu, 1, 9),
    fmt(r.othersCpu, 0, 8),
    fmt(r.kernelCpu, 0, 6),
    fmt(r.machineIdlePct, 0, 6),
    fmt(r.latency.p50, 1, 10),
    fmt(r.latency.p95, 1, 10),
    fmt(r.latency.max, 1, 10),
  ].join(" ");
}

type Pids = { worker: number; cameras: number[]; recorders: number[] };

async function measure(consumers: number, pids: Pids, receivers: Receiver[]): Promise<Row> {
  const receiverPorts = new Set(receivers.flatMap((r) => r.ports));
  const groups = [[pids.worker], receivers.map((r) => r.pid), pids.cameras, [...pids.recorders, process.pid]];
  await Promise.all(receivers.map((r) => r.reset()));
  const before = {
    udp: udpSnapshot(),
    ticks: machineTicks(),
    kthreads: kernelThreadSeconds(),
    waited: runQueueWaitSeconds(pids.worker),
  };
  const cpu = await cpuPercent(groups.flat(), MEASURE_MS);
  const after = {
    udp: udpSnapshot(),
    ticks: machineTicks(),
    kthreads: kernelThreadSeconds(),
    waited: runQueueWaitSeconds(pids.worker),
  };
  const report = combine(await Promise.all(receivers.map((r) => r.report())));
  const receiverDrops = dropsBetween(before.udp, after.udp, (port) => receiverPorts.has(port));
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  let at = 0;
  const [workerCpu = 0, receiverCpu = 0, cameraCpu = 0, restCpu = 0] = groups.map((g) => sum(cpu.slice(at, (at += g.length))));
  // Shares of the whole machine over the window, in % of one core.
  const share = (key: "idle" | "interrupts" | "steal") =>
    ((after.ticks[key] - before.ticks[key]) / Math.max(1, after.ticks.total - before.ticks.total)) * os.cpus().length * 100;
  const idle = share("idle");
  const kernelCpu = share("interrupts") + share("steal") + ((after.kthreads - before.kthreads) / (MEASURE_MS / 1000)) * 100;
  return {
    ...report,
    consumers,
    receiverDropPct: report.expected > 0 ? (receiverDrops / report.expected) * 100 : 0,
    workerDrops: dropsBetween(
      before.udp,
      after.udp,
      (port) => port >= RTC_PORTS.min && port <= RTC_PORTS.max && !receiverPorts.has(port),
    ),
    sndbufErrors: after.udp.snmp.sndbufErrors - before.udp.snmp.sndbufErrors,
    workerCpu,
    receiverCpu,
    cameraCpu,
    othersCpu: Math.max(0, os.cpus().length * 100 - idle - kernelCpu - workerCpu - receiverCpu - cameraCpu - restCpu),
    kernelCpu,
    workerWaitPct: ((after.waited - before.waited) / (MEASURE_MS / 1000)) * 100,
    machineIdlePct: idle / os.cpus().length,
  };
}

function stopReason(r: Row): string | undefined {
  const reasons = [
    r.streams < r.consumers ? `${r.consumers - r.streams} consumers received nothing in the window` : "",
    r.lossPct > LIMITS.lossPct
      ? `loss ${r.lossPct.toFixed(2)} % > ${LIMITS.lossPct} % (receiver-socket drops ${r.receiverDropPct.toFixed(2)} %, the rest ${Math.max(0, r.lossPct - r.receiverDropPct).toFixed(2)} %; ${r.workerDrops} datagrams dropped at the worker's sockets)`
      : "",
    r.workerCpu > LIMITS.workerCpuPct ? `worker CPU ${r.workerCpu.toFixed(1)} % > ${LIMITS.workerCpuPct} %` : "",
    !(r.latency.p50 <= LIMITS.latencyMs) ? `latency median ${fmt(r.latency.p50, 1, 0)} ms > ${LIMITS.latencyMs} ms` : "",
  ].filter(Boolean);
  return reasons.length > 0 ? reasons.join("; ") : undefined;
}

async function main(): Promise<void> {
  const quiet = machineTicks();
  await sleep(2000);
  const quietAfter = machineTicks();
  const busyBefore = (1 - (quietAfter.idle - quiet.idle) / Math.max(1, quietAfter.total - quiet.total)) * os.cpus().length * 100;
  const mediasoup = await loadMediasoup(ensureMediaWorker());
  const pool = await WorkerPool.create({ mediasoup, size: 1, rtcMinPort: RTC_PORTS.min, rtcMaxPort: RTC_PORTS.max });
  const workerPid = pool.describe()[0]?.pid ?? 0;
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "bench-media-"));
  const cameras: ChildProcess[] = [];
  const receivers: Receiver[] = [];
  const transports: types.PlainTransport[] = [];
  let room: WitnessRoom | undefined;
  let probe: Awaited<ReturnType<typeof openProbe>> | undefined;
  // Should the bench die half-way, its cameras must not stream on (receivers exit with the IPC channel).
  const killCameras = () => cameras.forEach((c) => c.exitCode === null && c.signalCode === null && c.kill("SIGKILL"));
  process.once("exit", killCameras);
  try {
    const clip = await encodeClip(dir);
    room = await WitnessRoom.create("bench", "bench", {
      pool,
      storage: new LocalDiskStorage(path.join(dir, "recordings")),
      audit: new InMemoryAuditSink(),
      segmentSeconds: 10,
      ffmpegBin: "ffmpeg",
      webRtcListenIp: "127.0.0.1",
      announcedIp: "127.0.0.1",
      ingestIp: "127.0.0.1",
    });
    for (let i = 0; i < CAMERAS; i++)
      cameras.push(startCamera(clip.file, await room.addIngest({ label: `camera-${i + 1}`, videoCodec: "VP8", audio: true })));
    const latency = await Receiver.start("latency", 1, RECV_BUFFER_BYTES);
    receivers.push(latency);
    for (let i = 0; i < RECEIVERS; i++) receivers.push(await Receiver.start("count", SOCKETS_PER_RECEIVER, RECV_BUFFER_BYTES));
    probe = await openProbe(room.router);
    latency.sendProbesTo(probe.port);
    await sleep(3000);

    const recorderPids = room
      .listProducers()
      .map((p) => room?.recorderFor(p.producerId)?.ffmpegPid)
      .filter((p): p is number => p !== undefined);
    const recorderCpu = await cpuPercent(recorderPids, 5000);
    const recordingCpuPerStream = recorderCpu.reduce((a, b) => a + b, 0) / Math.max(1, recorderCpu.length);

    const buffers = receivers.flatMap((r) => r.recvBufferBytes);
    const rmemMax = Number(readFileSync("/proc/sys/net/core/rmem_max", "utf8").trim());
    const mib = (n: number) => (n / 1024 / 1024).toFixed(1);
    console.log(
      `machine before the bench started: ${busyBefore.toFixed(0)} % of one core busy with other work (${os.cpus().length} cores)`,
    );
    console.log(
      `cameras: ${CAMERAS} × (VP8 320x180 25 fps ~${clip.videoKbps.toFixed(0)} kbit/s + Opus 64 kbit/s), a ${CLIP_SECONDS} s clip looped by FFmpeg stream copy`,
    );
    console.log(
      `receivers: ${RECEIVERS} counting processes × ${SOCKETS_PER_RECEIVER} sockets + 1 latency process (probe sender and receiver); ` +
        `SO_RCVBUF asked ${mib(RECV_BUFFER_BYTES)} MiB, effective ${mib(Math.min(...buffers))}-${mib(Math.max(...buffers))} MiB (net.core.rmem_max ${mib(rmemMax)} MiB; Linux doubles what it grants)`,
    );
    if (Math.min(...buffers) < 4 * 1024 * 1024)
      console.warn(
        "warning: the receivers' socket buffers are small; a keyframe burst may overflow them (rcv-drop%); raise net.core.rmem_max",
      );

    // Consumers take the cameras' videos, sounds and the latency probe in turn, like supervisors.
    const targets: Target[] = [
      ...room.listProducers().map((p) => ({ producerId: p.producerId, kind: p.kind })),
      { producerId: probe.producer.id, kind: "probe" as const },
    ];
    const placement = new Placement(receivers.slice(1), latency);
    let best: Row | undefined;
    let last: Row | undefined;
    let stop = "";
    console.log(LEGEND);
    console.log(HEADER);
    for (;;) {
      if (transports.length >= MAX_CONSUMERS) {
        stop = `BENCH_MAX_CONSUMERS (${MAX_CONSUMERS}) reached`;
        break;
      }
      if (Date.now() >= DEADLINE) {
        stop = "3-minute deadline reached";
        break;
      }
      transports.push(...(await addConsumers(room.router, targets, placement, STEP, transports.length)));
      await sleep(1000);
      const row = await measure(
        transports.length,
        { worker: workerPid, cameras: cameras.map((c) => c.pid ?? 0), recorders: recorderPids },
        receivers,
      );
      console.log(line(row));
      last = row;
      const reason = stopReason(row);
      if (reason) {
        stop = `at ${row.consumers}: ${reason}`;
        break;
      }
      best = row;
    }

    console.log(`stopped ${stop}`);
    if (best) {
      console.log(
        `consumers per worker: ${best.consumers} (loss ${best.lossPct.toFixed(2)} %, of which receiver-socket drops ${best.receiverDropPct.toFixed(2)} %; ` +
          `worker CPU ${best.workerCpu.toFixed(1)} % of a core + ${best.workerWaitPct.toFixed(1)} % waiting for one; latency median ${best.latency.p50.toFixed(1)} ms, p95 ${best.latency.p95.toFixed(1)} ms, max ${best.latency.max.toFixed(1)} ms over ${best.latency.n} probe packets)`,
      );
    } else {
      console.log("consumers per worker: 0 (the first step already failed)");
    }
    const othersAtEnd = Math.max(best?.othersCpu ?? 0, last?.othersCpu ?? 0);
    if (busyBefore > OTHER_WORK_WARN_PCT || othersAtEnd > OTHER_WORK_WARN_PCT) {
      console.log(
        `warning: other work was running (${busyBefore.toFixed(0)} % of a core before the start, up to ${othersAtEnd.toFixed(0)} % in the last two steps): ` +
          "the worker had less CPU than it would alone, so this figure is low; run the bench on a quiet machine",
      );
    }
    console.log(
      `machine load average at the end: ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(" ")} on ${os.cpus().length} cores`,
    );
    console.log(
      `recording: ${recordingCpuPerStream.toFixed(2)} % of a core per recorded stream (FFmpeg stream copy, ${recorderPids.length} streams)`,
    );
    console.log(
      JSON.stringify({
        bench: "media",
        consumers_per_worker: best?.consumers ?? 0,
        loss_pct: Number((best?.lossPct ?? 0).toFixed(3)),
        latency_ms: Number((best?.latency.p50 ?? 0).toFixed(1)),
        recording_cpu_pct_per_stream: Number(recordingCpuPerStream.toFixed(2)),
      }),
    );
  } finally {
    for (const t of transports) t.close();
    probe?.close();
    for (const r of receivers) r.stop();
    for (const c of cameras) c.kill("SIGINT");
    await room?.close();
    pool.close();
    killCameras();
    await fs.rm(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
