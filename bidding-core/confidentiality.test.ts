import { committeeListDisclosable, potentialBiddersDisclosable } from "./confidentiality";

describe("confidentiality", () => {
  it("TBL Art 22: potential bidders stay secret until the bid deadline (opening)", () => {
    const deadline = new Date("2025-03-22T01:30:00Z");
    expect(potentialBiddersDisclosable(new Date("2025-03-22T01:29:59Z"), deadline)).toBe(false);
    expect(potentialBiddersDisclosable(deadline, deadline)).toBe(true);
  });

  it("TBL Art 37: the committee list stays secret until the candidates are published (the result fixed)", () => {
    expect(committeeListDisclosable("opened")).toBe(false);
    expect(committeeListDisclosable("evaluating")).toBe(false);
    expect(committeeListDisclosable("publicity")).toBe(true);
    expect(committeeListDisclosable("awarded")).toBe(true);
  });

  it("TBL Art 37: a suspension keeps the list as its stage had it", () => {
    expect(committeeListDisclosable("suspended", "publicity")).toBe(true);
    expect(committeeListDisclosable("suspended", "published")).toBe(false);
    expect(committeeListDisclosable("suspended")).toBe(false);
  });
});
