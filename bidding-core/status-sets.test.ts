import { checkBenchmark, MAX_COEFFICIENT_PERMILLE } from "./evaluation/price-score";
import {
  BIDDING_OPEN_STATUSES,
  bidValidUntil,
  DAY_MS,
  OPENING_HALL_STATUSES,
  PUBLIC_STATUSES,
  statusIn,
  SUPERVISED_STATUSES,
  WITNESS_ROOM_STATUSES,
} from "./status-sets";

describe("status lists, day counts and caps, one home each", () => {
  it("Regs Art 36 / TBL Art 29: bids are taken only while bidding is open (published, clarification)", () => {
    expect([...BIDDING_OPEN_STATUSES]).toEqual(["published", "clarification"]);
    expect(statusIn("bidding-closed", BIDDING_OPEN_STATUSES)).toBe(false);
  });

  it("public, supervised and witnessed tenders: never a draft; supervision not for a cancelled one; the room only until decided", () => {
    expect(statusIn("draft", PUBLIC_STATUSES)).toBe(false);
    expect(statusIn("cancelled", PUBLIC_STATUSES)).toBe(true);
    expect(SUPERVISED_STATUSES).not.toContain("cancelled");
    expect(SUPERVISED_STATUSES).not.toContain("draft");
    for (const s of WITNESS_ROOM_STATUSES) expect(statusIn(s, PUBLIC_STATUSES)).toBe(true);
    for (const s of ["failed", "awarded", "suspended", "cancelled", "retendered"] as const)
      expect(statusIn(s, WITNESS_ROOM_STATUSES)).toBe(false);
    for (const s of BIDDING_OPEN_STATUSES) expect(statusIn(s, WITNESS_ROOM_STATUSES)).toBe(true);
  });

  it("Regs Art 25: the bid validity runs from the bid deadline for the stated days", () => {
    const deadline = new Date("2025-03-20T01:30:00.000Z");
    expect(bidValidUntil(deadline, 90).toISOString()).toBe("2025-06-18T01:30:00.000Z");
    expect(bidValidUntil(deadline, 1).getTime() - deadline.getTime()).toBe(DAY_MS);
  });

  it("Eval-Rules Art 35: a benchmark coefficient is a whole number of ‰ in (0, 1.2]", () => {
    expect(checkBenchmark({ kind: "average", coefficientPermille: MAX_COEFFICIENT_PERMILLE }).ok).toBe(true);
    expect(checkBenchmark({ kind: "average", coefficientPermille: 950 }).ok).toBe(true);
    for (const bad of [0, -5, 1201, 950.5]) {
      expect(checkBenchmark({ kind: "average", coefficientPermille: bad })).toMatchObject({
        ok: false,
        error: { code: "EVALUATION.INVALID_CONFIG", article: "Eval-Rules Art 35" },
      });
    }
    expect(checkBenchmark({ kind: "lowest" }).ok).toBe(true);
  });

  it("TBL Art 34: the opening hall is reached from the bid deadline on, its record also after 流标; never while bidding is open", () => {
    expect(statusIn("bidding-closed", OPENING_HALL_STATUSES)).toBe(true);
    expect(statusIn("failed", OPENING_HALL_STATUSES)).toBe(true);
    for (const s of BIDDING_OPEN_STATUSES) expect(statusIn(s, OPENING_HALL_STATUSES)).toBe(false);
    expect(statusIn("draft", OPENING_HALL_STATUSES)).toBe(false);
  });
});
