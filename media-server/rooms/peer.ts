import type { types } from "mediasoup";
import type { WitnessRole } from "../token.ts";

/** One browser (a room device or a supervisor) inside one room, mediasoup-demo style. */
export type Peer = {
  id: string;
  userId: string;
  name: string;
  role: WitnessRole;
  /** Room devices name themselves ("camera-1"); it keys their recording tracks. */
  deviceId: string | null;
  transports: Map<string, types.WebRtcTransport>;
  producers: Map<string, types.Producer>;
  consumers: Map<string, types.Consumer>;
};

// Abuse limits (a page needs one transport and at most two producers: video and audio). The
// per-user caps count every page of that user in the room: an agent opens one page per camera.
export const MAX_TRANSPORTS_PER_PEER = 2;
export const MAX_PRODUCERS_PER_PEER = 4;
export const MAX_TRANSPORTS_PER_USER = 24;
export const MAX_PRODUCERS_PER_USER = 32;

/** How many transports and producers this user holds across its peers in one room. */
export function userMedia(peers: Iterable<Peer>, userId: string): { transports: number; producers: number } {
  let transports = 0;
  let producers = 0;
  for (const p of peers) {
    if (p.userId !== userId) continue;
    transports += p.transports.size;
    producers += p.producers.size;
  }
  return { transports, producers };
}

export function newPeer(p: Pick<Peer, "id" | "userId" | "name" | "role" | "deviceId">): Peer {
  return { ...p, transports: new Map(), producers: new Map(), consumers: new Map() };
}

export function closePeerMedia(peer: Peer): void {
  for (const transport of peer.transports.values()) transport.close();
  peer.transports.clear();
  peer.producers.clear();
  peer.consumers.clear();
}
