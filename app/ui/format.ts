import type { Locale } from "./i18n.ts";

/** Formats an amount in 分 (integer string or bigint) as yuan, without floating-point rounding. */
export function formatCny(cents: string | bigint, locale: Locale): string {
  const value = BigInt(cents);
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const yuan = new Intl.NumberFormat(locale === "en" ? "en-US" : "zh-CN").format(abs / 100n);
  const fen = (abs % 100n).toString().padStart(2, "0");
  return `${negative ? "-" : ""}¥${yuan}.${fen}`;
}

/** Dates are shown in Beijing time whatever the viewer's machine says. */
export function formatDateTime(iso: string | null | undefined, locale: Locale): string {
  if (!iso) return "—";
  return new Intl.DateTimeFormat(locale === "en" ? "en-GB" : "zh-CN", {
    timeZone: "Asia/Shanghai",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hour12: false,
  }).format(new Date(iso));
}
