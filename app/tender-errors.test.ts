import { ERROR_CODES, domainError } from "../bidding-core/index";
import { createI18n, LOCALES } from "./i18n.ts";
import { domainErrorMessage } from "./tender-errors.ts";
import zh from "./locales/zh-CN/tender.json";
import en from "./locales/en/tender.json";

function keys(node: unknown, prefix = ""): string[] {
  if (typeof node === "string") return [prefix];
  return Object.entries(node as Record<string, unknown>).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
}

describe("bidding-core error messages", () => {
  it.each(LOCALES)("every ERROR_CODES entry has a %s message that cites the article", (locale) => {
    const t = createI18n(locale).getFixedT(locale, "tender");
    for (const code of ERROR_CODES) {
      const message = domainErrorMessage(domainError(code, { days: 3, required: 20, max: 3 }));
      expect(message.key).toBe(`errors.${code}`);
      const text = t(message.key, message.params);
      expect(text, code).not.toBe(message.key);
      expect(text, code).toContain(domainError(code).article);
    }
  });

  it("the two languages have the same keys in the tender namespace", () => {
    expect(keys(en).sort()).toEqual(keys(zh).sort());
  });

  it("renders the TBL Art 24 refusal with the numbers in both languages", () => {
    const message = domainErrorMessage(domainError("TENDER.DEADLINE_TOO_SOON", { days: 12, required: 20 }));
    expect(createI18n("zh-CN").getFixedT("zh-CN", "tender")(message.key, message.params)).toBe(
      "自招标文件开始发出之日起至投标截止时间止，依法必须招标的项目不得少于 20 日，当前仅 12 个整日（TBL Art 24）。",
    );
    expect(createI18n("en").getFixedT("en", "tender")(message.key, message.params)).toContain("at least 20 full days");
  });
});
