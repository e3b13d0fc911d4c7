import { domainError } from "../../bidding-core/index";
import { createI18n } from "../ui/i18n.ts";
import { citeArticle, refusalFromDomain, refusalMessage, refuse, renderRefusal } from "./refusal.ts";

describe("one Refusal, one place that turns its code into a message (decision 062)", () => {
  it("names the namespace and key by the code, and carries the article as a param", () => {
    const { refusal } = refusalFromDomain(domainError("BID.AFTER_DEADLINE"), "bid");
    expect(refusal).toMatchObject({ code: "bid.BID.AFTER_DEADLINE", status: 422, article: "Regs Art 36" });
    expect(refusalMessage(refusal)).toEqual({ ns: "bid", key: "BID.AFTER_DEADLINE", params: { article: "Regs Art 36" } });
    expect(refusalMessage({ code: "plain" })).toEqual({ key: "plain", params: {} });
  });

  it("renders in either language from any namespace's t, citing the article in Chinese", () => {
    for (const locale of ["zh-CN", "en"] as const) {
      const t = createI18n(locale).getFixedT(null, "common");
      const law = refusalFromDomain(
        domainError("TENDER.DEADLINE_TOO_SOON", { days: 12, required: 20 }),
        "tender.errors",
        409,
      ).refusal;
      const text = renderRefusal(t, locale, law);
      expect(text).toContain(citeArticle("TBL Art 24", locale));
      expect(text).not.toContain("errors.");
      expect(renderRefusal(t, locale, refuse("witness.errors.MEDIA_UNREACHABLE", 503).refusal)).not.toContain(
        "MEDIA_UNREACHABLE",
      );
      expect(renderRefusal(t, locale, refuse("tender.download.refused.410", 410).refusal)).not.toContain("download.");
    }
  });
});
