// The per-room recording manifest (`<roomId>/manifest.json`): what was recorded, in which
// segments, with which hashes, and every gap. The audit log holds the same segment records,
// so a manifest edited after the fact is caught by verification (recording/verify.ts).
import { z } from "zod";

export const segmentSchema = z.object({
  seq: z.number().int().positive(),
  key: z.string(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  bytes: z.number().int().nonnegative(),
  startedAt: z.string(),
  endedAt: z.string(),
  producerId: z.string(),
});

export const gapSchema = z.object({
  track: z.string(),
  from: z.string(),
  to: z.string().nullable(),
  reason: z.enum(["recorder-died", "worker-died", "producer-closed"]),
  detail: z.string().optional(),
});

export const trackSchema = z.object({
  kind: z.enum(["audio", "video"]),
  codec: z.string(),
  container: z.enum(["webm", "mkv"]),
  source: z.string(),
  segments: z.array(segmentSchema),
});

export const manifestSchema = z.object({
  version: z.literal(1),
  roomId: z.string(),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  segmentSeconds: z.number(),
  tracks: z.record(trackSchema),
  gaps: z.array(gapSchema),
});

export type RecordingSegment = z.infer<typeof segmentSchema>;
export type RecordingGap = z.infer<typeof gapSchema>;
export type RecordingTrack = z.infer<typeof trackSchema>;
export type RecordingManifest = z.infer<typeof manifestSchema>;

export const manifestKey = (roomId: string): string => `${roomId}/manifest.json`;

export const SEGMENT_CLOSED = "witness.segment.closed";
export const RECORDING_GAP = "witness.recording.gap";
export const RECORDING_STARTED = "witness.recording.started";
export const RECORDING_ENDED = "witness.recording.ended";

export const roomSubject = (roomId: string): string => `witness-room:${roomId}`;
