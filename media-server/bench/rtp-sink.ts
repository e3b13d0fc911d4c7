// The bench's supervisors: UDP sockets that receive every plain RTP consumer's packets and count
// them per SSRC (loss from sequence numbers) and time the probe packets (latency).
import dgram from "node:dgram";
import type { AddressInfo } from "node:net";

export const PROBE_SSRC = 0x5052_4f42;
export const PROBE_MAGIC = 0x4d42_5052;

/** Where an RTP packet's payload starts: after CSRCs and the header extension mediasoup adds. */
function payloadOffset(msg: Buffer): number {
  const first = msg[0] ?? 0;
  let offset = 12 + 4 * (first & 0x0f);
  if (first & 0x10 && msg.length >= offset + 4) offset += 4 + 4 * msg.readUInt16BE(offset + 2);
  return offset;
}

type StreamCount = { first: number; last: number; cycles: number; received: number };

export class RtpSink {
  private readonly sockets: dgram.Socket[] = [];
  private streams = new Map<number, StreamCount>();
  private latenciesMs: number[] = [];
  /** Only the consumers' own streams count: mediasoup also sends bandwidth probes (SSRC 1234). */
  private readonly counted = new Set<number>();

  static async open(count: number): Promise<RtpSink> {
    const sink = new RtpSink();
    for (let i = 0; i < count; i++) {
      const socket = dgram.createSocket({ type: "udp4", recvBufferSize: 8 * 1024 * 1024 });
      socket.on("message", (msg) => sink.onPacket(msg));
      await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
      sink.sockets.push(socket);
    }
    return sink;
  }

  count(ssrc: number): void {
    this.counted.add(ssrc);
  }

  ports(): number[] {
    return this.sockets.map((s) => (s.address() as AddressInfo).port);
  }

  private onPacket(msg: Buffer): void {
    if (msg.length < 12 || (msg[1] ?? 0) >= 192 && (msg[1] ?? 0) <= 223) return; // RTCP
    const seq = msg.readUInt16BE(2);
    const ssrc = msg.readUInt32BE(8);
    if (!this.counted.has(ssrc)) return;
    const s = this.streams.get(ssrc);
    if (!s) {
      this.streams.set(ssrc, { first: seq, last: seq, cycles: 0, received: 1 });
    } else {
      if (seq < s.last && s.last - seq > 0x8000) s.cycles += 1;
      if (((seq - s.last) & 0xffff) < 0x8000) s.last = seq;
      s.received += 1;
    }
    const offset = payloadOffset(msg);
    if (offset + 13 <= msg.length && msg.readUInt32BE(offset + 1) === PROBE_MAGIC) {
      const sentNs = msg.readBigUInt64BE(offset + 5);
      this.latenciesMs.push(Number(process.hrtime.bigint() - sentNs) / 1e6);
    }
  }

  /** Starts a measurement window. */
  reset(): void {
    this.streams = new Map();
    this.latenciesMs = [];
  }

  report(): { streams: number; lossPct: number; latencyP50: number; latencyP95: number } {
    let expected = 0;
    let received = 0;
    for (const s of this.streams.values()) {
      expected += s.cycles * 0x10000 + s.last - s.first + 1;
      received += s.received;
    }
    const sorted = [...this.latenciesMs].sort((a, b) => a - b);
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
    return { streams: this.streams.size, lossPct: expected > 0 ? Math.max(0, (1 - received / expected) * 100) : 0, latencyP50: at(0.5), latencyP95: at(0.95) };
  }

  close(): void {
    for (const s of this.sockets) s.close();
  }
}
