// The witness signaling protocol (socket.io namespace `/witness`). Shared by the server's handler
// table and the browser client, so both sides agree on every request and response.
import type { types } from "mediasoup";
import { z } from "zod";

const roomId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);
const id = z.string().min(1).max(100);
const anyObject = z.record(z.unknown());

export const requestSchemas = {
  join: z.object({
    roomId,
    deviceId: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,40}$/)
      .optional(),
  }),
  createTransport: z.object({ roomId, direction: z.enum(["send", "recv"]) }),
  connectTransport: z.object({ roomId, transportId: id, dtlsParameters: anyObject }),
  produce: z.object({ roomId, transportId: id, kind: z.enum(["audio", "video"]), rtpParameters: anyObject }),
  consume: z.object({ roomId, transportId: id, producerId: id, rtpCapabilities: anyObject }),
  resumeConsumer: z.object({ roomId, consumerId: id }),
  leave: z.object({ roomId }),
} as const;

export type RequestName = keyof typeof requestSchemas;
export type Request<N extends RequestName> = z.infer<(typeof requestSchemas)[N]>;

export type ProducerAnnouncement = { roomId: string; producerId: string; kind: "audio" | "video"; source: string; label: string };

export type Responses = {
  join: { routerRtpCapabilities: types.RtpCapabilities; producers: ProducerAnnouncement[]; title: string };
  createTransport: {
    id: string;
    iceParameters: types.IceParameters;
    iceCandidates: types.IceCandidate[];
    dtlsParameters: types.DtlsParameters;
  };
  connectTransport: { connected: true };
  produce: { producerId: string };
  consume: { id: string; producerId: string; kind: "audio" | "video"; rtpParameters: types.RtpParameters };
  resumeConsumer: { resumed: true };
  leave: { left: true };
};

export type Ack<T> = { ok: true; data: T } | { ok: false; error: { code: string; message: string } };

/** Server → browser events. Devices only ever get `roomRestarted` and `roomClosed`. */
export type ServerEvents = {
  producerAdded: (p: ProducerAnnouncement) => void;
  producerRemoved: (p: { roomId: string; producerId: string }) => void;
  roomRestarted: (p: { roomId: string }) => void;
  roomClosed: (p: { roomId: string }) => void;
};

export type ClientEvents = {
  [N in RequestName]: (payload: Request<N>, ack: (response: Ack<Responses[N]>) => void) => void;
};

export const WITNESS_NAMESPACE = "/witness";
