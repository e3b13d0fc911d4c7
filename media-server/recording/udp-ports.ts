import dgram from "node:dgram";
import fs from "node:fs/promises";

function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = dgram.createSocket("udp4");
    socket.once("error", () => resolve(false));
    socket.bind(port, "127.0.0.1", () => socket.close(() => resolve(true)));
  });
}

/** A port P with P…P+3 free on 127.0.0.1: RTP and RTCP of the recorded stream, then of the wake stream. */
export async function freeUdpPortQuad(min = 20000, max = 29996): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = min + 4 * Math.floor((Math.random() * (max - min)) / 4);
    const free = await Promise.all([0, 1, 2, 3].map((i) => bindable(port + i)));
    if (free.every(Boolean)) return port;
  }
  throw new Error("no free UDP ports for a recorder");
}

/** Whether some process has bound the UDP port (read from /proc: FFmpeg prints nothing when it is ready). */
export async function udpPortBound(port: number): Promise<boolean> {
  const hex = `:${port.toString(16).toUpperCase().padStart(4, "0")} `;
  for (const table of ["/proc/net/udp", "/proc/net/udp6"]) {
    const text = await fs.readFile(table, "utf8").catch(() => "");
    if (text.split("\n").some((line) => line.trim().split(/\s+/)[1]?.endsWith(hex.trim()))) return true;
  }
  return false;
}

export async function waitUdpPortBound(port: number, timeoutMs: number, isAlive: () => boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive()) throw new Error("ffmpeg exited before opening its input");
    if (await udpPortBound(port)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`ffmpeg did not bind UDP ${port} within ${timeoutMs} ms`);
}
