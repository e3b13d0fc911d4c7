// One FFmpeg process that receives a consumer's RTP (described by an SDP file) and stream-copies
// it, without transcoding, into fixed-length segments. FFmpeg appends a line to the segment list
// each time it closes a segment; that line is our signal that the file is final and can be hashed.
import { spawn, type ChildProcess } from "node:child_process";
import dgram from "node:dgram";
import fs from "node:fs/promises";
import path from "node:path";

export type SegmenterOptions = {
  ffmpegBin: string;
  sdpFile: string;
  outDir: string;
  listFile: string;
  container: "webm" | "mkv";
  segmentSeconds: number;
  /** Prefix of this FFmpeg run's files; segments get their sequence number when they close. */
  runTag: string;
};

export type ClosedSegment = { file: string; start: number; end: number };

export function segmentFileName(seq: number, container: "webm" | "mkv"): string {
  return `seg-${String(seq).padStart(6, "0")}.${container}`;
}

export function segmenterArgs(o: SegmenterOptions): string[] {
  return [
    "-hide_banner",
    "-nostdin",
    "-loglevel",
    "error",
    "-protocol_whitelist",
    "file,udp,rtp",
    "-fflags",
    "+genpts",
    "-i",
    o.sdpFile,
    "-map",
    "0:0",
    "-c",
    "copy",
    "-f",
    "segment",
    "-segment_time",
    String(o.segmentSeconds),
    "-segment_format",
    o.container === "webm" ? "webm" : "matroska",
    "-reset_timestamps",
    "1",
    "-segment_list",
    o.listFile,
    "-segment_list_type",
    "csv",
    path.join(o.outDir, `run-${o.runTag}-%06d.${o.container}`),
  ];
}

export function spawnSegmenter(o: SegmenterOptions): { child: ChildProcess; stderrTail: () => string } {
  const child = spawn(o.ffmpegBin, segmenterArgs(o), { stdio: ["ignore", "ignore", "pipe"] });
  let tail = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    tail = (tail + chunk.toString()).slice(-2000);
  });
  return { child, stderrTail: () => tail };
}

/** Reads the CSV segment list; returns the lines after the first `already` ones. */
export async function readClosedSegments(listFile: string, already: number): Promise<ClosedSegment[]> {
  const text = await fs.readFile(listFile, "utf8").catch(() => "");
  // Only complete lines: FFmpeg may be in the middle of writing the last one.
  const lines = text.split("\n").slice(0, -1).filter(Boolean);
  return lines.slice(already).map((line) => {
    const [file = "", start = "0", end = "0"] = line.split(",");
    return { file, start: Number(start), end: Number(end) };
  });
}

/** False for a segment FFmpeg listed with no time in it (closed before its first packet). */
export function holdsMedia(closed: ClosedSegment): boolean {
  return closed.end > closed.start;
}

let wakeSocket: dgram.Socket | null = null;
let wakeSeq = 0;

/** One PCMU packet of silence to the wake stream (see sdp.ts): unblocks FFmpeg's input loop. */
export function sendWake(port: number): void {
  if (!wakeSocket) {
    wakeSocket = dgram.createSocket("udp4");
    wakeSocket.unref();
  }
  wakeSeq = (wakeSeq + 1) & 0xffff;
  const packet = Buffer.alloc(12 + 160, 0xff);
  packet.writeUInt8(0x80, 0);
  packet.writeUInt8(0, 1);
  packet.writeUInt16BE(wakeSeq, 2);
  packet.writeUInt32BE((Date.now() * 8) >>> 0, 4);
  packet.writeUInt32BE(0x5741_4b45, 8);
  wakeSocket.send(packet, port + 2, "127.0.0.1");
}

/** Asks FFmpeg to finish (it closes and lists the current segment), killing it if it hangs. */
export async function stopSegmenter(child: ChildProcess, port: number, graceMs = 12_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGINT");
  sendWake(port);
  const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
  await exited;
  clearTimeout(timer);
}
