import { randomBytes } from "node:crypto";
import { creditCodeCheckChar } from "~/features/accounts/credit-code.ts";

const ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/** A random, checksum-valid 统一社会信用代码 so parallel runs never collide. */
export function randomCreditCode(): string {
  const bytes = randomBytes(9);
  let body = "9133";
  for (const b of bytes) body += ALPHABET[b % ALPHABET.length];
  body = (body + "0000").slice(0, 17);
  return body + creditCodeCheckChar(body);
}

export function uniqueEmail(prefix: string): string {
  return `${prefix}-${randomBytes(5).toString("hex")}@test.mingbiao.cn`;
}
