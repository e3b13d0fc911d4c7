import { CryptoErrorCode, fail } from "../errors.ts";

/** Hand-written checks: crypto/ stays free of app dependencies such as zod. */
export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function requireString(obj: Record<string, unknown>, key: string, where: string): string {
  const v = obj[key];
  if (typeof v !== "string" || v.length === 0)
    fail(CryptoErrorCode.MALFORMED, `The ${where} field "${key}" must be a non-empty string.`);
  return v;
}

export function requireInt(obj: Record<string, unknown>, key: string, where: string): number {
  const v = obj[key];
  if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 0)
    fail(CryptoErrorCode.MALFORMED, `The ${where} field "${key}" must be a non-negative integer.`);
  return v;
}

export function isHex(v: string, length: number): boolean {
  return v.length === length && /^[0-9a-f]*$/.test(v);
}
