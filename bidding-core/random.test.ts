import { createHash } from "node:crypto";
import fc from "fast-check";
import { fromHex, randomBelow, seededRandom, sha256, shuffle, toHex, utf8, type RandomSource } from "./random";

const nodeSha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

describe("SHA-256 (FIPS 180-4), used for the Regs Art 46 draw commitment", () => {
  it.each([
    ["", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"],
    ["abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"],
    [
      "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
    ],
  ])("Regs Art 46: matches the NIST vector for %j", (message, digest) => {
    expect(toHex(sha256(utf8(message)))).toBe(digest);
  });

  it("Regs Art 46: matches the NIST vector for one million 'a'", () => {
    const digest = toHex(sha256(new Uint8Array(1_000_000).fill(0x61)));
    expect(digest).toBe("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  });

  it("Regs Art 46: agrees with node:crypto on arbitrary input, including block-boundary lengths", () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => toHex(sha256(bytes)) === nodeSha256(bytes)));
    for (const length of [55, 56, 63, 64, 65, 119, 120]) {
      const bytes = new Uint8Array(length).fill(7);
      expect(toHex(sha256(bytes))).toBe(nodeSha256(bytes));
    }
  });
});

describe("hex", () => {
  it("Regs Art 46: hex round-trips bytes", () => {
    fc.assert(fc.property(fc.uint8Array(), (bytes) => toHex(fromHex(toHex(bytes))!) === toHex(bytes)));
  });

  it("Regs Art 46: hex refuses odd length and non-hex characters", () => {
    expect(fromHex("abc")).toBeUndefined();
    expect(fromHex("zz")).toBeUndefined();
    expect(fromHex("ABcd")).toEqual(new Uint8Array([0xab, 0xcd]));
  });
});

describe("SHA-256 counter-mode PRNG (Regs Art 46: a draw anyone can re-run)", () => {
  it("Regs Art 46: block k is SHA-256(seed ‖ uint32_be(k)), read as big-endian words", () => {
    const seed = utf8("seed");
    const source = seededRandom(seed);
    const words = Array.from({ length: 9 }, () => source.nextUint32());
    const block = (k: number) => {
      const input = Buffer.concat([Buffer.from(seed), Buffer.from([0, 0, 0, k])]);
      return createHash("sha256").update(input).digest();
    };
    expect(words[0]).toBe(block(0).readUInt32BE(0));
    expect(words[7]).toBe(block(0).readUInt32BE(28));
    expect(words[8]).toBe(block(1).readUInt32BE(0));
  });

  it("Regs Art 46: the same seed gives the same stream", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 40 }), (seed) => {
        const a = seededRandom(seed);
        const b = seededRandom(seed);
        return Array.from({ length: 20 }, () => a.nextUint32() === b.nextUint32()).every(Boolean);
      }),
    );
  });

  it("Regs Art 46: randomBelow stays in range and rejects values that would bias the modulo", () => {
    const values = [0xffffffff, 5];
    const source: RandomSource = { nextUint32: () => values.shift()! };
    // 2^32 mod 3 = 1, so 0xffffffff is outside the unbiased range and is skipped.
    expect(randomBelow(source, 3)).toBe(2);
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1 }), fc.integer({ min: 1, max: 1000 }), (seed, bound) => {
        const r = randomBelow(seededRandom(seed), bound);
        return r >= 0 && r < bound && Number.isInteger(r);
      }),
    );
  });

  it("Regs Art 46: randomBelow refuses a bound outside [1, 2^32]", () => {
    expect(() => randomBelow(seededRandom(utf8("x")), 0)).toThrow(RangeError);
    expect(() => randomBelow(seededRandom(utf8("x")), 1.5)).toThrow(RangeError);
  });

  it("Regs Art 46: shuffle returns a permutation and leaves its input alone", () => {
    fc.assert(
      fc.property(fc.array(fc.integer()), fc.uint8Array({ minLength: 1 }), (items, seed) => {
        const copy = [...items];
        const shuffled = shuffle(items, seededRandom(seed));
        expect(items).toEqual(copy);
        expect([...shuffled].sort()).toEqual([...items].sort());
      }),
    );
  });
});
