// Keeps a room's manifest on storage and mirrors every record to the audit sink. Writes are
// serialised so concurrent recorders never overwrite each other's entries.
import type { AuditSink } from "../audit/audit-sink.ts";
import type { RecordingStorage } from "../storage/recording-storage.ts";
import {
  manifestKey,
  manifestSchema,
  RECORDING_ENDED,
  RECORDING_GAP,
  RECORDING_STARTED,
  roomSubject,
  SEGMENT_CLOSED,
  type RecordingGap,
  type RecordingManifest,
  type RecordingSegment,
  type RecordingTrack,
} from "./manifest.ts";

export class RecordingLog {
  private chain: Promise<unknown> = Promise.resolve();

  private constructor(
    private manifest: RecordingManifest,
    private readonly storage: RecordingStorage,
    private readonly audit: AuditSink,
  ) {}

  /** Opens the room's manifest, continuing it if the room is recreated with the same id. */
  static async open(roomId: string, segmentSeconds: number, storage: RecordingStorage, audit: AuditSink): Promise<RecordingLog> {
    const text = await storage.readText(manifestKey(roomId));
    const existing = text ? manifestSchema.parse(JSON.parse(text)) : null;
    const manifest: RecordingManifest = existing
      ? { ...existing, endedAt: null }
      : { version: 1, roomId, startedAt: new Date().toISOString(), endedAt: null, segmentSeconds, tracks: {}, gaps: [] };
    const log = new RecordingLog(manifest, storage, audit);
    await log.mutate(() => undefined, {
      action: RECORDING_STARTED,
      data: { roomId, segmentSeconds, resumed: existing !== null },
    });
    return log;
  }

  get roomId(): string {
    return this.manifest.roomId;
  }

  snapshot(): RecordingManifest {
    return structuredClone(this.manifest);
  }

  private readonly reserved = new Map<string, number>();

  /** The next sequence number of a track: numbering never restarts, even across recorder restarts. */
  nextSeq(track: string): number {
    const segments = this.manifest.tracks[track]?.segments ?? [];
    return Math.max(segments.at(-1)?.seq ?? 0, this.reserved.get(track) ?? 0) + 1;
  }

  /** Takes the next sequence number for a segment about to be recorded. */
  reserveSeq(track: string): number {
    const seq = this.nextSeq(track);
    this.reserved.set(track, seq);
    return seq;
  }

  lastEndedAt(track: string): string | null {
    return this.manifest.tracks[track]?.segments.at(-1)?.endedAt ?? null;
  }

  ensureTrack(track: string, info: Omit<RecordingTrack, "segments">): Promise<void> {
    return this.mutate((m) => {
      m.tracks[track] ??= { ...info, segments: [] };
    });
  }

  addSegment(track: string, segment: RecordingSegment): Promise<void> {
    return this.mutate(
      (m) => {
        const entry = m.tracks[track];
        if (!entry) throw new Error(`unknown track ${track}`);
        entry.segments.push(segment);
      },
      { action: SEGMENT_CLOSED, data: { roomId: this.roomId, track, ...segment } },
    );
  }

  addGap(gap: RecordingGap): Promise<void> {
    return this.mutate((m) => void m.gaps.push(gap), { action: RECORDING_GAP, data: { roomId: this.roomId, ...gap } });
  }

  /** Fills the end of every gap of a track that is still open. */
  closeGaps(track: string, at: string): Promise<void> {
    return this.mutate(
      (m) => {
        for (const gap of m.gaps) if (gap.track === track && gap.to === null) gap.to = at;
      },
      { action: RECORDING_GAP, data: { roomId: this.roomId, track, closedAt: at } },
    );
  }

  hasOpenGap(track: string): boolean {
    return this.manifest.gaps.some((g) => g.track === track && g.to === null);
  }

  end(): Promise<void> {
    const endedAt = new Date().toISOString();
    return this.mutate((m) => void (m.endedAt = endedAt), { action: RECORDING_ENDED, data: { roomId: this.roomId, endedAt } });
  }

  private mutate(
    change: (m: RecordingManifest) => void,
    audit?: { action: string; data: Record<string, unknown> },
  ): Promise<void> {
    const next = this.chain.then(async () => {
      change(this.manifest);
      await this.storage.writeText(manifestKey(this.roomId), JSON.stringify(this.manifest, null, 2));
      if (audit) await this.audit.append({ action: audit.action, subject: roomSubject(this.roomId), data: audit.data });
    });
    this.chain = next.catch(() => undefined);
    return next;
  }
}
