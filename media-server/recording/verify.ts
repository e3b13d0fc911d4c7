// Checks a room's recording against its manifest and, when the app passes them, the audit
// entries written as each segment closed: every segment present, numbered 1..n without holes,
// and its bytes still hashing to the recorded SHA-256. Each problem names the segment.
import type { AuditEntry } from "../audit/audit-sink.ts";
import type { RecordingStorage } from "../storage/recording-storage.ts";
import { sha256OfStream } from "./hash.ts";
import { manifestKey, manifestSchema, SEGMENT_CLOSED, type RecordingManifest } from "./manifest.ts";

export type VerificationProblem = {
  track: string;
  seq: number;
  key: string;
  problem: "missing" | "hash-mismatch" | "sequence-hole" | "not-in-audit-log" | "differs-from-audit-log";
};

export type VerificationReport = {
  roomId: string;
  ok: boolean;
  auditChecked: boolean;
  segments: number;
  problems: VerificationProblem[];
  gaps: RecordingManifest["gaps"];
};

type AuditedSegment = { sha256: string; key: string };

function auditedSegments(entries: AuditEntry[], roomId: string): Map<string, AuditedSegment> {
  const byTrackSeq = new Map<string, AuditedSegment>();
  for (const { action, data } of entries) {
    if (action !== SEGMENT_CLOSED || data.roomId !== roomId) continue;
    byTrackSeq.set(`${String(data.track)}#${String(data.seq)}`, { sha256: String(data.sha256), key: String(data.key) });
  }
  return byTrackSeq;
}

export async function loadManifest(storage: RecordingStorage, roomId: string): Promise<RecordingManifest | null> {
  const text = await storage.readText(manifestKey(roomId));
  return text ? manifestSchema.parse(JSON.parse(text)) : null;
}

async function checkSegmentBytes(
  storage: RecordingStorage,
  key: string,
  sha256: string,
): Promise<"missing" | "hash-mismatch" | null> {
  const stream = await storage.read(key).catch(() => null);
  if (!stream) return "missing";
  return (await sha256OfStream(stream)).sha256 === sha256 ? null : "hash-mismatch";
}

export async function verifyRecording(
  storage: RecordingStorage,
  roomId: string,
  auditEntries?: AuditEntry[],
): Promise<VerificationReport | null> {
  const manifest = await loadManifest(storage, roomId);
  if (!manifest) return null;
  const audited = auditEntries ? auditedSegments(auditEntries, roomId) : null;
  const problems: VerificationProblem[] = [];
  let segments = 0;
  for (const [track, { segments: list }] of Object.entries(manifest.tracks)) {
    let expectedSeq = list[0]?.seq ?? 1;
    for (const segment of list) {
      segments += 1;
      const at = { track, seq: segment.seq, key: segment.key };
      for (let missingSeq = expectedSeq; missingSeq < segment.seq; missingSeq++) {
        problems.push({ track, seq: missingSeq, key: segment.key, problem: "sequence-hole" });
      }
      expectedSeq = segment.seq + 1;
      const bytesProblem = await checkSegmentBytes(storage, segment.key, segment.sha256);
      if (bytesProblem) problems.push({ ...at, problem: bytesProblem });
      if (!audited) continue;
      const record = audited.get(`${track}#${segment.seq}`);
      audited.delete(`${track}#${segment.seq}`);
      if (!record) problems.push({ ...at, problem: "not-in-audit-log" });
      else if (record.sha256 !== segment.sha256 || record.key !== segment.key)
        problems.push({ ...at, problem: "differs-from-audit-log" });
    }
  }
  // Segments the audit log knows of but the manifest no longer lists were removed after the fact.
  for (const [trackSeq, record] of audited ?? []) {
    const [track = "", seq = "0"] = trackSeq.split("#");
    problems.push({ track, seq: Number(seq), key: record.key, problem: "missing" });
  }
  return { roomId, ok: problems.length === 0, auditChecked: audited !== null, segments, problems, gaps: manifest.gaps };
}
