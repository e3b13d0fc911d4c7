// What a bench receiver does with each RTP packet a consumer sends it: count it per SSRC (loss
// from sequence numbers) and, for the latency probe's packets, time it. Pure; no sockets.

export const PROBE_SSRC = 0x5052_4f42;
export const PROBE_MAGIC = 0x4d42_5052;

/** Where an RTP packet's payload starts: after CSRCs and the header extension mediasoup adds. */
export function payloadOffset(msg: Buffer): number {
  const first = msg[0] ?? 0;
  let offset = 12 + 4 * (first & 0x0f);
  if (first & 0x10 && msg.length >= offset + 4) offset += 4 + 4 * msg.readUInt16BE(offset + 2);
  return offset;
}

type StreamCount = { first: number; last: number; cycles: number; received: number };

export type Tally = { streams: number; expected: number; received: number };

/** The value at quantile `q` of ascending `sorted`; NaN when empty. */
export function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

export class RtpCounter {
  /** Only the consumers' own streams count: mediasoup also sends bandwidth probes (SSRC 1234). */
  private readonly counted = new Set<number>();
  private streams = new Map<number, StreamCount>();
  private latencies: number[] = [];

  count(ssrc: number): void {
    this.counted.add(ssrc);
  }

  /** `nowNs` (a monotonic clock shared with the probe's sender) is given only where latency is timed. */
  onPacket(msg: Buffer, nowNs?: bigint): void {
    if (msg.length < 12) return;
    const pt = msg[1] ?? 0;
    if (pt >= 192 && pt <= 223) return; // RTCP (rtcp-mux)
    const ssrc = msg.readUInt32BE(8);
    if (!this.counted.has(ssrc)) return;
    const seq = msg.readUInt16BE(2);
    const s = this.streams.get(ssrc);
    if (!s) {
      this.streams.set(ssrc, { first: seq, last: seq, cycles: 0, received: 1 });
    } else {
      if (seq < s.last && s.last - seq > 0x8000) s.cycles += 1;
      if (((seq - s.last) & 0xffff) < 0x8000) s.last = seq;
      s.received += 1;
    }
    if (nowNs === undefined) return;
    const offset = payloadOffset(msg);
    if (offset + 13 <= msg.length && msg.readUInt32BE(offset + 1) === PROBE_MAGIC) {
      this.latencies.push(Number(nowNs - msg.readBigUInt64BE(offset + 5)) / 1e6);
    }
  }

  /** Starts a measurement window. */
  reset(): void {
    this.streams = new Map();
    this.latencies = [];
  }

  tally(): Tally {
    let expected = 0;
    let received = 0;
    for (const s of this.streams.values()) {
      expected += s.cycles * 0x10000 + s.last - s.first + 1;
      received += s.received;
    }
    return { streams: this.streams.size, expected, received };
  }

  /** The window's latencies in ms, ascending. */
  latenciesMs(): number[] {
    return [...this.latencies].sort((a, b) => a - b);
  }
}
