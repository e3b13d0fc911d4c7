// Abuse limits in the signaling handlers: transports and producers per page and per user.
import type { types } from "mediasoup";
import { handlers, SignalingError, type SocketContext } from "./handlers.ts";
import {
  MAX_PRODUCERS_PER_PEER,
  MAX_PRODUCERS_PER_USER,
  MAX_TRANSPORTS_PER_PEER,
  MAX_TRANSPORTS_PER_USER,
  newPeer,
  type Peer,
} from "../rooms/peer.ts";
import type { RoomRegistry } from "../rooms/room-registry.ts";
import type { WitnessRoom } from "../rooms/witness-room.ts";

const roomId = "limits";

function fakeRoom() {
  const peers = new Map<string, Peer>();
  let n = 0;
  const room = {
    closed: false,
    peers,
    createWebRtcTransport: vi.fn(async (peer: Peer) => {
      const t = { id: `t${++n}`, iceParameters: {}, iceCandidates: [], dtlsParameters: {} } as unknown as types.WebRtcTransport;
      peer.transports.set(t.id, t);
      return t;
    }),
    produceFromDevice: vi.fn(async (peer: Peer) => {
      const id = `p${++n}`;
      peer.producers.set(id, {} as types.Producer);
      return id;
    }),
  };
  return room;
}

function ctxFor(
  room: ReturnType<typeof fakeRoom>,
  socketId: string,
  userId: string,
  role: "device" | "supervisor",
): SocketContext {
  const peer = newPeer({ id: socketId, userId, name: userId, role, deviceId: role === "device" ? socketId : null });
  room.peers.set(socketId, peer);
  return {
    socketId,
    claims: { sub: userId, name: userId, role, roomIds: [roomId], exp: 0 },
    rooms: { get: () => room as unknown as WitnessRoom } as unknown as RoomRegistry,
    attach: () => {},
    detach: () => {},
  };
}

const limit = expect.objectContaining({ code: "LIMIT" }) as unknown as SignalingError;

describe("signaling abuse limits", () => {
  it("refuses more transports than a page needs", async () => {
    const room = fakeRoom();
    const ctx = ctxFor(room, "s1", "sup", "supervisor");
    for (let i = 0; i < MAX_TRANSPORTS_PER_PEER; i++) await handlers.createTransport(ctx, { roomId, direction: "recv" });
    await expect(handlers.createTransport(ctx, { roomId, direction: "recv" })).rejects.toEqual(limit);
    expect(room.createWebRtcTransport).toHaveBeenCalledTimes(MAX_TRANSPORTS_PER_PEER);
  });

  it("refuses more transports per user across its pages in the room", async () => {
    const room = fakeRoom();
    const pages = Math.ceil(MAX_TRANSPORTS_PER_USER / MAX_TRANSPORTS_PER_PEER);
    for (let p = 0; p < pages; p++) {
      const ctx = ctxFor(room, `s${p}`, "dev", "device");
      for (let i = 0; i < MAX_TRANSPORTS_PER_PEER; i++) await handlers.createTransport(ctx, { roomId, direction: "send" });
    }
    await expect(
      handlers.createTransport(ctxFor(room, "one-more", "dev", "device"), { roomId, direction: "send" }),
    ).rejects.toEqual(limit);
    // Another user's page is not affected.
    await expect(
      handlers.createTransport(ctxFor(room, "other", "dev-2", "device"), { roomId, direction: "send" }),
    ).resolves.toMatchObject({ id: expect.any(String) });
  });

  it("refuses more producers per page and per user", async () => {
    const room = fakeRoom();
    const ctx = ctxFor(room, "cam", "dev", "device");
    const { id: transportId } = await handlers.createTransport(ctx, { roomId, direction: "send" });
    const produce = (c: SocketContext, t: string) =>
      handlers.produce(c, { roomId, transportId: t, kind: "video", rtpParameters: {} });
    for (let i = 0; i < MAX_PRODUCERS_PER_PEER; i++) await produce(ctx, transportId);
    await expect(produce(ctx, transportId)).rejects.toEqual(limit);

    let made = MAX_PRODUCERS_PER_PEER;
    for (let p = 0; made < MAX_PRODUCERS_PER_USER; p++) {
      const page = ctxFor(room, `cam-${p}`, "dev", "device");
      const { id } = await handlers.createTransport(page, { roomId, direction: "send" });
      for (let i = 0; i < MAX_PRODUCERS_PER_PEER && made < MAX_PRODUCERS_PER_USER; i++, made++) await produce(page, id);
    }
    const last = ctxFor(room, "cam-last", "dev", "device");
    const { id } = await handlers.createTransport(last, { roomId, direction: "send" });
    await expect(produce(last, id)).rejects.toEqual(limit);
  });
});
