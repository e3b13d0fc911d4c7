import { formatCny, formatDateTime } from "./format.ts";

describe("formatting", () => {
  it("formats 分 as yuan exactly, even beyond floating-point precision", () => {
    expect(formatCny("12860000000", "zh-CN")).toBe("¥128,600,000.00");
    expect(formatCny(900719925474099399n, "en")).toBe("¥9,007,199,254,740,993.99");
    expect(formatCny("-5", "zh-CN")).toBe("-¥0.05");
  });

  it("shows times in Beijing time whatever the machine's zone", () => {
    expect(formatDateTime("2026-11-21T16:30:00.000Z", "en")).toBe("22/11/2026, 00:30");
    expect(formatDateTime(null, "zh-CN")).toBe("—");
  });
});
