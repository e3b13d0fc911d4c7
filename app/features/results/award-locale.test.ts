// The award's messages: both languages have the same keys, and every refusal code the award's
// code can return has a message in both (rendered through the one renderRefusal, decision 062).
import fs from "node:fs";
import path from "node:path";
import { renderRefusal } from "../../platform/refusal.ts";
import { createI18n, LOCALES } from "../../ui/i18n.ts";
import zh from "../../ui/locales/zh-CN/award.json";
import en from "../../ui/locales/en/award.json";

function keys(node: unknown, prefix = ""): string[] {
  if (typeof node === "string") return [prefix];
  return Object.entries(node as Record<string, unknown>).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
}

const sources = ["award.server.ts", "letters.server.ts", "after-award.server.ts"].map((f) =>
  fs.readFileSync(path.join(import.meta.dirname, f), "utf8"),
);
const route = fs.readFileSync(path.join(import.meta.dirname, "../../routes/agent.tenders_.$tenderId.award.tsx"), "utf8");
const codes = [...new Set(sources.join("\n").match(/award\.refusal\.[a-zA-Z]+/g) ?? [])];
const validation = [
  ...new Set([
    ...(sources.join("\n").match(/"(candidateRequired|causeRequired|reasonTooShort|bidderRequired)"/g) ?? []).map((m) =>
      m.replaceAll('"', ""),
    ),
    "invalid",
  ]),
];

describe("the award's messages", () => {
  it("the two languages have the same keys in the award namespace", () => {
    expect(keys(en).sort()).toEqual(keys(zh).sort());
  });

  it.each(LOCALES)("every refusal code of the award renders in %s, with its article where it has one", (locale) => {
    const t = createI18n(locale).getFixedT(locale, "award");
    expect(codes.length).toBeGreaterThan(10);
    for (const code of codes) {
      const text = renderRefusal(t, locale, { code, article: "TBL Art 45", params: { text: "x", date: "2026-01-01" } });
      expect(text, code).not.toBe(code.slice("award.".length));
      if (/\{\{article\}\}/.test(String((zh as Record<string, Record<string, string>>).refusal?.[code.split(".")[2]!])))
        expect(text, code).toContain(locale === "zh-CN" ? "《招标投标法》第四十五条" : "TBL Art 45");
    }
    for (const key of validation) expect(t(`validation.${key}`), key).not.toBe(`validation.${key}`);
    expect(route).toContain("award.validation.");
  });
});
