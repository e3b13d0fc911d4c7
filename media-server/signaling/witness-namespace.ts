// Binds the handler table to socket.io's `/witness` namespace. The handshake must carry a valid
// witness token (`auth: { token }`); a socket without one never reaches a handler.
import type { Namespace, Server, Socket } from "socket.io";
import { verifyWitnessToken, type WitnessClaims } from "../token.ts";
import type { RoomRegistry } from "../rooms/room-registry.ts";
import type { ProducerInfo, WitnessRoom } from "../rooms/witness-room.ts";
import { handlers, SignalingError, type SocketContext } from "./handlers.ts";
import {
  requestSchemas,
  WITNESS_NAMESPACE,
  type Ack,
  type ClientEvents,
  type RequestName,
  type ServerEvents,
} from "./protocol.ts";

type WitnessSocket = Socket<ClientEvents, ServerEvents, Record<string, never>, { claims: WitnessClaims }>;

function toAckError(error: unknown): Ack<never> {
  if (error instanceof SignalingError) return { ok: false, error: { code: error.code, message: error.message } };
  const message = error instanceof Error ? error.message : String(error);
  return { ok: false, error: { code: "FAILED", message } };
}

/** Forwards a room's events to one socket; devices get only restart and close notices. */
function subscribe(socket: WitnessSocket, room: WitnessRoom, supervisor: boolean): () => void {
  const roomId = room.id;
  const listeners = {
    producerAdded: (p: ProducerInfo) => socket.emit("producerAdded", { roomId, ...p }),
    producerRemoved: (producerId: string) => socket.emit("producerRemoved", { roomId, producerId }),
    restarted: () => socket.emit("roomRestarted", { roomId }),
    closed: () => socket.emit("roomClosed", { roomId }),
  };
  if (supervisor) {
    room.on("producerAdded", listeners.producerAdded);
    room.on("producerRemoved", listeners.producerRemoved);
  }
  room.on("restarted", listeners.restarted);
  room.on("closed", listeners.closed);
  return () => {
    room.off("producerAdded", listeners.producerAdded);
    room.off("producerRemoved", listeners.producerRemoved);
    room.off("restarted", listeners.restarted);
    room.off("closed", listeners.closed);
  };
}

function bindSocket(socket: WitnessSocket, rooms: RoomRegistry): void {
  const detachers = new Map<string, () => void>();
  const ctx: SocketContext = {
    socketId: socket.id,
    claims: socket.data.claims,
    rooms,
    attach(room, peer) {
      detachers.get(room.id)?.();
      detachers.set(room.id, subscribe(socket, room, peer.role === "supervisor"));
    },
    detach(roomId) {
      detachers.get(roomId)?.();
      detachers.delete(roomId);
    },
  };
  for (const name of Object.keys(requestSchemas) as RequestName[]) {
    socket.on(name, async (payload: unknown, ack: unknown) => {
      if (typeof ack !== "function") return;
      const parsed = requestSchemas[name].safeParse(payload);
      if (!parsed.success)
        return ack({ ok: false, error: { code: "BAD_REQUEST", message: parsed.error.issues[0]?.message ?? "invalid" } });
      try {
        const handler = handlers[name] as (c: SocketContext, r: unknown) => Promise<unknown>;
        ack({ ok: true, data: await handler(ctx, parsed.data) });
      } catch (error) {
        ack(toAckError(error));
      }
    });
  }
  socket.on("disconnect", () => {
    for (const [roomId, detach] of detachers) {
      detach();
      rooms.get(roomId)?.removePeer(socket.id);
    }
  });
}

export function attachWitnessNamespace(io: Server, rooms: RoomRegistry, tokenSecret: string): Namespace {
  const namespace = io.of(WITNESS_NAMESPACE);
  namespace.use((socket, next) => {
    const token: unknown = socket.handshake.auth?.token;
    const check = typeof token === "string" ? verifyWitnessToken(token, tokenSecret) : null;
    if (!check?.ok) return next(new Error(`unauthorised: ${check ? check.reason : "no token"}`));
    (socket as WitnessSocket).data.claims = check.claims;
    next();
  });
  namespace.on("connection", (socket) => bindSocket(socket as WitnessSocket, rooms));
  return namespace;
}
