import { domainError, err, ERROR_ARTICLES, ERROR_CODES, ok } from "./errors";

describe("domain errors", () => {
  it("TBL, Regs, E-Measures, Eval-Rules: every error code is stable, namespaced and cites an article", () => {
    expect(ERROR_CODES.length).toBe(Object.keys(ERROR_ARTICLES).length);
    for (const code of ERROR_CODES) {
      expect(code).toMatch(/^[A-Z]+\.[A-Z_]+$/);
      expect(ERROR_ARTICLES[code]).toMatch(/(TBL|Regs|E-Measures|Eval-Rules|Civil Code)/);
    }
  });

  it("TBL Art 24: an error carries code, article and params", () => {
    expect(domainError("TENDER.DEADLINE_TOO_SOON", { days: 19 })).toEqual({
      code: "TENDER.DEADLINE_TOO_SOON",
      article: "TBL Art 24",
      params: { days: 19 },
    });
    expect(err("BID.AFTER_DEADLINE")).toEqual({
      ok: false,
      error: { code: "BID.AFTER_DEADLINE", article: "Regs Art 36", params: {} },
    });
    expect(ok(1)).toEqual({ ok: true, value: 1 });
  });
});
