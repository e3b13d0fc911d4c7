import type { DomainError } from "../../bidding-core/index";

/**
 * The one shape of a refusal in the app (decision 062): a rule or a state said no, and the
 * person is told why. Every feature returns `Refused` rather than its own error shape; routes
 * answer with `status`, and pages show `refusalMessage` (the one place codes become messages).
 *
 * `code` is stable and names its message: `<namespace>.<key>`, the i18n namespace first (`bid`,
 * `tender`, `witness`) and the key inside it (`bid.noCertificate`,
 * `tender.errors.CLARIFICATION.AFTER_DEADLINE`). Refusals by the law carry the article it
 * enforces, so the message can cite it (`citeArticle`).
 */
export interface Refusal {
  code: string;
  /** The HTTP status a route answers with. */
  status: number;
  article?: string;
  params?: Record<string, string | number | boolean>;
}

export interface Refused {
  ok: false;
  refusal: Refusal;
}

/** A feature's answer: the value, or why not. */
export type Outcome<T> = { ok: true; value: T } | Refused;

export function refuse(code: string, status: number, extra: Pick<Refusal, "article" | "params"> = {}): Refused {
  return { ok: false, refusal: { code, status, ...extra } };
}

/** A bidding-core rule violation as a refusal: `<prefix>.<CODE>`, its article and params. */
export function refusalFromDomain(error: DomainError, prefix: string, status = 422): Refused {
  return refuse(`${prefix}.${error.code}`, status, { article: error.article, params: { ...error.params } });
}

/** An i18n message: the namespace, the key inside it, and its params (the article among them). */
export interface RefusalMessage {
  /** Absent for a code without a namespace: the caller's own namespace applies. */
  ns?: string;
  key: string;
  params: Record<string, string | number | boolean>;
}

/** The one place a refusal's code becomes a message (namespace, key, params with the article). */
export function refusalMessage(refusal: Pick<Refusal, "code" | "article" | "params">): RefusalMessage {
  const dot = refusal.code.indexOf(".");
  const params = { ...(refusal.params ?? {}), ...(refusal.article ? { article: refusal.article } : {}) };
  return dot > 0 ? { ns: refusal.code.slice(0, dot), key: refusal.code.slice(dot + 1), params } : { key: refusal.code, params };
}

/**
 * Renders a refusal in the reader's language, citing the article as that language does; the
 * code's namespace is passed to i18next as `ns`, so any `t` will do.
 */
export function renderRefusal(
  t: (key: string, params?: Record<string, unknown>) => string,
  locale: string,
  refusal: Pick<Refusal, "code" | "article" | "params">,
): string {
  const { ns, key, params } = refusalMessage(refusal);
  const withArticle: Record<string, unknown> = { ...params, ...(ns ? { ns } : {}) };
  if (typeof params.article === "string") withArticle.article = citeArticle(params.article, locale);
  return t(key, withArticle);
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
      const numbers = rest.split(/\s*,\s*/).map((r) =>
        r
          .split(/\s*[-–]\s*/)
          .map((x) => chineseNumber(Number(x)))
          .join("至"),
      );
      return `${LAWS_ZH[law]}第${numbers.join("、")}条`;
    })
    .join("、");
}
