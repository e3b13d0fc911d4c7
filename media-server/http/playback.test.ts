// Playback hashes a recording's segments once, not on every byte-range request of the player,
// and hashes again when the recording changes.
import { createHash } from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { LocalDiskStorage } from "../storage/local-disk-storage.ts";
import { manifestKey, type RecordingManifest } from "../recording/manifest.ts";
import { loadManifest } from "../recording/verify.ts";
import { verifyOnce } from "./playback.ts";

async function recording() {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), "playback-"));
  const storage = new LocalDiskStorage(root);
  const roomId = "room-p";
  const segments = [];
  for (let seq = 1; seq <= 3; seq++) {
    const bytes = Buffer.from(`segment ${seq}`);
    const key = `${roomId}/video-${seq}.webm`;
    await fs.mkdir(path.join(root, roomId), { recursive: true });
    await fs.writeFile(path.join(root, key), bytes);
    segments.push({
      seq,
      key,
      sha256: createHash("sha256").update(bytes).digest("hex"),
      bytes: bytes.length,
      startedAt: "2026-01-01T00:00:00Z",
      endedAt: "2026-01-01T00:00:05Z",
      producerId: "p",
    });
  }
  const manifest: RecordingManifest = {
    version: 1,
    roomId,
    startedAt: "2026-01-01T00:00:00Z",
    endedAt: null,
    segmentSeconds: 5,
    gaps: [],
    tracks: { "device-cam-video": { kind: "video", codec: "VP8", container: "webm", source: "device-cam", segments } },
  };
  await storage.writeText(manifestKey(roomId), JSON.stringify(manifest));
  const reads = vi.spyOn(storage, "read");
  return { root, storage, roomId, reads };
}

describe("playback verification cache", () => {
  it("reads each segment once across many requests, and again after a segment changes", async () => {
    const { root, storage, roomId, reads } = await recording();
    const manifest = (await loadManifest(storage, roomId))!;
    const reports = await Promise.all(Array.from({ length: 5 }, () => verifyOnce(storage, roomId, manifest)));
    expect(reports.every((r) => r?.ok)).toBe(true);
    for (let i = 0; i < 5; i++) expect((await verifyOnce(storage, roomId, manifest))?.ok).toBe(true);
    expect(reads).toHaveBeenCalledTimes(3);

    // Tampering (same length, new bytes) changes the segment's time of change: verified again, refused.
    await new Promise((r) => setTimeout(r, 5));
    await fs.writeFile(path.join(root, `${roomId}/video-2.webm`), "segment X");
    const after = await verifyOnce(storage, roomId, manifest);
    expect(after?.ok).toBe(false);
    expect(after?.problems).toEqual([expect.objectContaining({ seq: 2, problem: "hash-mismatch" })]);
    expect(reads).toHaveBeenCalledTimes(6);
  });
});
