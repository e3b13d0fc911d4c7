import i18next, { type i18n } from "i18next";
import zhCommon from "./locales/zh-CN/common.json";
import enCommon from "./locales/en/common.json";
import zhTender from "./locales/zh-CN/tender.json";
import enTender from "./locales/en/tender.json";
import zhBid from "./locales/zh-CN/bid.json";
import enBid from "./locales/en/bid.json";
import zhPki from "./locales/zh-CN/pki.json";
import enPki from "./locales/en/pki.json";
import zhWitness from "./locales/zh-CN/witness.json";
import enWitness from "./locales/en/witness.json";
import zhOpening from "./locales/zh-CN/opening.json";
import enOpening from "./locales/en/opening.json";
import zhExperts from "./locales/zh-CN/experts.json";
import enExperts from "./locales/en/experts.json";
import zhEvaluation from "./locales/zh-CN/evaluation.json";
import enEvaluation from "./locales/en/evaluation.json";
import zhRemedies from "./locales/zh-CN/remedies.json";
import enRemedies from "./locales/en/remedies.json";
import zhRoom from "./locales/zh-CN/room.json";
import enRoom from "./locales/en/room.json";
import zhResultsPublic from "./locales/zh-CN/results-public.json";
import enResultsPublic from "./locales/en/results-public.json";
import zhAward from "./locales/zh-CN/award.json";
import enAward from "./locales/en/award.json";
import zhPublicity from "./locales/zh-CN/publicity.json";
import enPublicity from "./locales/en/publicity.json";
import zhOutages from "./locales/zh-CN/outages.json";
import enOutages from "./locales/en/outages.json";

// zh-CN first; English second. Resources are bundled (they are small) so the server render and
// the browser hydrate from the same strings without a network round trip.
export const LOCALES = ["zh-CN", "en"] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = "zh-CN";

// One namespace per feature: common (shell, auth), tender (publication, notices, agent),
// bid (submission, receipts), pki (certificate enrolment), witness (live rooms, recordings),
// opening (the online opening hall), experts (pool, committee request, draw and its verification),
// evaluation (scoring table, evidence timeline, the evaluation room),
// room (the evaluation room itself), remedies (holiday calendar, deadline control, objections, complaints),
// results-public (the notice page's history, the public results list),
// award (the award, its letters, the result notice and the steps after it).
// publicity (the candidate publicity, 中标候选人公示).
// outages (the platform's outage record).
export const resources = {
  "zh-CN": {
    common: zhCommon,
    tender: zhTender,
    bid: zhBid,
    pki: zhPki,
    witness: zhWitness,
    opening: zhOpening,
    experts: zhExperts,
    evaluation: zhEvaluation,
    remedies: zhRemedies,
    room: zhRoom,
    "results-public": zhResultsPublic,
    award: zhAward,
    publicity: zhPublicity,
    outages: zhOutages,
  },
  en: {
    common: enCommon,
    tender: enTender,
    bid: enBid,
    pki: enPki,
    witness: enWitness,
    opening: enOpening,
    experts: enExperts,
    evaluation: enEvaluation,
    remedies: enRemedies,
    room: enRoom,
    "results-public": enResultsPublic,
    award: enAward,
    publicity: enPublicity,
    outages: enOutages,
  },
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
