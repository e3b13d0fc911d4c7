import { parseBeijingLocal, toBeijingLocal } from "./beijing-time.ts";

describe("Beijing-time form input", () => {
  it("reads a datetime-local value as Asia/Shanghai wall-clock time", () => {
    expect(parseBeijingLocal("2026-12-01T09:30")?.toISOString()).toBe("2026-12-01T01:30:00.000Z");
    expect(parseBeijingLocal("2026-12-01T00:00")?.toISOString()).toBe("2026-11-30T16:00:00.000Z");
    expect(parseBeijingLocal("2026-12-01T09:30:15")?.toISOString()).toBe("2026-12-01T01:30:15.000Z");
  });

  it("refuses malformed or impossible times instead of rolling them over", () => {
    for (const bad of ["", "2026-12-01", "2026-02-30T09:00", "2026-13-01T09:00", "2026-12-01T24:30", "yesterday"]) {
      expect(parseBeijingLocal(bad)).toBeNull();
    }
  });

  it("formats an instant back to the same Beijing wall-clock value", () => {
    expect(toBeijingLocal(new Date("2026-11-30T16:00:00Z"))).toBe("2026-12-01T00:00");
    expect(toBeijingLocal("2026-12-01T01:30:00.000Z")).toBe("2026-12-01T09:30");
    expect(toBeijingLocal(null)).toBe("");
    const t = "2027-01-31T23:59";
    expect(toBeijingLocal(parseBeijingLocal(t))).toBe(t);
  });
});
