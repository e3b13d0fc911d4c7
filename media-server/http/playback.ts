// Playback of a recorded source (a device or an ingest: its video and audio tracks) as one
// continuous file: FFmpeg's concat demuxer joins the segments and remuxes them, still without
// transcoding, so the viewer never sees a segment boundary and can seek (docs/decisions/035). A source is served
// only after its segments verify against the manifest; a tampered recording is refused, not shown.
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import express, { type Request } from "express";
import type { RecordingStorage } from "../storage/recording-storage.ts";
import { loadManifest, verifyRecording, type VerificationReport } from "../recording/verify.ts";
import type { RecordingManifest } from "../recording/manifest.ts";
import { verifyWitnessToken } from "../token.ts";

const execFileAsync = promisify(execFile);

function authorised(req: Request, secret: string, roomId: string): boolean {
  const token = typeof req.query.token === "string" ? req.query.token : "";
  const check = verifyWitnessToken(token, secret);
  return check.ok && check.claims.role === "supervisor" && check.claims.roomIds.includes(roomId);
}

export function sourcesOf(manifest: RecordingManifest) {
  const sources = new Map<string, { source: string; tracks: string[]; seconds: number }>();
  for (const [track, t] of Object.entries(manifest.tracks)) {
    const entry = sources.get(t.source) ?? { source: t.source, tracks: [], seconds: 0 };
    entry.tracks.push(track);
    const first = t.segments[0];
    const last = t.segments.at(-1);
    if (first && last) entry.seconds = Math.max(entry.seconds, (Date.parse(last.endedAt) - Date.parse(first.startedAt)) / 1000);
    sources.set(t.source, entry);
  }
  return [...sources.values()];
}

async function concatList(storage: RecordingStorage, keys: string[], dir: string, name: string): Promise<string> {
  const lines = await Promise.all(keys.map(async (k) => `file '${(await storage.localPath(k)).replaceAll("'", "'\\''")}'`));
  const file = path.join(dir, `${name}.txt`);
  await fs.writeFile(file, `ffconcat version 1.0\n${lines.join("\n")}\n`);
  return file;
}

/** Remuxes a source's segments into one seekable file (cues, duration), cached by content. */
async function remuxSource(
  storage: RecordingStorage,
  manifest: RecordingManifest,
  source: string,
  ffmpegBin: string,
): Promise<{ file: string; webm: boolean } | null> {
  const tracks = Object.values(manifest.tracks).filter((t) => t.source === source && t.segments.length > 0);
  if (tracks.length === 0) return null;
  const webm = tracks.every((t) => t.container === "webm");
  const identity = createHash("sha256")
    .update(JSON.stringify(tracks.map((t) => t.segments.map((s) => s.sha256))))
    .digest("hex");
  const cacheDir = path.join(os.tmpdir(), "witness-playback");
  const file = path.join(cacheDir, `${identity}.${webm ? "webm" : "mkv"}`);
  if (await fs.stat(file).catch(() => null)) return { file, webm };
  await fs.mkdir(cacheDir, { recursive: true });
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "witness-remux-"));
  try {
    const inputs: string[] = [];
    for (const [i, t] of tracks.entries()) {
      inputs.push(
        "-f",
        "concat",
        "-safe",
        "0",
        "-i",
        await concatList(
          storage,
          t.segments.map((s) => s.key),
          dir,
          `t${i}`,
        ),
      );
    }
    const maps = tracks.flatMap((_, i) => ["-map", `${i}:0`]);
    const partial = path.join(dir, `out.${webm ? "webm" : "mkv"}`);
    await execFileAsync(ffmpegBin, ["-hide_banner", "-nostdin", "-loglevel", "error", ...inputs, ...maps, "-c", "copy", partial]);
    await fs.rename(partial, file);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
  return { file, webm };
}

type CachedVerification = { fingerprint: string; report: Promise<VerificationReport | null> };
// Per store and room: the last verification and what it was computed from.
const verifications = new WeakMap<RecordingStorage, Map<string, CachedVerification>>();

/** What a verification depends on: the manifest and each segment's size and time of change. */
async function recordingFingerprint(storage: RecordingStorage, manifest: RecordingManifest): Promise<string> {
  const hash = createHash("sha256").update(JSON.stringify(manifest));
  const keys = Object.values(manifest.tracks).flatMap((t) => t.segments.map((s) => s.key));
  const stats = await Promise.all(keys.map((k) => storage.stat(k)));
  keys.forEach((k, i) => hash.update(`${k}\0${stats[i]?.size ?? -1}\0${stats[i]?.modifiedMs ?? -1}\n`));
  return hash.digest("hex");
}

/**
 * The recording's verification, hashed once per recording rather than once per request: a
 * player asks for many byte ranges of one file. A changed manifest or segment (size or time of
 * change) makes it verify again; concurrent requests share one run.
 */
export async function verifyOnce(
  storage: RecordingStorage,
  roomId: string,
  manifest: RecordingManifest,
): Promise<VerificationReport | null> {
  let rooms = verifications.get(storage);
  if (!rooms) verifications.set(storage, (rooms = new Map()));
  const fingerprint = await recordingFingerprint(storage, manifest);
  const cached = rooms.get(roomId);
  if (cached?.fingerprint === fingerprint) return cached.report;
  const report = verifyRecording(storage, roomId);
  rooms.set(roomId, { fingerprint, report });
  report.catch(() => {
    if (rooms.get(roomId)?.report === report) rooms.delete(roomId);
  });
  return report;
}

export function playbackRoutes(storage: RecordingStorage, tokenSecret: string, ffmpegBin: string): express.Router {
  const router = express.Router();
  router.get("/:roomId/sources", (req, res) => {
    const roomId = req.params.roomId ?? "";
    if (!authorised(req, tokenSecret, roomId)) return void res.status(403).json({ error: "FORBIDDEN" });
    void loadManifest(storage, roomId)
      .then((manifest) => {
        if (!manifest) return res.status(404).json({ error: "NOT_FOUND" });
        res.json({
          roomId,
          startedAt: manifest.startedAt,
          endedAt: manifest.endedAt,
          gaps: manifest.gaps,
          sources: sourcesOf(manifest),
        });
      })
      .catch(() => res.status(500).json({ error: "FAILED" }));
  });
  router.get("/:roomId/:source.webm", (req, res) => {
    const roomId = req.params.roomId ?? "";
    const source = req.params.source ?? "";
    if (!authorised(req, tokenSecret, roomId)) return void res.status(403).json({ error: "FORBIDDEN" });
    void (async () => {
      const manifest = await loadManifest(storage, roomId);
      if (!manifest) return void res.status(404).json({ error: "NOT_FOUND" });
      const report = await verifyOnce(storage, roomId, manifest);
      const trackNames = Object.entries(manifest.tracks)
        .filter(([, t]) => t.source === source)
        .map(([n]) => n);
      const problems = report?.problems.filter((p) => trackNames.includes(p.track)) ?? [];
      if (problems.length > 0) return void res.status(409).json({ error: "RECORDING_ALTERED", problems });
      const remuxed = await remuxSource(storage, manifest, source, ffmpegBin);
      if (!remuxed) return void res.status(404).json({ error: "NOT_FOUND" });
      res.setHeader("cache-control", "no-store");
      res.type(remuxed.webm ? "video/webm" : "video/x-matroska");
      res.sendFile(remuxed.file);
    })().catch((error: unknown) => {
      console.error(`[media] playback of ${roomId}/${source} failed`, error);
      if (!res.headersSent) res.status(500).json({ error: "FAILED" });
    });
  });
  return router;
}
