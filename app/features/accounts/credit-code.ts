// 统一社会信用代码 (GB 32100-2015): 18 characters from a 31-symbol alphabet; the last one is a
// check character computed from the first 17 with fixed weights, modulo 31.
const ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

export const CREDIT_CODE_FORMAT = /^[0-9A-HJ-NPQRTUWXY]{18}$/;

export function creditCodeCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const value = ALPHABET.indexOf(first17.charAt(i));
    if (value < 0) throw new RangeError(`invalid character at ${i}`);
    sum += value * (WEIGHTS[i] ?? 0);
  }
  return ALPHABET.charAt((31 - (sum % 31)) % 31);
}

export function isValidCreditCode(code: string): boolean {
  return CREDIT_CODE_FORMAT.test(code) && creditCodeCheckChar(code.slice(0, 17)) === code.charAt(17);
}
