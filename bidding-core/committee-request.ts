import { canonicalJson } from "./canonical-json";
import { validateCommittee, type CommitteeMember } from "./committee";
import { err, ok, type Result } from "./errors";
import { rerunDraw, verifySeed, type DrawnExpert, type DrawRequirement, type EligibleExpert } from "./expert-draw";
import type { ProcedureRules } from "./procedure-rules";
import { fromHex, sha256, toHex, utf8 } from "./random";

/**
 * The agent's request for a committee (抽取申请) and the public check of its draw.
 * docs/decisions/080 describes the seed (a committed secret mixed with the audit chain head at
 * draw time) and the pool commitment.
 */

export interface CommitteeRequest {
  /** Experts per specialty, with the reserves (候补) to draw for each, in drawing order. */
  readonly requirements: readonly DrawRequirement[];
  /** 招标人代表: members the tenderer names itself (TBL Art 37: at most one third). */
  readonly representatives: number;
}

/**
 * TBL Art 37: the requested committee is an odd number, at least 5, and experts are at least two
 * thirds; every specialty asks for at least one expert, once.
 */
export function validateCommitteeRequest(
  request: CommitteeRequest,
  rules: ProcedureRules,
): Result<{ readonly size: number; readonly experts: number }> {
  const seen = new Set<string>();
  for (const r of request.requirements) {
    const counts = [r.count, r.reserves];
    if (seen.has(r.specialty) || r.count < 1 || !counts.every((n) => Number.isInteger(n) && n >= 0)) {
      return err("DRAW.INVALID_REQUIREMENT", { specialty: r.specialty, count: r.count, reserves: r.reserves });
    }
    seen.add(r.specialty);
  }
  if (!Number.isInteger(request.representatives) || request.representatives < 0) {
    return err("DRAW.INVALID_REQUIREMENT", { representatives: request.representatives });
  }
  const members: CommitteeMember[] = request.requirements.flatMap((r) =>
    Array.from({ length: r.count }, (_, i) => ({
      id: `${r.specialty}#${i}`,
      role: "expert" as const,
      specialties: [r.specialty],
    })),
  );
  for (let i = 0; i < request.representatives; i++) {
    members.push({ id: `rep#${i}`, role: "tenderer-representative", specialties: [] });
  }
  const checked = validateCommittee({ members, requirements: request.requirements, rules });
  if (!checked.ok) return checked;
  return ok({ size: members.length, experts: members.length - request.representatives });
}

/**
 * When the draw runs: after the bid deadline, so avoidance is checked against the bidders that
 * actually submitted (Eval-Rules Art 12), and no earlier than `leadHours` before the evaluation
 * starts, so names exist for as short a time as possible before it (TBL Art 37).
 */
export function drawTime(input: {
  readonly bidDeadline: Date;
  readonly evaluationStart: Date;
  readonly leadHours: number;
}): Result<Date> {
  if (!Number.isInteger(input.leadHours) || input.leadHours < 0) {
    return err("DRAW.INVALID_REQUIREMENT", { leadHours: input.leadHours });
  }
  if (input.evaluationStart.getTime() <= input.bidDeadline.getTime()) {
    return err("DRAW.EVALUATION_BEFORE_DEADLINE", { bidDeadline: input.bidDeadline.toISOString() });
  }
  const earliest = input.evaluationStart.getTime() - input.leadHours * 3600_000;
  return ok(new Date(Math.max(input.bidDeadline.getTime(), earliest)));
}

export interface PoolShortfall {
  readonly specialty: string;
  readonly needed: number;
  readonly available: number;
  readonly missing: number;
}

/**
 * Regs Art 46: per specialty, how many eligible experts are missing for its seats and reserves.
 * The draw never fills a seat with another specialty, so any shortfall refuses the request.
 */
export function poolShortfalls(eligible: readonly EligibleExpert[], requirements: readonly DrawRequirement[]): PoolShortfall[] {
  const out: PoolShortfall[] = [];
  for (const r of requirements) {
    const available = eligible.filter((e) => e.specialties.includes(r.specialty)).length;
    const needed = r.count + r.reserves;
    if (available < needed) out.push({ specialty: r.specialty, needed, available, missing: needed - available });
  }
  return out;
}

/**
 * The eligible pool in canonical form: deduplicated, sorted by id (UTF-16 code units), each
 * expert's specialties sorted, as canonical JSON (decision 061) `[{"id":…,"specialties":[…]}]`.
 */
export function canonicalPool(eligible: readonly EligibleExpert[]): string {
  const byId = new Map(eligible.map((e) => [e.id, e] as const));
  const sorted = [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return canonicalJson(sorted.map((e) => ({ id: e.id, specialties: [...e.specialties].sort() })));
}

/** hex(SHA-256(UTF-8 canonical pool)): published before the draw. */
export function poolHash(eligible: readonly EligibleExpert[]): string {
  return toHex(sha256(utf8(canonicalPool(eligible))));
}

/**
 * The draw's seed: SHA-256(secret ‖ mix), where the secret was committed (SHA-256) before the
 * draw and `mix` (hex) is a value that did not exist until the draw (the audit chain head).
 */
export function drawSeed(secret: Uint8Array, mixHex: string): Uint8Array | undefined {
  const mix = fromHex(mixHex);
  if (!mix || mix.length === 0) return undefined;
  const joined = new Uint8Array(secret.length + mix.length);
  joined.set(secret, 0);
  joined.set(mix, secret.length);
  return sha256(joined);
}

export interface PublishedDraw {
  readonly commitment: string;
  readonly poolHash: string;
  readonly secretHex: string;
  readonly mixHex: string;
  readonly eligible: readonly EligibleExpert[];
  readonly requirements: readonly DrawRequirement[];
  readonly members: readonly DrawnExpert[];
  readonly reserves: readonly DrawnExpert[];
}

export type DrawCheck =
  | { readonly matches: true; readonly members: readonly DrawnExpert[]; readonly reserves: readonly DrawnExpert[] }
  | {
      readonly matches: false;
      /** The first thing that does not hold, for the page to say where it differs. */
      readonly failure: "seed-commitment" | "pool-hash" | "mix" | "draw-error" | "members" | "reserves";
      readonly position?: number;
      readonly expected?: string;
      readonly found?: string;
    };

function firstDifference(a: readonly DrawnExpert[], b: readonly DrawnExpert[]): number {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (a[i]?.expertId !== b[i]?.expertId || a[i]?.specialty !== b[i]?.specialty) return i;
  }
  return -1;
}

/**
 * Anyone's check of a published draw (Regs Art 46): the secret matches its commitment, the pool
 * matches its hash, and re-running the draw gives the same members and reserves in the same order.
 */
export function checkPublishedDraw(d: PublishedDraw): DrawCheck {
  const secret = verifySeed(d.secretHex, d.commitment);
  if (!secret.ok) return { matches: false, failure: "seed-commitment" };
  const hash = poolHash(d.eligible);
  if (hash !== d.poolHash.toLowerCase()) return { matches: false, failure: "pool-hash", expected: d.poolHash, found: hash };
  const seed = drawSeed(secret.value, d.mixHex);
  if (!seed) return { matches: false, failure: "mix" };
  const rerun = rerunDraw({ eligible: d.eligible, requirements: d.requirements, seed });
  if (!rerun.ok) return { matches: false, failure: "draw-error", found: rerun.error.code };
  for (const [failure, mine, theirs] of [
    ["members", rerun.value.members, d.members],
    ["reserves", rerun.value.reserves, d.reserves],
  ] as const) {
    const at = firstDifference(mine, theirs);
    if (at >= 0)
      return {
        matches: false,
        failure,
        position: at + 1,
        expected: mine[at]?.expertId ?? "—",
        found: theirs[at]?.expertId ?? "—",
      };
  }
  return { matches: true, members: rerun.value.members, reserves: rerun.value.reserves };
}
