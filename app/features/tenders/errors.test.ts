import { ERROR_CODES, domainError } from "../../../bidding-core/index";
import { createI18n, LOCALES } from "../../ui/i18n.ts";
import { citeArticle, domainErrorMessage, renderMessage } from "./errors.ts";
import zh from "../../ui/locales/zh-CN/tender.json";
import en from "../../ui/locales/en/tender.json";

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
      const text = renderMessage(t, locale, message);
      expect(text, code).not.toBe(message.key);
      expect(text, code).toContain(citeArticle(domainError(code).article, locale));
    }
  });

  it("the two languages have the same keys in the tender namespace", () => {
    expect(keys(en).sort()).toEqual(keys(zh).sort());
  });

  it("renders the TBL Art 24 refusal with the numbers in both languages", () => {
    const message = domainErrorMessage(domainError("TENDER.DEADLINE_TOO_SOON", { days: 12, required: 20 }));
    expect(createI18n("en").getFixedT("en", "tender")(message.key, message.params)).toContain("at least 20 full days");
  });
});

describe("article citations", () => {
  it("cites articles in Chinese for zh-CN and unchanged in English", () => {
    expect(citeArticle("TBL Art 24", "zh-CN")).toBe("《招标投标法》第二十四条");
    expect(citeArticle("Regs Art 16", "zh-CN")).toBe("《招标投标法实施条例》第十六条");
    expect(citeArticle("Regs Art 22 / Regs Art 54", "zh-CN")).toBe(
      "《招标投标法实施条例》第二十二条、《招标投标法实施条例》第五十四条",
    );
    expect(citeArticle("Eval-Rules Arts 20-26", "zh-CN")).toBe("《评标委员会和评标方法暂行规定》第二十至二十六条");
    expect(citeArticle("TBL Chs. II-IV (procedure order)", "zh-CN")).toBe("《招标投标法》第二章至第四章");
    expect(citeArticle("TBL Art 24", "en")).toBe("TBL Art 24");
    for (const code of ERROR_CODES) expect(citeArticle(domainError(code).article, "zh-CN"), code).not.toMatch(/\bArts?\b/);
  });

  it("renders the TBL Art 24 refusal in Chinese with the Chinese citation", () => {
    const t = createI18n("zh-CN").getFixedT("zh-CN", "tender");
    const message = domainErrorMessage(domainError("TENDER.DEADLINE_TOO_SOON", { days: 12, required: 20 }));
    expect(renderMessage(t, "zh-CN", message)).toBe(
      "自招标文件开始发出之日起至投标截止时间止，依法必须招标的项目不得少于 20 日，当前仅 12 个整日（《招标投标法》第二十四条）。",
    );
  });
});

describe("scoring table refusals (评分标准)", () => {
  it("TBL Art 19: name the part in the reader's language, with both numbers and the articles", () => {
    const error = domainError("EVALUATION.POINTS_MISMATCH", { part: "commercial", weight: 20, points: 12.5 });
    const zhT = createI18n("zh-CN").getFixedT("zh-CN", "tender");
    const enT = createI18n("en").getFixedT("en", "tender");
    expect(renderMessage(zhT, "zh-CN", domainErrorMessage(error))).toBe(
      "评分标准的商务部分各评审因素分值之和为 12.5 分，应等于该部分权重 20 分；请调整分值或权重（《招标投标法》第十九条、《评标委员会和评标方法暂行规定》第三十五条）。",
    );
    expect(
      renderMessage(enT, "en", domainErrorMessage(domainError("EVALUATION.EMPTY_PART", { part: "technical", weight: 50 }))),
    ).toContain("Technical part has a weight of 50%");
  });
});
