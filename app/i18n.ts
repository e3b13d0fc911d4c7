import i18next, { type i18n } from "i18next";
import zhCommon from "./locales/zh-CN/common.json";
import enCommon from "./locales/en/common.json";

// zh-CN first; English second. Resources are bundled (they are small) so the server render and
// the browser hydrate from the same strings without a network round trip.
export const LOCALES = ["zh-CN", "en"] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = "zh-CN";

export const resources = {
  "zh-CN": { common: zhCommon },
  en: { common: enCommon },
} as const;

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (LOCALES as readonly string[]).includes(value);
}

/** A fresh, synchronously initialised instance per request (server) or per page (browser). */
export function createI18n(lng: Locale, extra?: Record<Locale, Record<string, object>>): i18n {
  const instance = i18next.createInstance();
  const merged = {
    "zh-CN": { ...resources["zh-CN"], ...(extra?.["zh-CN"] ?? {}) },
    en: { ...resources.en, ...(extra?.en ?? {}) },
  };
  void instance.init({
    lng,
    fallbackLng: DEFAULT_LOCALE,
    supportedLngs: [...LOCALES],
    defaultNS: "common",
    ns: Object.keys(merged[lng]),
    resources: merged,
    initAsync: false,
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  return instance;
}
