import { creditCodeCheckChar, isValidCreditCode } from "./credit-code.ts";

describe("统一社会信用代码 (GB 32100-2015)", () => {
  it("accepts published codes with a correct check character", () => {
    // Codes printed on public business licences.
    expect(isValidCreditCode("91350100M000100Y43")).toBe(true);
    expect(isValidCreditCode("911100001000142840")).toBe(false);
    expect(isValidCreditCode("91110000100014284" + creditCodeCheckChar("91110000100014284"))).toBe(true);
  });

  it("rejects a wrong check character", () => {
    const first17 = "91330200MA2C00001";
    const good = creditCodeCheckChar(first17);
    const bad = good === "0" ? "1" : "0";
    expect(isValidCreditCode(first17 + good)).toBe(true);
    expect(isValidCreditCode(first17 + bad)).toBe(false);
  });

  it("rejects letters outside the alphabet and wrong lengths", () => {
    expect(isValidCreditCode("91330200MA2C0000I1")).toBe(false);
    expect(isValidCreditCode("91330200MA2C0001")).toBe(false);
    expect(() => creditCodeCheckChar("9133020OMA2C00001")).toThrow(RangeError);
  });
});
