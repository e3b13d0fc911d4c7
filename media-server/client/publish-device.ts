// A room device (camera + microphone of the evaluation room) publishing into its WitnessRoom.
// It keeps publishing through network drops, server restarts and worker replacements: any of
// those tears the session down and it starts again with the same camera tracks.
import { Device } from "mediasoup-client";
import type { types } from "mediasoup-client";
import { connectWitness, reportConnectErrors, request, SignalingRefused, type WitnessSocket } from "./signaling-client.ts";

export type DeviceKind = "camera" | "microphone" | "camera+microphone";
export type PublishState = "connecting" | "publishing" | "reconnecting" | "refused" | "stopped";

export type PublishOptions = {
  url: string;
  token: string;
  roomId: string;
  /** Stable name of this device in the room ("camera-1"): recordings continue under it. */
  deviceId: string;
  deviceKind: DeviceKind;
  onState?: (state: PublishState, detail?: string) => void;
  /** The local preview: the tracks being published. */
  onLocalStream?: (stream: MediaStream) => void;
};

export type Publication = { stop(): void };

async function localMedia(kind: DeviceKind): Promise<MediaStream> {
  return navigator.mediaDevices.getUserMedia({
    video: kind !== "microphone" ? { width: { ideal: 1280 }, height: { ideal: 720 }, frameRate: { ideal: 25 } } : false,
    audio: kind !== "camera",
  });
}

async function publishOnce(socket: WitnessSocket, o: PublishOptions, stream: MediaStream): Promise<types.Transport> {
  const { routerRtpCapabilities } = await request(socket, "join", { roomId: o.roomId, deviceId: o.deviceId });
  const device = new Device();
  await device.load({ routerRtpCapabilities });
  const params = await request(socket, "createTransport", { roomId: o.roomId, direction: "send" });
  const transport = device.createSendTransport(params as unknown as types.TransportOptions);
  transport.on("connect", ({ dtlsParameters }, done, fail) => {
    request(socket, "connectTransport", {
      roomId: o.roomId,
      transportId: transport.id,
      dtlsParameters: dtlsParameters as unknown as Record<string, unknown>,
    }).then(() => done(), fail);
  });
  transport.on("produce", ({ kind, rtpParameters }, done, fail) => {
    request(socket, "produce", {
      roomId: o.roomId,
      transportId: transport.id,
      kind,
      rtpParameters: rtpParameters as unknown as Record<string, unknown>,
    }).then(({ producerId }) => done({ id: producerId }), fail);
  });
  for (const track of stream.getTracks()) {
    await transport.produce({
      track,
      stopTracks: false,
      ...(track.kind === "video" ? { codecOptions: { videoGoogleStartBitrate: 1000 } } : {}),
    });
  }
  return transport;
}

/** How long a send transport may stay "disconnected" before it is replaced. */
const DISCONNECTED_GRACE_MS = 5000;

export function publishDevice(o: PublishOptions): Publication {
  let stopped = false;
  let transport: types.Transport | null = null;
  let stream: MediaStream | null = null;
  const socket = connectWitness(o.url, o.token);
  const state = (s: PublishState, detail?: string) => o.onState?.(s, detail);

  const restart = async () => {
    transport?.close();
    transport = null;
    if (stopped || !socket.connected) return;
    try {
      stream ??= await localMedia(o.deviceKind);
      o.onLocalStream?.(stream);
      const current = await publishOnce(socket, o, stream);
      transport = current;
      // "disconnected" is often transient (ICE consent checks missed on a busy machine or a
      // flaky line) and recovers by itself; publishing again would end every consumer and
      // recorder of these tracks. Only a transport that has failed, or is still not connected
      // after a grace period, is replaced.
      const replaceIfStillDown = () => {
        if (transport !== current || current.closed || current.connectionState === "connected") return;
        state("reconnecting", `transport ${current.connectionState}`);
        void restart();
      };
      current.on("connectionstatechange", (s) => {
        if (s === "failed") setTimeout(replaceIfStillDown, 1000);
        else if (s === "disconnected") setTimeout(replaceIfStillDown, DISCONNECTED_GRACE_MS);
      });
      state("publishing");
    } catch (error) {
      if (error instanceof SignalingRefused) return void state("refused", error.message);
      state("reconnecting", (error as Error).message);
      setTimeout(() => void restart(), 2000);
    }
  };

  state("connecting");
  socket.on("connect", () => void restart());
  socket.on("disconnect", () => state("reconnecting", "signaling lost"));
  socket.on("roomRestarted", () => void restart());
  reportConnectErrors(socket, state);

  return {
    stop() {
      stopped = true;
      transport?.close();
      stream?.getTracks().forEach((t) => t.stop());
      socket.disconnect();
      state("stopped");
    },
  };
}
