import { committeeListDisclosable, potentialBiddersDisclosable } from "./confidentiality";

describe("confidentiality", () => {
  it("TBL Art 22: potential bidders stay secret until the bid deadline (opening)", () => {
    const deadline = new Date("2025-03-22T01:30:00Z");
    expect(potentialBiddersDisclosable(new Date("2025-03-22T01:29:59Z"), deadline)).toBe(false);
    expect(potentialBiddersDisclosable(deadline, deadline)).toBe(true);
  });

  it("TBL Art 37: the committee list stays secret until the award", () => {
    expect(committeeListDisclosable("publicity")).toBe(false);
    expect(committeeListDisclosable("evaluating")).toBe(false);
    expect(committeeListDisclosable("awarded")).toBe(true);
  });
});
