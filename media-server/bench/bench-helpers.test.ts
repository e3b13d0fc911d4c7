import { PROBE_MAGIC, PROBE_SSRC, RtpCounter, quantile } from "./rtp-counter.ts";
import { dropsBetween, parseSnmpUdp, parseUdpDrops } from "./udp-stats.ts";

function rtp(ssrc: number, seq: number, payload: Buffer = Buffer.alloc(20)): Buffer {
  const header = Buffer.alloc(12);
  header.writeUInt8(0x80, 0);
  header.writeUInt8(100, 1);
  header.writeUInt16BE(seq, 2);
  header.writeUInt32BE(ssrc, 8);
  return Buffer.concat([header, payload]);
}

describe("RtpCounter", () => {
  it("counts loss from sequence numbers per SSRC, across the 16-bit wrap, and ignores other SSRCs and RTCP", () => {
    const counter = new RtpCounter();
    counter.count(7);
    counter.count(8);
    for (const seq of [0xfffe, 0xffff, 1, 2]) counter.onPacket(rtp(7, seq)); // 0 lost
    for (const seq of [10, 11, 13]) counter.onPacket(rtp(8, seq)); // 12 lost
    counter.onPacket(rtp(1234, 5)); // a bandwidth probe
    const rtcp = rtp(7, 3);
    rtcp.writeUInt8(200, 1);
    counter.onPacket(rtcp);
    expect(counter.tally()).toEqual({ streams: 2, expected: 5 + 4, received: 7 });
    counter.reset();
    expect(counter.tally()).toEqual({ streams: 0, expected: 0, received: 0 });
  });

  it("times probe packets only when given the arrival time, after mediasoup's header extension", () => {
    const counter = new RtpCounter();
    counter.count(PROBE_SSRC);
    const payload = Buffer.alloc(1 + 4 + 8 + 8);
    payload.writeUInt32BE(PROBE_MAGIC, 1);
    payload.writeBigUInt64BE(1_000_000n, 5);
    const extension = Buffer.from([0xbe, 0xde, 0x00, 0x01, 0x10, 0xff, 0x00, 0x00]);
    const packet = rtp(PROBE_SSRC, 1, Buffer.concat([extension, payload]));
    packet.writeUInt8(0x90, 0);
    counter.onPacket(packet);
    expect(counter.latenciesMs()).toEqual([]);
    counter.onPacket(packet, 3_500_000n);
    expect(counter.latenciesMs()).toEqual([2.5]);
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(3);
    expect(quantile([], 0.5)).toBeNaN();
  });
});

describe("udp-stats", () => {
  const table = (drops: number) =>
    [
      "   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops",
      `  123: 0100007F:9C40 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 4242 2 0000000000000000 ${drops}`,
      "  124: 0100007F:1F90 0100007F:9C41 01 00000000:00000000 00:00000000 00000000     0        0 4243 2 0000000000000000 3",
      "",
    ].join("\n");

  it("reads per-port drops from /proc/net/udp and subtracts snapshots", () => {
    expect(parseUdpDrops(table(5))).toEqual(
      new Map([
        [40000, 5],
        [8080, 3],
      ]),
    );
    const snmp = parseSnmpUdp("Udp: InDatagrams InErrors RcvbufErrors SndbufErrors\nUdp: 10 4 3 2\n");
    expect(snmp).toEqual({ inErrors: 4, rcvbufErrors: 3, sndbufErrors: 2 });
    const before = { drops: parseUdpDrops(table(5)), snmp };
    const after = { drops: parseUdpDrops(table(9)), snmp };
    expect(dropsBetween(before, after, (port) => port === 40000)).toBe(4);
    expect(dropsBetween(before, after, () => true)).toBe(4);
  });
});
