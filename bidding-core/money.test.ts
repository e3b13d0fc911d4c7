import fc from "fast-check";
import { formatYuan, fractionOf, parseSignedYuan, parseYuan, toYuanNumber } from "./money";

describe("money in integer fen (Regs Art 26 caps must be exact)", () => {
  it("Regs Art 26: parses decimal yuan strings into fen", () => {
    expect(parseYuan("1234.56")).toEqual({ ok: true, value: 123456n });
    expect(parseYuan("1234.5")).toEqual({ ok: true, value: 123450n });
    expect(parseYuan(" 7 ")).toEqual({ ok: true, value: 700n });
  });

  it("Regs Art 26: refuses malformed amounts with MONEY.INVALID_AMOUNT", () => {
    for (const text of ["", "-1", "1.234", "1,000", "abc", "1e5"]) {
      const result = parseYuan(text);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.code).toBe("MONEY.INVALID_AMOUNT");
    }
  });

  it("Regs Art 26: formats fen with exactly two decimals and round-trips", () => {
    expect(formatYuan(5n)).toBe("0.05");
    expect(formatYuan(-150n)).toBe("-1.50");
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 16n }), (fen) => {
        const parsed = parseYuan(formatYuan(fen));
        return parsed.ok && parsed.value === fen;
      }),
    );
  });

  it("Regs Art 26: fractionOf rounds down to the fen, so a cap is never exceeded", () => {
    expect(fractionOf(12_345n, 2n, 100n)).toBe(246n);
    expect(toYuanNumber(12_345n)).toBe(123.45);
  });
});

describe("signed yuan (an adjustment may deduct)", () => {
  it("reads an optional minus, refuses what parseYuan refuses", () => {
    expect(parseSignedYuan("-300000.5")).toEqual({ ok: true, value: -30000050n });
    expect(parseSignedYuan(" 12.34 ")).toEqual({ ok: true, value: 1234n });
    expect(parseSignedYuan("0")).toEqual({ ok: true, value: 0n });
    for (const bad of ["--1", "-", "1.234", "+5", "abc", ""]) expect(parseSignedYuan(bad).ok).toBe(false);
  });
});
