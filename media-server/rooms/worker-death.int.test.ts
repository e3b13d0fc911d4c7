// Fault tests: the mediasoup worker is killed, or a recorder's FFmpeg is killed, while a camera
// publishes. Recording must resume and the hole must be written down, never silent.
import { internal, sleep, startHarness, startTestCamera, waitFor, type Harness } from "../test-support/harness.ts";
import { verifyRecording } from "../recording/verify.ts";
import type { RecordingManifest } from "../recording/manifest.ts";

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ segmentSeconds: 2 });
});

afterAll(async () => {
  await h?.close();
});

function segmentsAfter(manifest: RecordingManifest, track: string, at: string) {
  return manifest.tracks[track]?.segments.filter((s) => Date.parse(s.startedAt) >= Date.parse(at)) ?? [];
}

describe("a worker that dies", () => {
  it("is replaced, the room is rebuilt on the same ingest ports and recording resumes with the gap logged", async () => {
    await internal(h, "POST", "/rooms", { roomId: "kill-1", title: "" });
    const ingest = await internal(h, "POST", "/rooms/kill-1/ingests", { label: "cam", videoCodec: "VP8" });
    const camera = startTestCamera(ingest.json, 12);
    const room = h.server.rooms.get("kill-1");
    if (!room) throw new Error("room missing");
    await waitFor("first video segment", () => room.log.nextSeq(`ingest-${ingest.json.id}-video`) > 1);
    const deadPid = room.workerPid;
    process.kill(deadPid, "SIGKILL");
    await waitFor("replacement worker", () => h.server.deaths.length === 1);
    expect(h.server.deaths[0]?.pid).toBe(deadPid);
    await waitFor("room on the new worker", () => room.workerPid !== deadPid && room.listProducers().length === 2);
    expect(room.listIngests()[0]?.streams.map((s) => s.port)).toEqual(ingest.json.streams.map((s: { port: number }) => s.port));
    expect(await camera.done).toBe(0);
    const { json } = await internal(h, "DELETE", "/rooms/kill-1");
    const manifest = json.recording as RecordingManifest;
    const video = `ingest-${ingest.json.id}-video`;
    const gaps = manifest.gaps.filter((g) => g.reason === "worker-died");
    expect(gaps.map((g) => g.track).sort()).toEqual([`ingest-${ingest.json.id}-audio`, video]);
    const videoGap = gaps.find((g) => g.track === video);
    expect(videoGap?.to).not.toBeNull();
    expect(Date.parse(String(videoGap?.to)) - Date.parse(String(videoGap?.from))).toBeLessThan(8_000);
    expect(segmentsAfter(manifest, video, String(videoGap?.to)).length).toBeGreaterThanOrEqual(2);
    expect(h.audit.entries.some((e) => e.action === "witness.recording.gap" && e.data.reason === "worker-died")).toBe(true);
    expect(h.audit.entries.some((e) => e.action === "witness.worker.replaced")).toBe(true);
    expect((await verifyRecording(h.storage, "kill-1", h.audit.entries))?.ok).toBe(true);
    const health = await (await fetch(`${h.server.url}/healthz`)).json();
    expect(health.ok).toBe(true);
  });
});

describe("a recorder that dies", () => {
  it("is restarted, numbering continues and the gap is logged", async () => {
    await internal(h, "POST", "/rooms", { roomId: "kill-2", title: "" });
    const ingest = await internal(h, "POST", "/rooms/kill-2/ingests", { label: "cam", videoCodec: "VP8", audio: false });
    const camera = startTestCamera(ingest.json, 9);
    const room = h.server.rooms.get("kill-2");
    const producerId = room?.listProducers()[0]?.producerId ?? "";
    const video = `ingest-${ingest.json.id}-video`;
    await waitFor("first segment", () => (room?.log.nextSeq(video) ?? 0) > 1);
    const pid = room?.recorderFor(producerId)?.ffmpegPid;
    if (!pid) throw new Error("no recorder");
    process.kill(pid, "SIGKILL");
    await waitFor("restarted recorder", () => {
      const next = room?.recorderFor(producerId)?.ffmpegPid;
      return next !== undefined && next !== pid;
    });
    await sleep(100);
    expect(await camera.done).toBe(0);
    const { json } = await internal(h, "DELETE", "/rooms/kill-2");
    const manifest = json.recording as RecordingManifest;
    const [gap] = manifest.gaps;
    expect(gap).toMatchObject({ track: video, reason: "recorder-died" });
    expect(gap?.to).not.toBeNull();
    expect(segmentsAfter(manifest, video, String(gap?.to)).length).toBeGreaterThanOrEqual(1);
    expect((await verifyRecording(h.storage, "kill-2", h.audit.entries))?.ok).toBe(true);
  });
});
