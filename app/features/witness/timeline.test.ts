import { formatOffset, playbackSeconds, videoPosition } from "./timeline.ts";

// Two segments of 5 s with a 10 s gap between them (a recorder restart).
const base = 1_800_000_000_000;
const segments = [
  { startMs: base + 15_000, endMs: base + 20_000 },
  { startMs: base, endMs: base + 5_000 },
];

describe("evidence timeline positions", () => {
  it("maps a moment inside a segment to its offset in the joined playback", () => {
    expect(videoPosition(segments, base)).toEqual({ offsetSeconds: 0, inGap: false });
    expect(videoPosition(segments, base + 2_500)).toEqual({ offsetSeconds: 2.5, inGap: false });
    // The gap does not exist in the video: the second segment starts at 5 s.
    expect(videoPosition(segments, base + 16_000)).toEqual({ offsetSeconds: 6, inGap: false });
    expect(videoPosition(segments, base + 20_000)).toEqual({ offsetSeconds: 10, inGap: false });
  });

  it("a moment in a gap goes to the next segment's start and says so; outside the recording there is no position", () => {
    expect(videoPosition(segments, base + 9_000)).toEqual({ offsetSeconds: 5, inGap: true });
    expect(videoPosition(segments, base - 1)).toBeNull();
    expect(videoPosition(segments, base + 20_001)).toBeNull();
    expect(videoPosition([], base)).toBeNull();
  });

  it("measures the playback and labels offsets", () => {
    expect(playbackSeconds(segments)).toBe(10);
    expect(formatOffset(0)).toBe("0:00");
    expect(formatOffset(65.9)).toBe("1:05");
    expect(formatOffset(3725)).toBe("1:02:05");
  });
});
