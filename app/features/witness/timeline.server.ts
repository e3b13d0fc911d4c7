// The evidence timeline (证据时间轴) of a tender's recording: every audit entry of the tender
// whose time falls within the recording, placed on each source's playback. Generic over audit
// subjects: an entry belongs to the tender when its subject is the tender (any subject type) or
// its data names the tender (`data.tenderId`, as bids and the evaluation session's events do).
// The segments' times come from this platform's own audit log, the same records playback is
// verified against.
import { SEGMENT_CLOSED, roomSubject } from "../../../media-server/recording/manifest.ts";
import { db } from "../../platform/db.server.ts";
import { roomIdOf } from "./witness.server.ts";
import type { TimelineSegment } from "./timeline.ts";

/** At most this many entries are shown; a longer evaluation shows its first ones and says so. */
export const TIMELINE_LIMIT = 2_000;

export interface TimelineEntry {
  seq: string;
  at: string;
  action: string;
  subjectType: string;
  actor: string | null;
}

export interface EvidenceTimeline {
  /** Per source (device or ingest), the segments of the track playback follows (video, else audio). */
  sources: Record<string, TimelineSegment[]>;
  entries: TimelineEntry[];
  truncated: boolean;
}

function sourceOf(track: string): { source: string; kind: string } {
  const m = /^(.*)-(video|audio)$/.exec(track);
  return m ? { source: m[1]!, kind: m[2]! } : { source: track, kind: "video" };
}

async function recordedSegments(tenderId: string): Promise<Record<string, TimelineSegment[]>> {
  const subject = roomSubject(roomIdOf(tenderId));
  const split = subject.indexOf(":");
  const rows = await db().auditEntry.findMany({
    where: { action: SEGMENT_CLOSED, subjectType: subject.slice(0, split), subjectId: subject.slice(split + 1) },
    orderBy: { seq: "asc" },
    select: { data: true },
  });
  const byTrack = new Map<string, { source: string; kind: string; segments: TimelineSegment[] }>();
  for (const row of rows) {
    const data = (row.data ?? {}) as { track?: unknown; startedAt?: unknown; endedAt?: unknown };
    if (typeof data.track !== "string" || typeof data.startedAt !== "string" || typeof data.endedAt !== "string") continue;
    const startMs = Date.parse(data.startedAt);
    const endMs = Date.parse(data.endedAt);
    if (!Number.isFinite(startMs) || !Number.isFinite(endMs) || endMs < startMs) continue;
    const entry = byTrack.get(data.track) ?? { ...sourceOf(data.track), segments: [] };
    entry.segments.push({ startMs, endMs });
    byTrack.set(data.track, entry);
  }
  const sources: Record<string, TimelineSegment[]> = {};
  for (const t of byTrack.values()) {
    // The video track decides the playback's timeline; audio only where a source has no video.
    if (t.kind === "video" || !sources[t.source]) sources[t.source] = t.segments;
  }
  return sources;
}

export async function evidenceTimeline(tenderId: string): Promise<EvidenceTimeline> {
  const sources = await recordedSegments(tenderId);
  const all = Object.values(sources).flat();
  if (all.length === 0) return { sources, entries: [], truncated: false };
  const from = new Date(Math.min(...all.map((s) => s.startMs)));
  const to = new Date(Math.max(...all.map((s) => s.endMs)));
  const rows = await db().auditEntry.findMany({
    where: { at: { gte: from, lte: to }, OR: [{ subjectId: tenderId }, { data: { path: ["tenderId"], equals: tenderId } }] },
    orderBy: { seq: "asc" },
    take: TIMELINE_LIMIT + 1,
    select: { seq: true, at: true, action: true, subjectType: true, actorId: true },
  });
  const actorIds = [...new Set(rows.map((r) => r.actorId).filter((id): id is string => id !== null))];
  const actors = actorIds.length
    ? await db().user.findMany({
        where: { id: { in: actorIds.filter((id) => /^[0-9a-f-]{36}$/i.test(id)) } },
        select: { id: true, name: true },
      })
    : [];
  const names = new Map(actors.map((a) => [a.id, a.name]));
  return {
    sources,
    truncated: rows.length > TIMELINE_LIMIT,
    entries: rows.slice(0, TIMELINE_LIMIT).map((r) => ({
      seq: r.seq.toString(),
      at: r.at.toISOString(),
      action: r.action,
      subjectType: r.subjectType,
      actor: r.actorId ? (names.get(r.actorId) ?? r.actorId) : null,
    })),
  };
}
