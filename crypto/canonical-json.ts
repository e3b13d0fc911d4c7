/**
 * crypto/ signs and hashes the one canonical JSON of the system (decision 061), which lives in
 * bidding-core/canonical-json.ts (pure; the opening record needs the same bytes). This is the
 * only module of bidding-core that crypto/ imports (.dependency-cruiser.cjs).
 */
export { canonicalJson, type CanonicalValue } from "../bidding-core/canonical-json.ts";
