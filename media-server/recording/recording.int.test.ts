// An FFmpeg test-pattern camera (video + tone) publishes into a room through an RTP ingest; the
// recorders write segments; ffprobe checks codec, duration and audio; a changed byte is named.
import { createReadStream } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import { ffprobe, internal, startHarness, startTestCamera, type Harness } from "../test-support/harness.ts";
import { TOKEN_SECRET } from "../test-support/harness.ts";
import { signWitnessToken, witnessTokenExpiry } from "../token.ts";
import { sha256OfStream } from "./hash.ts";
import { verifyRecording } from "./verify.ts";
import type { RecordingManifest } from "./manifest.ts";

const PUBLISHED_SECONDS = 8;
let h: Harness;
let manifest: RecordingManifest;
/** How long the camera really ran: on a loaded machine its encoder falls behind real time. */
let wallSeconds = PUBLISHED_SECONDS;

/** Distance of a recorded duration from the time published (the media's, or the stretched wall clock's). */
function offPublished(seconds: number): number {
  return Math.min(Math.abs(seconds - PUBLISHED_SECONDS), Math.abs(seconds - wallSeconds));
}

beforeAll(async () => {
  h = await startHarness({ segmentSeconds: 2 });
  expect((await internal(h, "POST", "/rooms", { roomId: "eval-1", title: "评标室 1" })).status).toBe(201);
  const ingest = await internal(h, "POST", "/rooms/eval-1/ingests", { label: "IP camera 1", videoCodec: "VP8", audio: true });
  expect(ingest.status).toBe(201);
  expect(ingest.json.ffmpegExample).toContain(`rtp://127.0.0.1:${ingest.json.streams[0].port}`);
  const camera = startTestCamera(ingest.json, PUBLISHED_SECONDS);
  expect(await camera.done).toBe(0);
  wallSeconds = camera.wallSeconds();
  const closed = await internal(h, "DELETE", "/rooms/eval-1");
  expect(closed.status).toBe(200);
  manifest = closed.json.recording;
});

afterAll(async () => {
  await h?.close();
});

function tracksOf(kind: "audio" | "video") {
  return Object.values(manifest.tracks).filter((t) => t.kind === kind);
}

describe("recording an RTP-ingest camera", () => {
  it("writes numbered VP8 segments whose total duration matches the time published", async () => {
    const [video] = tracksOf("video");
    expect(video?.codec).toBe("video/VP8");
    const segments = video?.segments ?? [];
    expect(segments.length).toBeGreaterThanOrEqual(3);
    expect(segments.map((s) => s.seq)).toEqual(segments.map((_, i) => i + 1));
    let total = 0;
    for (const segment of segments) {
      const probe = await ffprobe(path.join(h.dir, segment.key));
      expect(probe.streams.map((s) => s.codec_name)).toEqual(["vp8"]);
      total += probe.duration;
    }
    expect(offPublished(total)).toBeLessThan(1);
  });

  it("records the sound as Opus of the same length", async () => {
    const [audio] = tracksOf("audio");
    let total = 0;
    for (const segment of audio?.segments ?? []) {
      const probe = await ffprobe(path.join(h.dir, segment.key));
      expect(probe.streams.map((s) => s.codec_type + "/" + s.codec_name)).toEqual(["audio/opus"]);
      total += probe.duration;
    }
    expect(offPublished(total)).toBeLessThan(1);
  });

  it("writes every closed segment's hash, times and sequence number to the audit log", async () => {
    const closedEntries = h.audit.entries.filter((e) => e.action === "witness.segment.closed");
    const segmentCount = Object.values(manifest.tracks).reduce((n, t) => n + t.segments.length, 0);
    expect(closedEntries).toHaveLength(segmentCount);
    expect(closedEntries[0]?.data).toMatchObject({ roomId: "eval-1", seq: 1, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(Date.parse(String(closedEntries[0]?.data.endedAt))).toBeGreaterThan(
      Date.parse(String(closedEntries[0]?.data.startedAt)),
    );
    expect(manifest.gaps).toEqual([]);
    expect((await verifyRecording(h.storage, "eval-1", h.audit.entries))?.ok).toBe(true);
  });

  it("plays back a source as one stream with video and sound, boundaries joined", async () => {
    const token = signWitnessToken(
      { sub: "sup", name: "监督", role: "supervisor", roomIds: ["eval-1"], exp: witnessTokenExpiry() },
      TOKEN_SECRET,
    );
    const sources = await (await fetch(`${h.server.url}/playback/eval-1/sources?token=${token}`)).json();
    const source = sources.sources[0].source as string;
    const res = await fetch(`${h.server.url}/playback/eval-1/${source}.webm?token=${token}`);
    expect(res.headers.get("content-type")).toMatch(/^video\/webm/);
    const file = path.join(h.dir, "playback.webm");
    await fs.writeFile(file, Buffer.from(await res.arrayBuffer()));
    const probe = await ffprobe(file);
    expect(probe.streams.map((s) => s.codec_name).sort()).toEqual(["opus", "vp8"]);
    expect(offPublished(probe.duration)).toBeLessThan(1);
    const deviceToken = signWitnessToken(
      { sub: "d", name: "cam", role: "device", roomIds: ["eval-1"], exp: witnessTokenExpiry() },
      TOKEN_SECRET,
    );
    expect((await fetch(`${h.server.url}/playback/eval-1/${source}.webm?token=${deviceToken}`)).status).toBe(403);
  });

  it("names the segment when one byte of it was changed, and refuses to play it", async () => {
    const [video] = tracksOf("video");
    const target = video?.segments[1];
    if (!target) throw new Error("need a second segment");
    const file = path.join(h.dir, target.key);
    const bytes = await fs.readFile(file);
    const at = Math.floor(bytes.length / 2);
    bytes.writeUInt8(bytes.readUInt8(at) ^ 0x01, at);
    await fs.writeFile(file, bytes);
    const report = await internal(h, "POST", "/rooms/eval-1/verify", { auditEntries: h.audit.entries });
    expect(report.json.ok).toBe(false);
    expect(report.json.problems).toEqual([
      { track: expect.stringMatching(/video$/), seq: 2, key: target.key, problem: "hash-mismatch" },
    ]);
    const token = signWitnessToken(
      { sub: "sup", name: "监督", role: "supervisor", roomIds: ["eval-1"], exp: witnessTokenExpiry() },
      TOKEN_SECRET,
    );
    const source = Object.values(manifest.tracks)[0]?.source;
    expect((await fetch(`${h.server.url}/playback/eval-1/${source}.webm?token=${token}`)).status).toBe(409);
  });

  it("catches a manifest whose hash was rewritten to match, through the audit log", async () => {
    const [video] = tracksOf("video");
    const target = video?.segments[1];
    if (!target) throw new Error("need a second segment");
    const forged = structuredClone(manifest);
    const forgedTrack = Object.values(forged.tracks).find((t) => t.kind === "video");
    const forgedSegment = forgedTrack?.segments[1];
    if (!forgedSegment) throw new Error("need a second segment");
    forgedSegment.sha256 = (await sha256OfStream(createReadStream(path.join(h.dir, target.key)))).sha256;
    await fs.writeFile(path.join(h.dir, "eval-1/manifest.json"), JSON.stringify(forged));
    const withoutAudit = await verifyRecording(h.storage, "eval-1");
    expect(withoutAudit?.ok).toBe(true);
    const withAudit = await verifyRecording(h.storage, "eval-1", h.audit.entries);
    expect(withAudit?.problems).toEqual([
      { track: expect.stringMatching(/video$/), seq: 2, key: target.key, problem: "differs-from-audit-log" },
    ]);
  });
});
