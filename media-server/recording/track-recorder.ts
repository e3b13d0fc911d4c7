// Records one producer: a PlainTransport + paused consumer towards a local FFmpeg, resumed (with a
// keyframe request) only once FFmpeg listens, so no segment begins black. An FFmpeg that dies is
// restarted and the hole is written down as a gap; numbering continues where it stopped.
import type { ChildProcess } from "node:child_process";
import { createReadStream } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import type { types } from "mediasoup";
import type { RecordingStorage } from "../storage/recording-storage.ts";
import {
  holdsMedia,
  readClosedSegments,
  segmentFileName,
  sendWake,
  spawnSegmenter,
  stopSegmenter,
  type ClosedSegment,
} from "./ffmpeg-segmenter.ts";
import { sha256OfStream } from "./hash.ts";
import type { RecordingLog } from "./recording-log.ts";
import { consumerSdp, containerFor } from "./sdp.ts";
import { freeUdpPortQuad, waitUdpPortBound } from "./udp-ports.ts";

export type TrackRecorderOptions = {
  roomId: string;
  track: string;
  source: string;
  router: types.Router;
  producer: types.Producer;
  log: RecordingLog;
  storage: RecordingStorage;
  segmentSeconds: number;
  ffmpegBin: string;
  maxRestarts?: number;
};

type Run = {
  child: ChildProcess;
  listFile: string;
  listed: number;
  startedAtMs: number;
  firstStart: number | null;
  stderrTail: () => string;
};

export class TrackRecorder {
  private transport!: types.PlainTransport;
  private consumer!: types.Consumer;
  private port = 0;
  private run: Run | null = null;
  private runCount = 0;
  private restarts = 0;
  private stopping = false;
  private pollTimer: NodeJS.Timeout | null = null;
  private keyframeTimer: NodeJS.Timeout | null = null;
  private wakeTimer: NodeJS.Timeout | null = null;
  private collecting: Promise<void> = Promise.resolve();
  private stopped: Promise<void> | null = null;
  private readonly container: "webm" | "mkv";

  private constructor(private readonly o: TrackRecorderOptions) {
    this.container = containerFor(o.producer.rtpParameters.codecs[0]?.mimeType ?? "");
  }

  static async start(o: TrackRecorderOptions): Promise<TrackRecorder> {
    const recorder = new TrackRecorder(o);
    await recorder.openPipe();
    await recorder.startRun();
    return recorder;
  }

  get producerId(): string {
    return this.o.producer.id;
  }

  private get trackDir(): string {
    return `${this.o.roomId}/${this.o.track}`;
  }

  private async openPipe(): Promise<void> {
    const { router, producer } = this.o;
    this.transport = await router.createPlainTransport({
      listenInfo: { protocol: "udp", ip: "127.0.0.1" },
      rtcpMux: false,
      comedia: false,
    });
    this.port = await freeUdpPortQuad();
    await this.transport.connect({ ip: "127.0.0.1", port: this.port, rtcpPort: this.port + 1 });
    this.consumer = await this.transport.consume({
      producerId: producer.id,
      rtpCapabilities: router.rtpCapabilities,
      paused: true,
    });
    // The producer or the whole router went away (device left, worker died): finish the files.
    this.consumer.on("producerclose", () => void this.stop());
    this.consumer.on("transportclose", () => void this.stop());
    await this.o.log.ensureTrack(this.o.track, {
      kind: producer.kind,
      codec: this.consumer.rtpParameters.codecs[0]?.mimeType ?? "unknown",
      container: this.container,
      source: this.o.source,
    });
  }

  /** When media of the current run started flowing to FFmpeg: where an open gap ends. */
  get resumedAt(): string {
    return new Date(this.run?.startedAtMs ?? Date.now()).toISOString();
  }

  private async startRun(): Promise<void> {
    const workDir = path.join(await this.o.storage.workDir(this.o.roomId), this.o.track);
    const runsDir = path.join(workDir, "runs");
    await fs.mkdir(runsDir, { recursive: true });
    this.runCount += 1;
    const tag = `${Date.now()}-${this.runCount}`;
    const sdpFile = path.join(runsDir, `${tag}.sdp`);
    const listFile = path.join(runsDir, `${tag}.csv`);
    await fs.writeFile(sdpFile, consumerSdp(this.o.producer.kind, this.consumer.rtpParameters, this.port));
    const { child, stderrTail } = spawnSegmenter({
      ffmpegBin: this.o.ffmpegBin,
      sdpFile,
      outDir: workDir,
      listFile,
      container: this.container,
      segmentSeconds: this.o.segmentSeconds,
      runTag: tag,
    });
    const run: Run = { child, listFile, listed: 0, startedAtMs: Date.now(), firstStart: null, stderrTail };
    this.run = run;
    child.once("exit", (code, signal) => void this.onExit(run, code, signal));
    await waitUdpPortBound(this.port + 2, 10_000, () => child.exitCode === null && child.signalCode === null);
    // FFmpeg probes every input stream before it writes anything: give the wake stream a packet.
    sendWake(this.port);
    run.startedAtMs = Date.now();
    await this.consumer.resume();
    await this.requestKeyFrame();
    this.startTimers();
  }

  private startTimers(): void {
    this.pollTimer ??= setInterval(() => void this.collect(), 250);
    this.wakeTimer ??= setInterval(() => sendWake(this.port), 2000);
    // Stream copy can only cut on keyframes; asking for one per segment keeps segments at length.
    if (this.o.producer.kind === "video") {
      this.keyframeTimer ??= setInterval(() => void this.requestKeyFrame(), this.o.segmentSeconds * 1000);
    }
  }

  private async requestKeyFrame(): Promise<void> {
    if (this.o.producer.kind !== "video" || this.consumer.closed) return;
    await this.consumer.requestKeyFrame().catch(() => undefined);
  }

  /** Hashes and records every segment FFmpeg has closed since the last look. */
  private collect(): Promise<void> {
    const run = this.run;
    this.collecting = this.collecting
      .then(async () => {
        if (!run) return;
        for (const closed of await readClosedSegments(run.listFile, run.listed)) {
          if (holdsMedia(closed)) await this.recordSegment(run, closed);
          else await this.dropEmpty(closed);
          run.listed += 1;
        }
      })
      .catch((error: unknown) => console.error(`[recorder ${this.o.track}] collecting segments failed`, error));
    return this.collecting;
  }

  /**
   * A segment FFmpeg closed before any packet arrived (its producer went away at once, e.g. a
   * device that published again) holds headers and no media: it is not numbered or recorded
   * (the gap log already says why the run ended), and its file goes. Joined into a recording it
   * would make the whole playback unreadable.
   */
  private async dropEmpty(closed: ClosedSegment): Promise<void> {
    const workDir = path.join(await this.o.storage.workDir(this.o.roomId), this.o.track);
    await fs.rm(path.join(workDir, closed.file), { force: true });
  }

  private async recordSegment(run: Run, closed: ClosedSegment): Promise<void> {
    const workDir = path.join(await this.o.storage.workDir(this.o.roomId), this.o.track);
    const seq = this.o.log.reserveSeq(this.o.track);
    const key = `${this.trackDir}/${segmentFileName(seq, this.container)}`;
    const local = path.join(workDir, closed.file);
    const { sha256, bytes } = await sha256OfStream(createReadStream(local));
    await this.o.storage.commit(key, local);
    run.firstStart ??= closed.start;
    const at = (seconds: number) => new Date(run.startedAtMs + (seconds - (run.firstStart ?? 0)) * 1000).toISOString();
    await this.o.log.addSegment(this.o.track, {
      seq,
      key,
      sha256,
      bytes,
      startedAt: at(closed.start),
      endedAt: at(closed.end),
      producerId: this.o.producer.id,
    });
  }

  private async onExit(run: Run, code: number | null, signal: NodeJS.Signals | null): Promise<void> {
    await this.collect();
    if (this.stopping || run !== this.run) return;
    const from = this.o.log.lastEndedAt(this.o.track) ?? new Date(run.startedAtMs).toISOString();
    const detail = `ffmpeg exited (code ${code}, signal ${signal}): ${run.stderrTail().trim().slice(-300)}`;
    await this.o.log.addGap({ track: this.o.track, from, to: null, reason: "recorder-died", detail });
    if (this.restarts >= (this.o.maxRestarts ?? 20)) {
      console.error(`[recorder ${this.o.track}] giving up after ${this.restarts} restarts; gap stays open`);
      return;
    }
    this.restarts += 1;
    await this.consumer.pause();
    await new Promise((r) => setTimeout(r, Math.min(200 * this.restarts, 2000)));
    if (this.stopping) return;
    await this.startRun();
    await this.o.log.closeGaps(this.o.track, this.resumedAt);
  }

  /** Finishes the current segment (FFmpeg lists it), records it, and releases the transport. */
  stop(): Promise<void> {
    this.stopped ??= (async () => {
      this.stopping = true;
      if (this.keyframeTimer) clearInterval(this.keyframeTimer);
      if (this.pollTimer) clearInterval(this.pollTimer);
      if (this.wakeTimer) clearInterval(this.wakeTimer);
      if (this.run) await stopSegmenter(this.run.child, this.port);
      await this.collect();
      this.transport.close();
    })();
    return this.stopped;
  }

  /** Test hook for fault injection: the FFmpeg process id of the current run. */
  get ffmpegPid(): number | undefined {
    return this.run?.child.pid;
  }
}
