// A supervisor watching one or more rooms: every producer of every room becomes a track handed
// to `onTrack`; tracks that end are reported by producer id. Reconnects like the device side.
import { Device } from "mediasoup-client";
import type { types } from "mediasoup-client";
import type { ProducerAnnouncement } from "../signaling/protocol.ts";
import { connectWitness, reportConnectErrors, request, SignalingRefused, type WitnessSocket } from "./signaling-client.ts";

export type RemoteTrack = ProducerAnnouncement & { track: MediaStreamTrack };
export type SubscribeState = "connecting" | "watching" | "reconnecting" | "refused" | "stopped";

export type SubscribeOptions = {
  url: string;
  token: string;
  roomIds: string[];
  onTrack: (t: RemoteTrack) => void;
  onTrackEnded?: (p: { roomId: string; producerId: string }) => void;
  onState?: (state: SubscribeState, detail?: string) => void;
  onRoomTitle?: (roomId: string, title: string) => void;
};

export type Subscription = { stop(): void };

class RoomWatch {
  private transport: types.Transport | null = null;
  private device: Device | null = null;
  private readonly consumers = new Map<string, types.Consumer>();

  constructor(
    private readonly socket: WitnessSocket,
    private readonly roomId: string,
    private readonly o: SubscribeOptions,
  ) {}

  async start(): Promise<void> {
    this.close();
    const { routerRtpCapabilities, producers, title } = await request(this.socket, "join", { roomId: this.roomId });
    this.o.onRoomTitle?.(this.roomId, title);
    this.device = new Device();
    await this.device.load({ routerRtpCapabilities });
    const params = await request(this.socket, "createTransport", { roomId: this.roomId, direction: "recv" });
    const transport = this.device.createRecvTransport(params as unknown as types.TransportOptions);
    this.transport = transport;
    transport.on("connect", ({ dtlsParameters }, done, fail) => {
      request(this.socket, "connectTransport", {
        roomId: this.roomId,
        transportId: transport.id,
        dtlsParameters: dtlsParameters as unknown as Record<string, unknown>,
      }).then(() => done(), fail);
    });
    for (const producer of producers) await this.consume(producer);
  }

  async consume(p: ProducerAnnouncement): Promise<void> {
    if (!this.transport || !this.device || this.consumers.has(p.producerId)) return;
    const params = await request(this.socket, "consume", {
      roomId: this.roomId,
      transportId: this.transport.id,
      producerId: p.producerId,
      rtpCapabilities: this.device.rtpCapabilities as unknown as Record<string, unknown>,
    });
    const consumer = await this.transport.consume(params);
    this.consumers.set(p.producerId, consumer);
    await request(this.socket, "resumeConsumer", { roomId: this.roomId, consumerId: consumer.id });
    this.o.onTrack({ ...p, track: consumer.track });
  }

  ended(producerId: string): void {
    this.consumers.get(producerId)?.close();
    this.consumers.delete(producerId);
    this.o.onTrackEnded?.({ roomId: this.roomId, producerId });
  }

  close(): void {
    for (const producerId of [...this.consumers.keys()]) this.ended(producerId);
    this.transport?.close();
    this.transport = null;
  }
}

export function subscribeRooms(o: SubscribeOptions): Subscription {
  const socket = connectWitness(o.url, o.token);
  const watches = new Map(o.roomIds.map((roomId) => [roomId, new RoomWatch(socket, roomId, o)]));
  const state = (s: SubscribeState, detail?: string) => o.onState?.(s, detail);
  let stopped = false;

  const startRoom = async (roomId: string) => {
    try {
      await watches.get(roomId)?.start();
      state("watching");
    } catch (error) {
      if (error instanceof SignalingRefused) return void state("refused", error.message);
      state("reconnecting", (error as Error).message);
      if (!stopped) setTimeout(() => void startRoom(roomId), 2000);
    }
  };

  state("connecting");
  socket.on("connect", () => o.roomIds.forEach((roomId) => void startRoom(roomId)));
  socket.on("disconnect", () => state("reconnecting", "signaling lost"));
  socket.on("roomRestarted", ({ roomId }) => void startRoom(roomId));
  socket.on(
    "producerAdded",
    (p) =>
      void watches
        .get(p.roomId)
        ?.consume(p)
        .catch((e: Error) => state("reconnecting", e.message)),
  );
  socket.on("producerRemoved", ({ roomId, producerId }) => watches.get(roomId)?.ended(producerId));
  reportConnectErrors(socket, state);

  return {
    stop() {
      stopped = true;
      watches.forEach((w) => w.close());
      socket.disconnect();
      state("stopped");
    },
  };
}
