import { err, ok, type Result } from "./errors";

/**
 * Money is an integer number of fen (分, 0.01 yuan) held in a bigint. Floating point would turn
 * "2% of the estimate" into an off-by-one-fen dispute; bigint keeps every comparison exact and
 * has no 2^53 ceiling for large works contracts.
 */
export type Fen = bigint;

const YUAN_PATTERN = /^(\d{1,15})(?:\.(\d{1,2}))?$/;

/** Parses a non-negative decimal yuan string ("1234.5", "1234.56") into fen. */
export function parseYuan(text: string): Result<Fen> {
  const match = YUAN_PATTERN.exec(text.trim());
  if (!match) return err("MONEY.INVALID_AMOUNT", { text });
  const whole = BigInt(match[1] ?? "0");
  const fraction = BigInt((match[2] ?? "").padEnd(2, "0"));
  return ok(whole * 100n + fraction);
}

/** A signed yuan amount (an adjustment may deduct): an optional leading minus, then as `parseYuan`. */
export function parseSignedYuan(text: string): Result<Fen> {
  const t = text.trim();
  const negative = t.startsWith("-");
  const parsed = parseYuan(negative ? t.slice(1) : t);
  if (!parsed.ok) return err("MONEY.INVALID_AMOUNT", { text });
  return ok(negative ? -parsed.value : parsed.value);
}

/** Formats fen as a decimal yuan string with exactly two decimals. */
export function formatYuan(amount: Fen): string {
  const sign = amount < 0n ? "-" : "";
  const abs = amount < 0n ? -amount : amount;
  const fraction = (abs % 100n).toString().padStart(2, "0");
  return `${sign}${abs / 100n}.${fraction}`;
}

/**
 * `amount × numerator / denominator`, rounded down to the fen. Rounding down is the safe side
 * for caps (a cap of 2% may never be exceeded by rounding).
 */
export function fractionOf(amount: Fen, numerator: bigint, denominator: bigint): Fen {
  return (amount * numerator) / denominator;
}

/** Converts fen to a JavaScript number of yuan, only for scoring ratios (never for storage). */
export function toYuanNumber(amount: Fen): number {
  return Number(amount) / 100;
}
