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

export function newPeer(p: Pick<Peer, "id" | "userId" | "name" | "role" | "deviceId">): Peer {
  return { ...p, transports: new Map(), producers: new Map(), consumers: new Map() };
}

export function closePeerMedia(peer: Peer): void {
  for (const transport of peer.transports.values()) transport.close();
  peer.transports.clear();
  peer.producers.clear();
  peer.consumers.clear();
}
