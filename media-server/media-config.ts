import type { types } from "mediasoup";

/**
 * Codecs of every witness router. VP8 and Opus are what browsers send and what WebM holds; H264
 * is there for IP cameras and hardware encoders, recorded into Matroska (docs/decisions/032).
 */
export const routerMediaCodecs: types.RtpCodecCapability[] = [
  { kind: "audio", mimeType: "audio/opus", clockRate: 48000, channels: 2 },
  { kind: "video", mimeType: "video/VP8", clockRate: 90000, parameters: { "x-google-start-bitrate": 1000 } },
  {
    kind: "video",
    mimeType: "video/H264",
    clockRate: 90000,
    parameters: { "packetization-mode": 1, "profile-level-id": "42e01f", "level-asymmetry-allowed": 1 },
  },
];

/** Payload types and codecs an RTP ingest (IP camera, encoder) must send; see README.md. */
export const INGEST_PAYLOAD = {
  video: { VP8: 101, H264: 102 },
  audio: { opus: 100 },
} as const;
