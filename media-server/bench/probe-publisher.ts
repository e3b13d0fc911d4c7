// A publisher whose packets carry their send time: an Opus-typed RTP stream (50 packets/s)
// produced through a comedia PlainTransport. Consumers of it measure publisher → consumer latency.
// The producer lives in the bench process (`openProbe`); the packets are sent by the latency
// receiver (`sendProbes`), which also receives them back, so both ends read the same clock in a
// process that does little else.
import dgram from "node:dgram";
import type { types } from "mediasoup";
import { PROBE_MAGIC, PROBE_SSRC } from "./rtp-counter.ts";

export async function openProbe(router: types.Router): Promise<{ producer: types.Producer; port: number; close(): void }> {
  const transport = await router.createPlainTransport({
    listenInfo: { protocol: "udp", ip: "127.0.0.1" },
    rtcpMux: true,
    comedia: true,
  });
  const producer = await transport.produce({
    kind: "audio",
    rtpParameters: {
      codecs: [{ mimeType: "audio/opus", payloadType: 100, clockRate: 48000, channels: 2 }],
      encodings: [{ ssrc: PROBE_SSRC }],
    },
  });
  return { producer, port: transport.tuple.localPort, close: () => transport.close() };
}

/** Sends a probe packet every 20 ms to the probe's transport; stamps it just before the send. */
export async function sendProbes(port: number): Promise<{ stop(): void }> {
  const socket = dgram.createSocket("udp4");
  await new Promise<void>((resolve) => socket.connect(port, "127.0.0.1", resolve));
  let seq = 0;
  let timestamp = 0;
  const timer = setInterval(() => {
    const packet = Buffer.alloc(12 + 80);
    packet.writeUInt8(0x80, 0);
    packet.writeUInt8(100, 1);
    packet.writeUInt16BE(seq, 2);
    packet.writeUInt32BE(timestamp >>> 0, 4);
    packet.writeUInt32BE(PROBE_SSRC, 8);
    packet.writeUInt8(0x78, 12); // an Opus TOC byte (20 ms frame), so mediasoup treats it as audio
    packet.writeUInt32BE(PROBE_MAGIC, 13);
    packet.writeBigUInt64BE(process.hrtime.bigint(), 17);
    socket.send(packet);
    seq = (seq + 1) & 0xffff;
    timestamp += 960;
  }, 20);
  return {
    stop() {
      clearInterval(timer);
      socket.close();
    },
  };
}
