// The typed table of signaling handlers (mediasoup-demo's request switch, one function each).
// Roles are enforced here: devices only publish into rooms their token names; supervisors only
// consume. Nothing a device receives ever mentions a supervisor.
import type { types } from "mediasoup";
import type { WitnessClaims } from "../token.ts";
import {
  MAX_PRODUCERS_PER_PEER,
  MAX_PRODUCERS_PER_USER,
  MAX_TRANSPORTS_PER_PEER,
  MAX_TRANSPORTS_PER_USER,
  newPeer,
  userMedia,
  type Peer,
} from "../rooms/peer.ts";
import type { RoomRegistry } from "../rooms/room-registry.ts";
import type { WitnessRoom } from "../rooms/witness-room.ts";
import type { Request, RequestName, Responses } from "./protocol.ts";

export class SignalingError extends Error {
  constructor(
    readonly code: "FORBIDDEN" | "NOT_FOUND" | "BAD_REQUEST" | "LIMIT",
    message: string,
  ) {
    super(message);
  }
}

export type SocketContext = {
  socketId: string;
  claims: WitnessClaims;
  rooms: RoomRegistry;
  /** The socket joined this room: subscribe it to the room's events. */
  attach(room: WitnessRoom, peer: Peer): void;
  detach(roomId: string): void;
};

type Handler<N extends RequestName> = (ctx: SocketContext, req: Request<N>) => Promise<Responses[N]>;

function roomFor(ctx: SocketContext, roomId: string): WitnessRoom {
  if (!ctx.claims.roomIds.includes(roomId)) throw new SignalingError("FORBIDDEN", "token does not grant this room");
  const room = ctx.rooms.get(roomId);
  if (!room || room.closed) throw new SignalingError("NOT_FOUND", "room is not open");
  return room;
}

function peerFor(ctx: SocketContext, roomId: string): { room: WitnessRoom; peer: Peer } {
  const room = roomFor(ctx, roomId);
  const peer = room.peers.get(ctx.socketId);
  if (!peer) throw new SignalingError("BAD_REQUEST", "join the room first");
  return { room, peer };
}

function transportOf(peer: Peer, transportId: string): types.WebRtcTransport {
  const transport = peer.transports.get(transportId);
  if (!transport) throw new SignalingError("NOT_FOUND", "unknown transport");
  return transport;
}

function requireRole(peer: Peer, role: Peer["role"]): void {
  if (peer.role !== role) throw new SignalingError("FORBIDDEN", `only a ${role} may do this`);
}

export const handlers: { [N in RequestName]: Handler<N> } = {
  async join(ctx, { roomId, deviceId }) {
    const room = roomFor(ctx, roomId);
    const { claims } = ctx;
    room.removePeer(ctx.socketId);
    const peer = newPeer({
      id: ctx.socketId,
      userId: claims.sub,
      name: claims.name,
      role: claims.role,
      deviceId: claims.role === "device" ? (deviceId ?? claims.sub) : null,
    });
    room.peers.set(peer.id, peer);
    ctx.attach(room, peer);
    const producers = claims.role === "supervisor" ? room.listProducers().map((p) => ({ roomId, ...p })) : [];
    return { routerRtpCapabilities: room.router.rtpCapabilities, producers, title: room.title };
  },

  async createTransport(ctx, { roomId, direction }) {
    const { room, peer } = peerFor(ctx, roomId);
    requireRole(peer, direction === "send" ? "device" : "supervisor");
    if (peer.transports.size >= MAX_TRANSPORTS_PER_PEER)
      throw new SignalingError("LIMIT", `at most ${MAX_TRANSPORTS_PER_PEER} transports per page`);
    if (userMedia(room.peers.values(), peer.userId).transports >= MAX_TRANSPORTS_PER_USER) {
      throw new SignalingError("LIMIT", `at most ${MAX_TRANSPORTS_PER_USER} transports per user in a room`);
    }
    const t = await room.createWebRtcTransport(peer, direction);
    return { id: t.id, iceParameters: t.iceParameters, iceCandidates: t.iceCandidates, dtlsParameters: t.dtlsParameters };
  },

  async connectTransport(ctx, { roomId, transportId, dtlsParameters }) {
    const { peer } = peerFor(ctx, roomId);
    await transportOf(peer, transportId).connect({ dtlsParameters: dtlsParameters as unknown as types.DtlsParameters });
    return { connected: true };
  },

  async produce(ctx, { roomId, transportId, kind, rtpParameters }) {
    const { room, peer } = peerFor(ctx, roomId);
    requireRole(peer, "device");
    if (peer.producers.size >= MAX_PRODUCERS_PER_PEER)
      throw new SignalingError("LIMIT", `at most ${MAX_PRODUCERS_PER_PEER} producers per page`);
    if (userMedia(room.peers.values(), peer.userId).producers >= MAX_PRODUCERS_PER_USER) {
      throw new SignalingError("LIMIT", `at most ${MAX_PRODUCERS_PER_USER} producers per user in a room`);
    }
    const producerId = await room.produceFromDevice(
      peer,
      transportOf(peer, transportId),
      kind,
      rtpParameters as unknown as types.RtpParameters,
    );
    return { producerId };
  },

  async consume(ctx, { roomId, transportId, producerId, rtpCapabilities }) {
    const { room, peer } = peerFor(ctx, roomId);
    requireRole(peer, "supervisor");
    const consumer = await room.consume(
      peer,
      transportOf(peer, transportId),
      producerId,
      rtpCapabilities as unknown as types.RtpCapabilities,
    );
    return { id: consumer.id, producerId, kind: consumer.kind, rtpParameters: consumer.rtpParameters };
  },

  async resumeConsumer(ctx, { roomId, consumerId }) {
    const { peer } = peerFor(ctx, roomId);
    const consumer = peer.consumers.get(consumerId);
    if (!consumer) throw new SignalingError("NOT_FOUND", "unknown consumer");
    await consumer.resume();
    await consumer.requestKeyFrame().catch(() => undefined);
    return { resumed: true };
  },

  async leave(ctx, { roomId }) {
    ctx.rooms.get(roomId)?.removePeer(ctx.socketId);
    ctx.detach(roomId);
    return { left: true };
  },
};
