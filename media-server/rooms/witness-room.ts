// A WitnessRoom is one evaluation session's media: a router on one worker, the room's devices
// (publishers), its supervisors (consumers), its RTP ingests, and one recorder per producer.
// Created by the app through the internal API, closed when the session ends.
import { EventEmitter } from "node:events";
import type { types } from "mediasoup";
import type { AuditSink } from "../audit/audit-sink.ts";
import { routerMediaCodecs } from "../media-config.ts";
import { RecordingLog } from "../recording/recording-log.ts";
import { TrackRecorder } from "../recording/track-recorder.ts";
import type { RecordingStorage } from "../storage/recording-storage.ts";
import {
  closeIngest,
  INGEST_RECV_BUFFER,
  newIngestSpec,
  openIngest,
  type IngestRequest,
  type IngestSpec,
  type LiveIngest,
} from "./ingest.ts";
import { closePeerMedia, type Peer } from "./peer.ts";
import type { WorkerPool } from "./worker-pool.ts";

export type RoomDeps = {
  pool: WorkerPool;
  storage: RecordingStorage;
  audit: AuditSink;
  segmentSeconds: number;
  ffmpegBin: string;
  webRtcListenIp: string;
  announcedIp: string;
  ingestIp: string;
};

export type ProducerInfo = { producerId: string; kind: "audio" | "video"; source: string; label: string };

type LiveProducer = { producer: types.Producer; info: ProducerInfo; track: string };

type RoomEvents = { producerAdded: [ProducerInfo]; producerRemoved: [string]; restarted: []; closed: [] };

export class WitnessRoom extends EventEmitter<RoomEvents> {
  readonly peers = new Map<string, Peer>();
  private readonly ingests = new Map<string, LiveIngest>();
  private readonly producers = new Map<string, LiveProducer>();
  private readonly recorders = new Map<string, TrackRecorder>();
  private readonly finishingTracks = new Map<string, Promise<void>>();
  private closing = false;

  private constructor(
    readonly id: string,
    readonly title: string,
    private worker: types.Worker,
    private routerRef: types.Router,
    readonly log: RecordingLog,
    private readonly deps: RoomDeps,
  ) {
    super();
  }

  static async create(id: string, title: string, deps: RoomDeps): Promise<WitnessRoom> {
    const log = await RecordingLog.open(id, deps.segmentSeconds, deps.storage, deps.audit);
    const worker = await deps.pool.acquire();
    const router = await worker.createRouter({ mediaCodecs: routerMediaCodecs });
    const room = new WitnessRoom(id, title, worker, router, log, deps);
    room.watchRouter();
    return room;
  }

  get router(): types.Router {
    return this.routerRef;
  }

  get workerPid(): number {
    return this.worker.pid;
  }

  get closed(): boolean {
    return this.closing;
  }

  listProducers(): ProducerInfo[] {
    return [...this.producers.values()].map((p) => p.info);
  }

  listIngests(): IngestSpec[] {
    return [...this.ingests.values()].map((i) => i.spec);
  }

  recorderFor(producerId: string): TrackRecorder | undefined {
    return this.recorders.get(producerId);
  }

  private watchRouter(): void {
    this.routerRef.once("workerclose", () => void this.rebuild());
  }

  async createWebRtcTransport(peer: Peer, direction: "send" | "recv"): Promise<types.WebRtcTransport> {
    const transport = await this.routerRef.createWebRtcTransport({
      listenInfos: [
        { protocol: "udp", ip: this.deps.webRtcListenIp, announcedIp: this.deps.announcedIp, recvBufferSize: INGEST_RECV_BUFFER },
        { protocol: "tcp", ip: this.deps.webRtcListenIp, announcedIp: this.deps.announcedIp },
      ],
      enableUdp: true,
      enableTcp: true,
      preferUdp: true,
      initialAvailableOutgoingBitrate: 1_000_000,
      appData: { direction },
    });
    peer.transports.set(transport.id, transport);
    transport.observer.once("close", () => peer.transports.delete(transport.id));
    return transport;
  }

  /** A device publishes its camera or microphone; a device that reconnects continues its track. */
  async produceFromDevice(
    peer: Peer,
    transport: types.WebRtcTransport,
    kind: "audio" | "video",
    rtpParameters: types.RtpParameters,
  ): Promise<string> {
    const source = `device-${peer.deviceId ?? peer.id}`;
    for (const live of this.producers.values()) {
      if (live.info.source === source && live.info.kind === kind) live.producer.close();
    }
    const producer = await transport.produce({ kind, rtpParameters, appData: { source } });
    peer.producers.set(producer.id, producer);
    producer.observer.once("close", () => peer.producers.delete(producer.id));
    await this.registerProducer(producer, source, peer.name);
    return producer.id;
  }

  async consume(
    peer: Peer,
    transport: types.WebRtcTransport,
    producerId: string,
    rtpCapabilities: types.RtpCapabilities,
  ): Promise<types.Consumer> {
    if (!this.routerRef.canConsume({ producerId, rtpCapabilities }))
      throw new Error("cannot consume this producer with these capabilities");
    const consumer = await transport.consume({ producerId, rtpCapabilities, paused: true });
    peer.consumers.set(consumer.id, consumer);
    consumer.observer.once("close", () => peer.consumers.delete(consumer.id));
    return consumer;
  }

  async addIngest(request: IngestRequest): Promise<IngestSpec> {
    const live = await openIngest(this.routerRef, newIngestSpec(request, this.deps.ingestIp));
    this.ingests.set(live.spec.id, live);
    for (const producer of live.producers) await this.registerProducer(producer, `ingest-${live.spec.id}`, live.spec.label);
    return live.spec;
  }

  removePeer(peerId: string): void {
    const peer = this.peers.get(peerId);
    if (!peer) return;
    closePeerMedia(peer);
    this.peers.delete(peerId);
  }

  private async registerProducer(producer: types.Producer, source: string, label: string): Promise<void> {
    const info: ProducerInfo = { producerId: producer.id, kind: producer.kind, source, label };
    const track = `${source}-${producer.kind}`;
    this.producers.set(producer.id, { producer, info, track });
    producer.observer.once("close", () => {
      const finishing = this.onProducerClosed(producer.id, track);
      this.finishingTracks.set(track, finishing);
      void finishing.finally(() => this.finishingTracks.get(track) === finishing && this.finishingTracks.delete(track));
    });
    // The track's previous recorder must list its last segment and gap before this one starts.
    await this.finishingTracks.get(track);
    const recorder = await TrackRecorder.start({
      roomId: this.id,
      track,
      source,
      router: this.routerRef,
      producer,
      log: this.log,
      storage: this.deps.storage,
      segmentSeconds: this.deps.segmentSeconds,
      ffmpegBin: this.deps.ffmpegBin,
    });
    this.recorders.set(producer.id, recorder);
    if (this.log.hasOpenGap(track)) await this.log.closeGaps(track, recorder.resumedAt);
    this.emit("producerAdded", info);
  }

  /** The stream stopped outside the session's end: finish its files, then write the gap down. */
  private async onProducerClosed(producerId: string, track: string): Promise<void> {
    // Read before awaiting: a rebuild replaces `this.worker` meanwhile.
    const workerDied = this.worker.died;
    const workerPid = this.worker.pid;
    this.producers.delete(producerId);
    this.emit("producerRemoved", producerId);
    const recorder = this.recorders.get(producerId);
    this.recorders.delete(producerId);
    await recorder?.stop();
    if (this.closing) return;
    const from = this.log.lastEndedAt(track) ?? new Date().toISOString();
    const gap = workerDied
      ? { track, from, to: null, reason: "worker-died" as const, detail: `mediasoup worker ${workerPid} died` }
      : { track, from, to: null, reason: "producer-closed" as const };
    await this.log.addGap(gap);
  }

  /** The worker died: every transport is gone. Move to a new worker, reopen the ingests on their
   * old ports and ask the browsers to reconnect; their tracks' gaps close when they are back. */
  private async rebuild(): Promise<void> {
    if (this.closing) return;
    for (const peer of this.peers.values()) closePeerMedia(peer);
    // The pool hears of the death right after the routers do.
    await new Promise((resolve) => setImmediate(resolve));
    const worker = await this.deps.pool.acquire();
    this.worker = worker;
    this.routerRef = await worker.createRouter({ mediaCodecs: routerMediaCodecs });
    this.watchRouter();
    for (const [id, old] of this.ingests) {
      const live = await openIngest(this.routerRef, old.spec);
      this.ingests.set(id, live);
      for (const producer of live.producers) await this.registerProducer(producer, `ingest-${id}`, live.spec.label);
    }
    this.emit("restarted");
  }

  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    await Promise.all([...this.recorders.values()].map((r) => r.stop()));
    for (const live of this.ingests.values()) closeIngest(live);
    for (const peer of this.peers.values()) closePeerMedia(peer);
    this.routerRef.close();
    this.deps.pool.release(this.worker);
    const endedAt = new Date().toISOString();
    const tracksWithOpenGaps = new Set(
      this.log
        .snapshot()
        .gaps.filter((g) => g.to === null)
        .map((g) => g.track),
    );
    for (const track of tracksWithOpenGaps) await this.log.closeGaps(track, endedAt);
    await this.log.end();
    this.emit("closed");
  }
}
