import { afterEach, describe, expect, it } from "vitest";
import { now, nowMs, resetClockForTests, setClockForTests } from "./clock.server";

describe("the server clock", () => {
  afterEach(() => resetClockForTests());

  it("follows the system clock by default", () => {
    const before = Date.now();
    const t = nowMs();
    const after = Date.now();
    expect(t).toBeGreaterThanOrEqual(before);
    expect(t).toBeLessThanOrEqual(after);
    expect(now()).toBeInstanceOf(Date);
  });

  it("can be fixed by a test and put back", () => {
    setClockForTests(new Date("2030-01-02T03:04:05Z"));
    expect(now().toISOString()).toBe("2030-01-02T03:04:05.000Z");
    expect(nowMs()).toBe(Date.parse("2030-01-02T03:04:05Z"));
    resetClockForTests();
    expect(Math.abs(nowMs() - Date.now())).toBeLessThan(1000);
  });

  it("refuses to move in production", () => {
    const saved = process.env.NODE_ENV;
    process.env.NODE_ENV = "production";
    try {
      expect(() => setClockForTests(0)).toThrow(/production/);
    } finally {
      process.env.NODE_ENV = saved;
    }
  });
});
