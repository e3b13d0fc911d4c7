/**
 * Dates on the tender forms are entered as Beijing time (Asia/Shanghai, UTC+8 all year, no
 * daylight saving) whatever the agent's computer says: an `<input type="datetime-local">`
 * value is read as Shanghai wall-clock time (docs/decisions/041).
 */

const SHANGHAI_OFFSET_MS = 8 * 3600 * 1000;
const LOCAL_PATTERN = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

/** "2026-12-01T09:30" (Beijing) → the instant, or null when the text is not a real time. */
export function parseBeijingLocal(text: string): Date | null {
  const m = LOCAL_PATTERN.exec(text.trim());
  if (!m) return null;
  const [year, month, day, hour, minute, second] = m.slice(1).map((v) => Number(v ?? "0")) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const utc = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(utc);
  // Date.UTC rolls 2026-02-30 over to March; a rolled-over date is not what was typed.
  if (
    check.getUTCFullYear() !== year ||
    check.getUTCMonth() !== month - 1 ||
    check.getUTCDate() !== day ||
    check.getUTCHours() !== hour ||
    check.getUTCMinutes() !== minute
  ) {
    return null;
  }
  return new Date(utc - SHANGHAI_OFFSET_MS);
}

/** The instant as a `datetime-local` value in Beijing time ("2026-12-01T09:30"). */
export function toBeijingLocal(instant: Date | string | null | undefined): string {
  if (!instant) return "";
  const d = new Date(new Date(instant).getTime() + SHANGHAI_OFFSET_MS);
  if (Number.isNaN(d.getTime())) return "";
  return d.toISOString().slice(0, 16);
}
