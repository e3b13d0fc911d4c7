// The evidence timeline's arithmetic (browser-safe, no I/O): where in a source's continuous
// playback a moment of wall time falls. Playback joins the source's segments end to end
// (decision 035), so the time between two segments (a gap) does not exist in the video: a moment
// in a gap maps to the start of the next segment, and is marked as such.

export interface TimelineSegment {
  /** Wall time the segment began and ended, ms since the epoch. */
  startMs: number;
  endMs: number;
}

export type VideoPosition = { offsetSeconds: number; inGap: boolean } | null;

/** The playback position of `atMs` in the segments (any order); null before the first or after the last. */
export function videoPosition(segments: readonly TimelineSegment[], atMs: number): VideoPosition {
  const sorted = [...segments].sort((a, b) => a.startMs - b.startMs);
  let elapsed = 0;
  for (const s of sorted) {
    if (atMs < s.startMs) return s === sorted[0] ? null : { offsetSeconds: elapsed / 1000, inGap: true };
    if (atMs <= s.endMs) return { offsetSeconds: (elapsed + atMs - s.startMs) / 1000, inGap: false };
    elapsed += s.endMs - s.startMs;
  }
  return null;
}

/** The playback length of the segments, seconds. */
export function playbackSeconds(segments: readonly TimelineSegment[]): number {
  return segments.reduce((sum, s) => sum + (s.endMs - s.startMs), 0) / 1000;
}

/** mm:ss (or h:mm:ss) of a playback offset, for the timeline's labels. */
export function formatOffset(seconds: number): string {
  const whole = Math.max(0, Math.floor(seconds));
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = whole % 60;
  const mmss = `${String(m).padStart(h > 0 ? 2 : 1, "0")}:${String(s).padStart(2, "0")}`;
  return h > 0 ? `${h}:${mmss}` : mmss;
}
