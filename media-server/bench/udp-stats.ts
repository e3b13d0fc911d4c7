// The kernel's UDP drop counters, to tell where packets were lost: /proc/net/udp has one line per
// socket whose last column counts datagrams dropped at that socket (receive buffer full, mostly);
// /proc/net/snmp has the system-wide totals, including sends that failed for want of buffer.
import fs from "node:fs";

/** Drops per local port, from the text of /proc/net/udp (or udp6); the same port twice is summed. */
export function parseUdpDrops(text: string): Map<number, number> {
  const drops = new Map<number, number>();
  for (const line of text.split("\n").slice(1)) {
    const fields = line.trim().split(/\s+/);
    const local = fields[1];
    const count = Number(fields.at(-1));
    if (!local || fields.length < 13 || !Number.isFinite(count)) continue;
    const port = Number.parseInt(local.slice(local.lastIndexOf(":") + 1), 16);
    drops.set(port, (drops.get(port) ?? 0) + count);
  }
  return drops;
}

export type SnmpUdp = { inErrors: number; rcvbufErrors: number; sndbufErrors: number };

/** The Udp line pair of /proc/net/snmp. */
export function parseSnmpUdp(text: string): SnmpUdp {
  const [names, values] = text
    .split("\n")
    .filter((l) => l.startsWith("Udp:"))
    .map((l) => l.split(/\s+/).slice(1));
  const get = (name: string) => Number(values?.[names?.indexOf(name) ?? -1] ?? 0);
  return { inErrors: get("InErrors"), rcvbufErrors: get("RcvbufErrors"), sndbufErrors: get("SndbufErrors") };
}

export type UdpSnapshot = { drops: Map<number, number>; snmp: SnmpUdp };

export function udpSnapshot(): UdpSnapshot {
  const read = (file: string) => {
    try {
      return fs.readFileSync(file, "utf8");
    } catch {
      return "";
    }
  };
  const drops = parseUdpDrops(read("/proc/net/udp"));
  for (const [port, n] of parseUdpDrops(read("/proc/net/udp6"))) drops.set(port, (drops.get(port) ?? 0) + n);
  return { drops, snmp: parseSnmpUdp(read("/proc/net/snmp")) };
}

/** Datagrams dropped between two snapshots at the sockets whose local port satisfies `which`. */
export function dropsBetween(before: UdpSnapshot, after: UdpSnapshot, which: (port: number) => boolean): number {
  let total = 0;
  for (const [port, n] of after.drops) if (which(port)) total += Math.max(0, n - (before.drops.get(port) ?? 0));
  return total;
}
