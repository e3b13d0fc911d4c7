import type { types } from "mediasoup";

/**
 * The SDP FFmpeg reads to receive one consumer's RTP on `port` (RTCP on port + 1), plus a "wake"
 * stream on port + 2 that is never recorded. FFmpeg only notices a stop request (SIGINT) when a
 * packet arrives, and it gives up on an input silent for 10 s; a packet on the wake stream
 * makes a stop take effect at once with the last segment properly closed, and periodic ones
 * keep a recorder alive through a paused camera (docs/decisions/033).
 */
export function consumerSdp(kind: "audio" | "video", rtpParameters: types.RtpParameters, port: number): string {
  const codec = rtpParameters.codecs[0];
  if (!codec) throw new Error("consumer has no codec");
  const name = codec.mimeType.split("/")[1];
  const channels = codec.channels && codec.channels > 1 ? `/${codec.channels}` : "";
  const fmtp = Object.entries(codec.parameters ?? {})
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(";");
  return [
    "v=0",
    "o=- 0 0 IN IP4 127.0.0.1",
    "s=MingBiao witness recorder",
    "c=IN IP4 127.0.0.1",
    "t=0 0",
    `m=${kind} ${port} RTP/AVPF ${codec.payloadType}`,
    `a=rtcp:${port + 1}`,
    `a=rtpmap:${codec.payloadType} ${name}/${codec.clockRate}${channels}`,
    ...(fmtp ? [`a=fmtp:${codec.payloadType} ${fmtp}`] : []),
    "a=recvonly",
    `m=audio ${port + 2} RTP/AVP 0`,
    `a=rtcp:${port + 3}`,
    "a=rtpmap:0 PCMU/8000",
    "a=recvonly",
    "",
  ].join("\n");
}

/** WebM holds VP8/VP9/Opus; anything else (H264 from an IP camera) goes into Matroska. */
export function containerFor(mimeType: string): "webm" | "mkv" {
  return /^(video\/VP[89]|audio\/opus)$/i.test(mimeType) ? "webm" : "mkv";
}
