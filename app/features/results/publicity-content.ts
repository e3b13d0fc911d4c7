import { z } from "zod";

/**
 * What the candidate notice (中标候选人公示, Regs Art 54) publishes, taken from the signed
 * evaluation report (its JSON as the room wrote it, decision 104) and frozen into the
 * `candidate_publicity` row: the candidates in rank with their read-out and score, the bids
 * rejected and why, and the committee's names (TBL Art 37: public from here). Pure: the caller
 * loads the report, the opening's read-out and the tender's qualification criteria.
 */

export interface PublicityCandidate {
  rank: number;
  bidderOrgId: string;
  name: string;
  /** 唱标: the items read out at the opening, as read. */
  readOut: Record<string, string>;
  /** The bid price as read out (唱标), in fen (a decimal string: BigInt does not travel in JSON) — the award's 中标价. */
  priceCents: string | null;
  /** The evaluated price (评审价) in fen where the evaluation adjusted the price (lowest evaluated price); shown, never awarded. */
  evaluatedPriceCents?: string;
  /** The comprehensive total (points, two decimals); null for the lowest-price method. */
  score: string | null;
  /** Still tied after every tie-break (the tenderer settles it as the documents say). */
  tiedWith: string[];
}

export interface PublicityRejected {
  bidderOrgId: string;
  name: string;
  stage: "qualification" | "collusion";
  reasons: string[];
}

export interface PublicityMember {
  name: string;
  role: "chair" | "member" | "representative";
  specialty: string | null;
}

export interface PublicityContent {
  candidates: PublicityCandidate[];
  rejected: PublicityRejected[];
  committee: PublicityMember[];
}

const Scalar = z.union([z.string(), z.number()]).transform((v) => String(v));

/** The parts of the report this reads; anything else in it is ignored. */
const ReportSchema = z.object({
  bidders: z.record(z.string()).default({}),
  committee: z
    .array(
      z.object({
        userId: z.string(),
        name: z.string(),
        chair: z.boolean().default(false),
        replaced: z.boolean().default(false),
      }),
    )
    .default([]),
  rejected: z
    .array(
      z.object({
        bidderId: z.string(),
        failures: z.array(z.object({ criterionId: z.string(), reason: z.string() })).default([]),
      }),
    )
    .default([]),
  collusionFindings: z.array(z.object({ bidderIds: z.array(z.string()), reason: z.string() })).default([]),
  summary: z
    .object({
      results: z
        .array(
          z
            .object({
              bidderId: z.string(),
              price: Scalar.optional(),
              evaluatedPrice: Scalar.optional(),
              total: z.number().optional(),
            })
            .passthrough(),
        )
        .default([]),
    })
    .default({ results: [] }),
  candidates: z.array(
    z.object({ rank: z.number().int().positive(), bidderId: z.string(), unresolvedTieWith: z.array(z.string()).default([]) }),
  ),
});

export type ReportInput = z.input<typeof ReportSchema>;

/** At most this many candidates are published (Regs Art 53: one to three). */
export const MAX_CANDIDATES = 3;

const DIGITS = /^-?\d+$/;

/** Reads the report; null when it is not a report this can publish (no candidates, or not the room's shape). */
export function publicityContent(input: {
  report: unknown;
  /** The opening's 唱标 per bidder organisation. */
  readOuts: ReadonlyMap<string, Record<string, string>>;
  /** The tender's qualification criteria (id → text), to name what a rejected bid failed. */
  criteria: ReadonlyMap<string, string>;
  /** Committee seats: the expert's user id → specialty; tenderer's representatives by user id. */
  specialties: ReadonlyMap<string, string>;
  representativeIds: ReadonlySet<string>;
}): PublicityContent | null {
  const parsed = ReportSchema.safeParse(input.report);
  if (!parsed.success || parsed.data.candidates.length === 0) return null;
  const report = parsed.data;
  const nameOf = (id: string) => report.bidders[id] ?? id;
  const result = new Map(report.summary.results.map((r) => [r.bidderId, r]));
  const candidates = [...report.candidates]
    .sort((a, b) => a.rank - b.rank)
    .slice(0, MAX_CANDIDATES)
    .map((c): PublicityCandidate => {
      const r = result.get(c.bidderId);
      const price = r?.price ?? null;
      const evaluated = r?.evaluatedPrice;
      return {
        rank: c.rank,
        bidderOrgId: c.bidderId,
        name: nameOf(c.bidderId),
        readOut: { ...(input.readOuts.get(c.bidderId) ?? {}) },
        priceCents: price !== null && DIGITS.test(price) ? price : null,
        ...(evaluated !== undefined && DIGITS.test(evaluated) ? { evaluatedPriceCents: evaluated } : {}),
        score: typeof r?.total === "number" ? r.total.toFixed(2) : null,
        tiedWith: c.unresolvedTieWith.map(nameOf),
      };
    });
  const rejected: PublicityRejected[] = report.rejected.map((r) => ({
    bidderOrgId: r.bidderId,
    name: nameOf(r.bidderId),
    stage: "qualification",
    reasons: r.failures.map((f) => {
      const criterion = input.criteria.get(f.criterionId);
      return criterion ? `${criterion}：${f.reason}` : f.reason;
    }),
  }));
  for (const finding of report.collusionFindings)
    for (const bidderId of finding.bidderIds) {
      const already = rejected.find((r) => r.bidderOrgId === bidderId);
      if (already) already.reasons.push(finding.reason);
      else rejected.push({ bidderOrgId: bidderId, name: nameOf(bidderId), stage: "collusion", reasons: [finding.reason] });
    }
  // The committee as it signed: members replaced during the evaluation are not on it.
  const committee: PublicityMember[] = report.committee
    .filter((m) => !m.replaced)
    .map((m): PublicityMember => ({
      name: m.name,
      role: m.chair ? "chair" : input.representativeIds.has(m.userId) ? "representative" : "member",
      specialty: input.specialties.get(m.userId) ?? null,
    }))
    .sort((a, b) => (a.role === "chair" ? -1 : b.role === "chair" ? 1 : 0));
  return { candidates, rejected, committee };
}

/** The frozen row's JSON read back (what the public page shows). */
export const StoredCandidates = z.array(
  z.object({
    rank: z.number(),
    bidderOrgId: z.string(),
    name: z.string(),
    readOut: z.record(z.string()).default({}),
    priceCents: z.string().nullable(),
    evaluatedPriceCents: z.string().optional(),
    score: z.string().nullable(),
    tiedWith: z.array(z.string()).default([]),
  }),
);
export const StoredRejected = z.array(
  z.object({
    bidderOrgId: z.string(),
    name: z.string(),
    stage: z.enum(["qualification", "collusion"]),
    reasons: z.array(z.string()),
  }),
);
export const StoredCommittee = z.array(
  z.object({ name: z.string(), role: z.enum(["chair", "member", "representative"]), specialty: z.string().nullable() }),
);
