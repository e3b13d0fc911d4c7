/**
 * Scores are JavaScript numbers, rounded explicitly: every published score is rounded to
 * SCORE_DECIMALS places, half away from zero (四舍五入), after removing binary floating-point
 * noise (1.005 rounds to 1.01, not 1.00). See docs/decisions/024.
 */
export const SCORE_DECIMALS = 2;

export function roundHalfUp(value: number, decimals: number = SCORE_DECIMALS): number {
  if (!Number.isFinite(value)) throw new RangeError(`cannot round ${value}`);
  const sign = value < 0 ? -1 : 1;
  // 15 significant digits is what a double holds reliably; this drops the noise before shifting.
  const [mantissa, exponent] = Math.abs(value).toExponential(14).split("e") as [string, string];
  const shifted = Number(`${mantissa}e${Number(exponent) + decimals}`);
  const rounded = Math.round(shifted);
  return sign * Number(`${rounded}e-${decimals}`) || 0;
}
