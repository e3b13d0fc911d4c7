// RTP ingest for IP cameras and hardware encoders: one comedia PlainTransport per stream, on a
// port that is kept when the room is rebuilt on a new worker, so the camera never needs to know.
import { randomInt, randomUUID } from "node:crypto";
import type { types } from "mediasoup";
import { z } from "zod";
import { INGEST_PAYLOAD } from "../media-config.ts";

export const ingestRequestSchema = z.object({
  label: z.string().min(1).max(80),
  videoCodec: z.enum(["VP8", "H264"]).default("VP8"),
  audio: z.boolean().default(true),
});
export type IngestRequest = z.infer<typeof ingestRequestSchema>;

export type IngestStream = {
  kind: "audio" | "video";
  port: number;
  rtcpPort: number;
  payloadType: number;
  ssrc: number;
  mimeType: string;
};

export type IngestSpec = { id: string; label: string; ip: string; streams: IngestStream[] };

export type LiveIngest = { spec: IngestSpec; transports: types.PlainTransport[]; producers: types.Producer[] };

function rtpParameters(stream: IngestStream): types.RtpParameters {
  const codec: types.RtpCodecParameters =
    stream.kind === "audio"
      ? {
          mimeType: stream.mimeType,
          payloadType: stream.payloadType,
          clockRate: 48000,
          channels: 2,
          parameters: { "sprop-stereo": 1 },
        }
      : stream.mimeType === "video/H264"
        ? {
            mimeType: stream.mimeType,
            payloadType: stream.payloadType,
            clockRate: 90000,
            parameters: { "packetization-mode": 1, "profile-level-id": "42e01f" },
          }
        : { mimeType: stream.mimeType, payloadType: stream.payloadType, clockRate: 90000 };
  return { codecs: [codec], encodings: [{ ssrc: stream.ssrc }] };
}

export function newIngestSpec(request: IngestRequest, ip: string): IngestSpec {
  const video: IngestStream = {
    kind: "video",
    port: 0,
    rtcpPort: 0,
    ssrc: randomInt(1, 2 ** 31),
    payloadType: INGEST_PAYLOAD.video[request.videoCodec],
    mimeType: `video/${request.videoCodec}`,
  };
  const audio: IngestStream = {
    kind: "audio",
    port: 0,
    rtcpPort: 0,
    ssrc: randomInt(1, 2 ** 31),
    payloadType: INGEST_PAYLOAD.audio.opus,
    mimeType: "audio/opus",
  };
  return { id: randomUUID(), label: request.label, ip, streams: request.audio ? [video, audio] : [video] };
}

/**
 * A camera's keyframe arrives as a burst of packets; with the kernel's default ~208 KiB socket
 * buffer a busy worker drops some of them, and every viewer and the recording lose them
 * (bench:media, docs/decisions/036). The kernel caps this at net.core.rmem_max.
 */
export const INGEST_RECV_BUFFER = 4 * 1024 * 1024;

/** Opens the ingest's transports and producers on `router`; the first time, ports are assigned. */
export async function openIngest(router: types.Router, spec: IngestSpec): Promise<LiveIngest> {
  const live: LiveIngest = { spec, transports: [], producers: [] };
  for (const stream of spec.streams) {
    const transport = await router.createPlainTransport({
      listenInfo: {
        protocol: "udp",
        ip: spec.ip,
        recvBufferSize: INGEST_RECV_BUFFER,
        ...(stream.port ? { port: stream.port } : {}),
      },
      rtcpListenInfo: { protocol: "udp", ip: spec.ip, ...(stream.rtcpPort ? { port: stream.rtcpPort } : {}) },
      rtcpMux: false,
      comedia: true,
    });
    live.transports.push(transport);
    stream.port = transport.tuple.localPort;
    stream.rtcpPort = transport.rtcpTuple?.localPort ?? 0;
    const producer = await transport.produce({
      kind: stream.kind,
      rtpParameters: rtpParameters(stream),
      appData: { source: `ingest-${spec.id}`, label: spec.label },
    });
    live.producers.push(producer);
  }
  return live;
}

export function closeIngest(live: LiveIngest): void {
  for (const transport of live.transports) transport.close();
}

/** FFmpeg output arguments that send input 0's video and input 1's audio into this ingest. */
export function ffmpegIngestOutputArgs(spec: IngestSpec): string[] {
  return spec.streams.flatMap((s) => {
    const url = `rtp://${spec.ip}:${s.port}?rtcpport=${s.rtcpPort}&pkt_size=1200`;
    const codec =
      s.kind === "audio"
        ? ["-map", "1:a:0", "-c:a", "libopus", "-ar", "48000", "-ac", "2", "-b:a", "64k"]
        : s.mimeType === "video/H264"
          ? [
              "-map",
              "0:v:0",
              "-c:v",
              "libx264",
              "-profile:v",
              "baseline",
              "-tune",
              "zerolatency",
              "-pix_fmt",
              "yuv420p",
              "-g",
              "50",
            ]
          : ["-map", "0:v:0", "-c:v", "libvpx", "-deadline", "realtime", "-cpu-used", "8", "-b:v", "1M", "-g", "50"];
    return [...codec, "-ssrc", String(s.ssrc), "-payload_type", String(s.payloadType), "-f", "rtp", url];
  });
}

/** The test pattern and a tone as inputs 0 and 1: a camera for tests and for trying an ingest. */
export function testPatternInputs(size = "1280x720", seconds?: number): string[] {
  const limit = seconds === undefined ? [] : ["-t", String(seconds)];
  return [
    "-re",
    ...limit,
    "-f",
    "lavfi",
    "-i",
    `testsrc2=size=${size}:rate=25`,
    "-re",
    ...limit,
    "-f",
    "lavfi",
    "-i",
    "sine=frequency=440:sample_rate=48000",
  ];
}

/** A working FFmpeg command line for this ingest (returned by the API, quoted in README.md). */
export function ffmpegExample(spec: IngestSpec): string {
  const quote = (a: string) => (/[?&=:]/.test(a) ? `"${a}"` : a);
  return ["ffmpeg", ...testPatternInputs(), ...ffmpegIngestOutputArgs(spec)].map(quote).join(" ");
}
