import { createI18n, LOCALES } from "../../ui/i18n.ts";
import zh from "../../ui/locales/zh-CN/remedies.json";
import en from "../../ui/locales/en/remedies.json";
import { CLOCK_KINDS } from "../../../bidding-core/index";
import { remedyNotificationText } from "./remedy-ui.tsx";
import { domainError } from "../../../bidding-core/index";
import { refusalFromDomain, renderRefusal } from "../../platform/refusal.ts";

function keys(node: unknown, prefix = ""): string[] {
  if (typeof node === "string") return [prefix];
  return Object.entries(node as Record<string, unknown>).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
}

describe("remedies texts", () => {
  it("the two languages have the same keys in the remedies namespace", () => {
    expect(keys(en).sort()).toEqual(keys(zh).sort());
  });

  it.each(LOCALES)("Regs Art 61: every clock kind has a %s name, and clock notifications render with it", (locale) => {
    const t = createI18n(locale).getFixedT(locale);
    for (const kind of CLOCK_KINDS) expect(t(`remedies:clocks.kinds.${kind}`)).not.toContain("clocks.kinds");
    const text = remedyNotificationText(t, locale, "clock.alarm", {
      clock: "complaint-acceptance",
      code: "MZ-1",
      due: "2027-01-05T15:59:59.999Z",
      article: "Regs Art 61",
      provisional: true,
    });
    expect(text).toContain("MZ-1");
    expect(text).toContain(locale === "zh-CN" ? "《招标投标法实施条例》第六十一条" : "Regs Art 61");
    expect(text).toContain(t("remedies:provisionalShort"));
    expect(remedyNotificationText(t, locale, "tender.clarification", {})).toBeNull();
  });

  it.each(LOCALES)(
    "Regs Art 60: a law refusal renders in %s with its article; every platform refusal of the remedies has a message",
    (locale) => {
      const t = createI18n(locale).getFixedT(locale);
      const law = refusalFromDomain(domainError("COMPLAINT.TOO_LATE", { deadline: "x" }), "tender.errors", 409).refusal;
      expect(law).toMatchObject({ code: "tender.errors.COMPLAINT.TOO_LATE", status: 409, article: "Regs Art 60" });
      expect(renderRefusal(t, locale, law)).toContain(locale === "zh-CN" ? "《招标投标法实施条例》第六十条" : "Regs Art 60");
      for (const key of Object.keys(zh.refusal))
        expect(renderRefusal(t, locale, { code: `remedies.refusal.${key}` })).not.toContain("refusal.");
    },
  );
});
