import fc from "fast-check";
import { randomBytes } from "../bytes.ts";
import { combine, gfDiv, gfMul, split } from "./shamir.ts";

describe("Shamir over GF(256)", () => {
  it("multiplication matches the AES field (FIPS-197 example 0x57 · 0x83 = 0xc1) and division inverts it", () => {
    expect(gfMul(0x57, 0x83)).toBe(0xc1);
    for (let a = 1; a < 256; a++) expect(gfMul(gfDiv(1, a), a)).toBe(1);
  });

  it("any k of n shares recover the secret; k-1 shares do not determine it", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 64 }),
        fc.integer({ min: 2, max: 6 }),
        fc.integer({ min: 0, max: 4 }),
        (secret, k, extra) => {
          const shares = split(secret, k + extra, k, randomBytes);
          expect(combine(shares.slice(extra))).toEqual(secret);
          expect(combine(shares.slice(0, k))).toEqual(secret);
          const fewer = combine(shares.slice(0, k - 1));
          if (secret.length >= 16) expect(fewer).not.toEqual(secret);
        },
      ),
      { numRuns: 60 },
    );
  });

  it("rejects bad parameters and duplicate shares", () => {
    expect(() => split(new Uint8Array(4), 3, 1, randomBytes)).toThrow(/k-of-n/);
    expect(() => split(new Uint8Array(4), 2, 3, randomBytes)).toThrow(/k-of-n/);
    const shares = split(new Uint8Array([1, 2, 3]), 3, 2, randomBytes);
    expect(() => combine([shares[0]!, shares[0]!])).toThrow(/distinct/);
  });
});
