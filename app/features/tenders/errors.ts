import type { DomainError } from "../../../bidding-core/index";
import { lawMessage, type FieldMessage } from "./form.ts";

/**
 * bidding-core error codes → messages in the `tender` namespace (`errors.<CODE>`), with the
 * article passed as a parameter so every refusal cites the law. errors.test.ts checks
 * that every code has a message in both languages.
 */
export function domainErrorMessage(error: DomainError): FieldMessage {
  return lawMessage(error);
}

export type AgentErrorLike =
  | { kind: "law"; error: DomainError }
  | { kind: "app"; key: string; params?: Record<string, string | number> };

export function agentErrorMessage(error: AgentErrorLike): FieldMessage {
  return error.kind === "law" ? domainErrorMessage(error.error) : { key: error.key, ...(error.params ? { params: error.params } : {}) };
}

const LAWS_ZH: Record<string, string> = {
  TBL: "《招标投标法》",
  Regs: "《招标投标法实施条例》",
  "E-Measures": "《电子招标投标办法》",
  "Eval-Rules": "《评标委员会和评标方法暂行规定》",
  "Civil Code": "《民法典》",
};
const DIGITS = "零一二三四五六七八九";

/** 1–99 in Chinese numerals (二十四, 十六, 五十三). */
export function chineseNumber(n: number): string {
  if (n < 10) return DIGITS[n]!;
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  return `${tens === 1 ? "" : DIGITS[tens]}十${ones ? DIGITS[ones] : ""}`;
}

function romanToNumber(roman: string): number {
  const values: Record<string, number> = { I: 1, V: 5, X: 10 };
  let total = 0;
  for (let i = 0; i < roman.length; i++) {
    const v = values[roman[i]!] ?? 0;
    const next = values[roman[i + 1] ?? ""] ?? 0;
    total += v < next ? -v : v;
  }
  return total;
}

/**
 * bidding-core cites articles in a stable English short form ("TBL Art 24", "Regs Arts 16, 21");
 * the Chinese UI shows them as 《招标投标法》第二十四条.
 */
export function citeArticle(article: string, locale: string): string {
  if (locale !== "zh-CN") return article;
  return article
    .split(" / ")
    .map((part) => {
      const m = /^(TBL|Regs|E-Measures|Eval-Rules|Civil Code) (Arts?|Chs\.) (.+)$/.exec(part);
      if (!m) return part;
      const [, law, unit, rest] = m as unknown as [string, string, string, string];
      if (unit === "Chs.") {
        const [from, to] = rest.split(/\s*[-–]\s*/).map(romanToNumber);
        return `${LAWS_ZH[law]}第${chineseNumber(from ?? 0)}章至第${chineseNumber(to ?? 0)}章`;
      }
      const numbers = rest.split(/\s*,\s*/).map((r) => r.split(/\s*[-–]\s*/).map((x) => chineseNumber(Number(x))).join("至"));
      return `${LAWS_ZH[law]}第${numbers.join("、")}条`;
    })
    .join("、");
}

/** Renders a field message, citing the article in the reader's language. */
export function renderMessage(t: (key: string, params?: Record<string, unknown>) => string, locale: string, message: FieldMessage): string {
  const params: Record<string, unknown> = { ...(message.params ?? {}) };
  if (typeof params.article === "string") params.article = citeArticle(params.article, locale);
  return t(message.key, params);
}
