import { CryptoErrorCode, fail } from "../errors.ts";

/**
 * Shamir secret sharing over GF(2^8) with the AES polynomial x^8+x^4+x^3+x+1, byte by byte.
 * Small enough to review in one sitting; integrity of shares is checked one level up (escrow.ts),
 * because Shamir alone turns a wrong share into a wrong secret without noticing.
 */
const EXP = new Uint8Array(510);
const LOG = new Uint8Array(256);

(function buildTables() {
  let x = 1;
  for (let i = 0; i < 255; i++) {
    EXP[i] = x;
    LOG[x] = i;
    x ^= (x << 1) ^ (x & 0x80 ? 0x11b : 0); // multiply by the generator 3
    x &= 0xff;
  }
  for (let i = 255; i < 510; i++) EXP[i] = EXP[i - 255] as number;
})();

export function gfMul(a: number, b: number): number {
  if (a === 0 || b === 0) return 0;
  return EXP[(LOG[a] as number) + (LOG[b] as number)] as number;
}

export function gfDiv(a: number, b: number): number {
  if (b === 0) throw new RangeError("division by zero in GF(256)");
  if (a === 0) return 0;
  return EXP[(LOG[a] as number) + 255 - (LOG[b] as number)] as number;
}

export interface Share {
  /** The evaluation point, 1..255. */
  x: number;
  y: Uint8Array;
}

/** Split `secret` into n shares, any k of which recover it. `random(len)` must be a CSPRNG. */
export function split(secret: Uint8Array, n: number, k: number, random: (length: number) => Uint8Array): Share[] {
  if (!Number.isInteger(k) || !Number.isInteger(n) || k < 2 || n < k || n > 255) {
    fail(CryptoErrorCode.BAD_INPUT, `A k-of-n split needs 2 <= k <= n <= 255 (got k=${k}, n=${n}).`);
  }
  const coefficients = random(secret.length * (k - 1));
  const shares: Share[] = Array.from({ length: n }, (_, i) => ({ x: i + 1, y: new Uint8Array(secret.length) }));
  for (let byte = 0; byte < secret.length; byte++) {
    for (const share of shares) {
      // Horner: a_{k-1} x^{k-1} + ... + a_1 x + secret
      let acc = 0;
      for (let c = k - 2; c >= 0; c--) acc = gfMul(acc ^ (coefficients[byte * (k - 1) + c] as number), share.x);
      share.y[byte] = acc ^ (secret[byte] as number);
    }
  }
  return shares;
}

/** Lagrange interpolation at x = 0. */
export function combine(shares: readonly Share[]): Uint8Array {
  const xs = shares.map((s) => s.x);
  if (new Set(xs).size !== xs.length || xs.some((x) => x < 1 || x > 255))
    fail(CryptoErrorCode.SHARE_INVALID, "Shares must have distinct indexes 1..255.");
  const length = shares[0]?.y.length ?? 0;
  if (shares.some((s) => s.y.length !== length))
    fail(CryptoErrorCode.SHARE_INVALID, "Shares have different lengths: one of them is damaged.");
  const out = new Uint8Array(length);
  shares.forEach((si, i) => {
    let basis = 1;
    shares.forEach((sj, j) => {
      if (i !== j) basis = gfMul(basis, gfDiv(sj.x, sj.x ^ si.x));
    });
    for (let b = 0; b < length; b++) out[b] = (out[b] as number) ^ gfMul(si.y[b] as number, basis);
  });
  return out;
}
