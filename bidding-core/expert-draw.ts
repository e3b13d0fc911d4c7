import { avoidanceReasons, type AvoidanceContext, type AvoidanceReason, type ExpertProfile } from "./avoidance";
import { err, ok, type Result } from "./errors";
import { fromHex, seededRandom, sha256, shuffle, toHex } from "./random";
import type { SpecialtyRequirement } from "./committee";

/**
 * The random draw of experts (Regs Art 46) with a seed commitment:
 * 1. before the draw the platform generates a secret seed (≥ 16 random bytes, from the caller's
 *    CSPRNG) and publishes commitment = hex(SHA-256(seed));
 * 2. the draw runs from the seed (the algorithm in docs/bidding-core/expert-draw.md);
 * 3. after the draw the seed is revealed; anyone checks SHA-256(seed) against the commitment and
 *    re-runs `rerunDraw` on the published eligible list to get the same members and reserves.
 */

export const MIN_SEED_BYTES = 16;

/** The commitment published before the draw. */
export function commitSeed(seed: Uint8Array): string {
  return toHex(sha256(seed));
}

/** Checks a revealed seed (hex) against its commitment; returns the seed bytes. */
export function verifySeed(seedHex: string, commitment: string): Result<Uint8Array> {
  const seed = fromHex(seedHex);
  if (!seed || seed.length < MIN_SEED_BYTES) return err("DRAW.INVALID_SEED", { minBytes: MIN_SEED_BYTES });
  if (commitSeed(seed) !== commitment.toLowerCase()) {
    return err("DRAW.COMMITMENT_MISMATCH", { commitment });
  }
  return ok(seed);
}

/** What the public needs to re-run a draw: eligible experts only, no private data. */
export interface EligibleExpert {
  readonly id: string;
  readonly specialties: readonly string[];
}

/** Seats per specialty plus how many reserves (候补) to draw for it, in drawing order. */
export interface DrawRequirement extends SpecialtyRequirement {
  readonly reserves: number;
}

export interface DrawnExpert {
  readonly expertId: string;
  readonly specialty: string;
}

export interface DrawResult {
  readonly members: readonly DrawnExpert[];
  /** In the order they replace a member of the same specialty (Regs Art 48). */
  readonly reserves: readonly DrawnExpert[];
}

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The deterministic core. The eligible list is deduplicated and sorted by id so its input order
 * does not matter; requirements are processed in the given order; for each, the not-yet-chosen
 * experts with that specialty (sorted by id) are shuffled with Fisher–Yates driven by the one
 * SHA-256 counter-mode stream, the first `count` become members and the next `reserves` reserves.
 */
export function rerunDraw(input: {
  readonly eligible: readonly EligibleExpert[];
  readonly requirements: readonly DrawRequirement[];
  readonly seed: Uint8Array;
}): Result<DrawResult> {
  const byId = new Map(input.eligible.map((e) => [e.id, e] as const));
  const sorted = [...byId.values()].sort((a, b) => compareIds(a.id, b.id));
  const source = seededRandom(input.seed);
  const chosen = new Set<string>();
  const members: DrawnExpert[] = [];
  const reserves: DrawnExpert[] = [];
  for (const { specialty, count, reserves: reserveCount } of input.requirements) {
    if (![count, reserveCount].every((n) => Number.isInteger(n) && n >= 0)) {
      return err("DRAW.INVALID_REQUIREMENT", { specialty, count, reserves: reserveCount });
    }
    const candidates = sorted.filter((e) => !chosen.has(e.id) && e.specialties.includes(specialty));
    if (candidates.length < count + reserveCount) {
      return err("DRAW.POOL_TOO_SMALL", { specialty, needed: count + reserveCount, available: candidates.length });
    }
    const picked = shuffle(candidates, source).slice(0, count + reserveCount);
    picked.forEach((expert, i) => {
      chosen.add(expert.id);
      (i < count ? members : reserves).push({ expertId: expert.id, specialty });
    });
  }
  return ok({ members, reserves });
}

export interface ExclusionRecord {
  readonly expertId: string;
  readonly reasons: readonly AvoidanceReason[];
}

export interface ExpertDraw extends DrawResult {
  readonly commitment: string;
  /** The public re-run input: who was eligible (ids and specialties only). */
  readonly eligible: readonly EligibleExpert[];
  /** Confidential (TBL Art 37): who was excluded and why, for the supervisor's log. */
  readonly excluded: readonly ExclusionRecord[];
}

/**
 * Regs Art 46, Eval-Rules Art 12: filters the pool by avoidance, checks the revealed seed
 * against the commitment made before the draw, and draws.
 */
export function drawExperts(input: {
  readonly pool: readonly ExpertProfile[];
  readonly context: AvoidanceContext;
  readonly requirements: readonly DrawRequirement[];
  readonly seedHex: string;
  readonly commitment: string;
}): Result<ExpertDraw> {
  const seed = verifySeed(input.seedHex, input.commitment);
  if (!seed.ok) return seed;
  const eligible: EligibleExpert[] = [];
  const excluded: ExclusionRecord[] = [];
  for (const expert of input.pool) {
    const reasons = avoidanceReasons(expert, input.context);
    if (reasons.length > 0) excluded.push({ expertId: expert.id, reasons });
    else eligible.push({ id: expert.id, specialties: expert.specialties });
  }
  eligible.sort((a, b) => compareIds(a.id, b.id));
  excluded.sort((a, b) => compareIds(a.expertId, b.expertId));
  const drawn = rerunDraw({ eligible, requirements: input.requirements, seed: seed.value });
  if (!drawn.ok) return drawn;
  return ok({ ...drawn.value, commitment: input.commitment.toLowerCase(), eligible, excluded });
}

/**
 * Regs Art 48: the replacement for a member who leaves or recuses is the first unused reserve
 * of the same specialty; undefined when none is left (the caller then draws again).
 */
export function nextReserve(draw: DrawResult, specialty: string, used: readonly string[]): DrawnExpert | undefined {
  return draw.reserves.find((r) => r.specialty === specialty && !used.includes(r.expertId));
}
