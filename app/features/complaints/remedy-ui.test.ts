import { createI18n, LOCALES } from "../../ui/i18n.ts";
import zh from "../../ui/locales/zh-CN/remedies.json";
import en from "../../ui/locales/en/remedies.json";
import { CLOCK_KINDS } from "../../../bidding-core/index";
import { refusalMessage, remedyNotificationText } from "./remedy-ui.tsx";
import { domainError } from "../../../bidding-core/index";

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
    const text = remedyNotificationText(t, locale, "clock.alarm", { clock: "complaint-acceptance", code: "MZ-1", due: "2027-01-05T15:59:59.999Z", article: "Regs Art 61", provisional: true });
    expect(text).toContain("MZ-1");
    expect(text).toContain(locale === "zh-CN" ? "《招标投标法实施条例》第六十一条" : "Regs Art 61");
    expect(text).toContain(t("remedies:provisionalShort"));
    expect(remedyNotificationText(t, locale, "tender.clarification", {})).toBeNull();
  });

  it("Regs Art 60: a law refusal keeps its article for the page; a platform refusal names its message", () => {
    expect(refusalMessage({ kind: "law", error: domainError("COMPLAINT.TOO_LATE", { deadline: "x" }) })).toEqual({ key: "tender:errors.COMPLAINT.TOO_LATE", params: { deadline: "x", article: "Regs Art 60" } });
    expect(refusalMessage({ kind: "app", key: "notBidder" })).toEqual({ key: "remedies:refusal.notBidder" });
  });
});
