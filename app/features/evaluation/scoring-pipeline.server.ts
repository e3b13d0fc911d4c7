// The evaluation's scoring pipeline over bidding-core, on plain inputs (bids with their read-out
// prices, the committee, the members' sheets), so the room can call it with what it loaded and
// the tests with what they make. No I/O, no clock: every rule is bidding-core's; this module
// only puts them in order and keeps what the report needs (decision 103).
import {
  aggregateAmounts,
  aggregateScores,
  checkAdjustment,
  checkCriterionPoints,
  domainError,
  evaluateLowestPrice,
  findScoreOutliers,
  rankComprehensive,
  rankLowestPrice,
  reviewQualification,
  roundHalfUp,
  scorePrices,
  signatureStance,
  type AdjustmentRule,
  type AggregationMethod,
  type ComprehensiveResult,
  type DomainError,
  type Fen,
  type LowestPriceResult,
  type PriceAdjustment,
  type PriceScoring,
  type RankedBid,
  type Result,
  type ScoreOutlier,
  type ScoringCriterion,
  type ScoringPart,
  type Weights,
} from "../../../bidding-core/index";

export interface EvaluatedBid {
  readonly bidderId: string;
  /** 唱标: the price read out at the opening, in fen. */
  readonly price: Fen;
}

export interface QualificationCriterion {
  readonly id: string;
  readonly text: string;
}

/** One member's pass/fail findings on one bid (资格审查 / 初步评审). */
export interface QualificationSheet {
  readonly memberId: string;
  readonly bidderId: string;
  readonly findings: readonly { readonly criterionId: string; readonly passed: boolean; readonly reason?: string }[];
}

/** One member's points on one bid, per criterion of the scoring table. */
export interface ScoreSheet {
  readonly memberId: string;
  readonly bidderId: string;
  readonly points: Readonly<Record<string, number>>;
}

const fail = (code: Parameters<typeof domainError>[0], params: Record<string, string | number> = {}): Result<never> => ({
  ok: false,
  error: domainError(code, params),
});

function checkMembers(memberIds: readonly string[], sheets: readonly { memberId: string }[]): DomainError | null {
  const members = new Set(memberIds);
  const stranger = sheets.find((s) => !members.has(s.memberId));
  return stranger ? domainError("EVALUATION.NOT_A_MEMBER", { memberId: stranger.memberId }) : null;
}

export interface ConsolidatedQualification {
  readonly bidderId: string;
  readonly passed: boolean;
  /** Failed criteria, with the reasons of the members who failed them. */
  readonly failures: readonly { readonly criterionId: string; readonly reason: string }[];
  /** Where members differed: the criterion, the majority's finding and the minority (stated in the report). */
  readonly differences: readonly {
    readonly criterionId: string;
    readonly majorityPassed: boolean;
    readonly minority: readonly string[];
  }[];
}

/**
 * 资格审查 consolidated by the chair: each member's sheet must be complete (a fail with its
 * reason, bidding-core's `reviewQualification`); per criterion the majority decides, and where
 * members differ the report states who was in the minority. A tie is refused: the committee
 * deliberates again.
 */
export function consolidateQualification(input: {
  readonly criteria: readonly QualificationCriterion[];
  readonly memberIds: readonly string[];
  readonly bids: readonly EvaluatedBid[];
  readonly sheets: readonly QualificationSheet[];
}): Result<ConsolidatedQualification[]> {
  const stranger = checkMembers(input.memberIds, input.sheets);
  if (stranger) return { ok: false, error: stranger };
  const criteria = input.criteria.map((c) => ({ id: c.id, description: c.text }));
  const results: ConsolidatedQualification[] = [];
  for (const bid of input.bids) {
    const votes = new Map<string, { memberId: string; passed: boolean; reason?: string }[]>();
    for (const memberId of input.memberIds) {
      const sheet = input.sheets.find((s) => s.memberId === memberId && s.bidderId === bid.bidderId);
      if (!sheet) return fail("EVALUATION.MISSING_SCORE", { memberId, bidderId: bid.bidderId });
      const own = reviewQualification({ bidderId: bid.bidderId, criteria, findings: sheet.findings });
      if (!own.ok) return { ok: false, error: { ...own.error, params: { ...own.error.params, memberId } } };
      for (const f of sheet.findings) votes.set(f.criterionId, [...(votes.get(f.criterionId) ?? []), { memberId, ...f }]);
    }
    const failures: { criterionId: string; reason: string }[] = [];
    const differences: ConsolidatedQualification["differences"][number][] = [];
    for (const criterion of input.criteria) {
      const cast = votes.get(criterion.id) ?? [];
      const passes = cast.filter((v) => v.passed).length;
      const fails = cast.length - passes;
      if (passes === fails) return fail("EVALUATION.TIED_FINDING", { bidderId: bid.bidderId, criterionId: criterion.id });
      const majorityPassed = passes > fails;
      const minority = cast.filter((v) => v.passed !== majorityPassed).map((v) => v.memberId);
      if (minority.length > 0) differences.push({ criterionId: criterion.id, majorityPassed, minority });
      if (!majorityPassed) {
        const reasons = cast.filter((v) => !v.passed).map((v) => v.reason?.trim() ?? "");
        failures.push({ criterionId: criterion.id, reason: [...new Set(reasons)].join("；") });
      }
    }
    results.push({ bidderId: bid.bidderId, passed: failures.length === 0, failures, differences });
  }
  return { ok: true, value: results };
}

export interface MemberPartScores {
  readonly memberId: string;
  readonly bidderId: string;
  readonly technical: number;
  readonly commercial: number;
}

export interface ComprehensiveSummary {
  readonly benchmark: Fen;
  /** Each member's part points per bid (the sum of the criteria's points). */
  readonly memberScores: readonly MemberPartScores[];
  /** Per bid: parts aggregated across members (points), the price score (0–100) and its points, the total. */
  readonly results: readonly (ComprehensiveResult & { readonly pricePoints: number })[];
  readonly ranking: readonly RankedBid<ComprehensiveResult>[];
  /** Scores far from the median (bidding-core's rule), with the author's written reason if given. */
  readonly outliers: readonly (ScoreOutlier & { readonly reason: string | null })[];
  /** The summary closes only when every outlier is explained. */
  readonly canClose: boolean;
}

const sumPoints = (values: readonly number[]) => values.reduce((sum, v) => sum + Math.round(v * 100), 0) / 100;

function memberPartScores(table: readonly ScoringCriterion[], sheet: ScoreSheet): Result<MemberPartScores> {
  const parts: Record<ScoringPart, number[]> = { technical: [], commercial: [] };
  for (const criterion of table) {
    const given = sheet.points[criterion.id];
    if (given === undefined)
      return fail("EVALUATION.MISSING_SCORE", { memberId: sheet.memberId, bidderId: sheet.bidderId, criterionId: criterion.id });
    const checked = checkCriterionPoints(criterion, given);
    if (!checked.ok)
      return {
        ok: false,
        error: { ...checked.error, params: { ...checked.error.params, memberId: sheet.memberId, bidderId: sheet.bidderId } },
      };
    parts[criterion.part].push(checked.value);
  }
  return {
    ok: true,
    value: {
      memberId: sheet.memberId,
      bidderId: sheet.bidderId,
      technical: sumPoints(parts.technical),
      commercial: sumPoints(parts.commercial),
    },
  };
}

/**
 * 详细评审, comprehensive method: every member's sheet for every bid that passed review is checked
 * against the scoring table; a part's score is aggregated across members on its own points
 * (the table's points are the part's weight); the price score is bidding-core's from the read-out
 * prices and weighs `weights.price` points; rounded where decision 024 says; ranked with
 * bidding-core's tie-breaks.
 */
export function summariseComprehensive(input: {
  readonly table: readonly ScoringCriterion[];
  readonly weights: Weights;
  readonly priceScoring: PriceScoring;
  readonly aggregation: AggregationMethod;
  readonly memberIds: readonly string[];
  /** The bids that passed the review; a sheet for any other bid is refused. */
  readonly bids: readonly EvaluatedBid[];
  readonly sheets: readonly ScoreSheet[];
  readonly outlierThresholdPercent: number;
  readonly outlierReasons?: readonly {
    readonly memberId: string;
    readonly bidderId: string;
    readonly part: string;
    readonly reason: string;
  }[];
}): Result<ComprehensiveSummary> {
  const stranger = checkMembers(input.memberIds, input.sheets);
  if (stranger) return { ok: false, error: stranger };
  const valid = new Set(input.bids.map((b) => b.bidderId));
  const rejected = input.sheets.find((s) => !valid.has(s.bidderId));
  if (rejected) return fail("EVALUATION.BID_REJECTED", { memberId: rejected.memberId, bidderId: rejected.bidderId });
  if (input.bids.length === 0) return fail("EVALUATION.NO_VALID_BIDS");
  const prices = scorePrices(input.bids, input.priceScoring);
  if (!prices.ok) return prices;

  const memberScores: MemberPartScores[] = [];
  for (const bid of input.bids) {
    for (const memberId of input.memberIds) {
      const sheet = input.sheets.find((s) => s.memberId === memberId && s.bidderId === bid.bidderId);
      if (!sheet) return fail("EVALUATION.MISSING_SCORE", { memberId, bidderId: bid.bidderId });
      const scored = memberPartScores(input.table, sheet);
      if (!scored.ok) return scored;
      memberScores.push(scored.value);
    }
  }
  const results = input.bids.map((bid) => {
    const mine = memberScores.filter((s) => s.bidderId === bid.bidderId);
    const technicalScore = aggregateScores(
      mine.map((s) => s.technical),
      input.aggregation,
    );
    const commercialScore = aggregateScores(
      mine.map((s) => s.commercial),
      input.aggregation,
    );
    const priceScore = prices.value.scores.get(bid.bidderId) ?? 0;
    const pricePoints = roundHalfUp((priceScore * input.weights.price) / 100);
    const total = roundHalfUp(technicalScore + commercialScore + pricePoints);
    return { bidderId: bid.bidderId, price: bid.price, technicalScore, commercialScore, priceScore, pricePoints, total };
  });
  const partScores = memberScores.flatMap((s) => [
    { bidderId: s.bidderId, expertId: s.memberId, part: "technical", score: s.technical },
    { bidderId: s.bidderId, expertId: s.memberId, part: "commercial", score: s.commercial },
  ]);
  const outliers = findScoreOutliers(partScores, input.outlierThresholdPercent).map((o) => {
    const given = input.outlierReasons?.find((r) => r.memberId === o.expertId && r.bidderId === o.bidderId && r.part === o.part);
    return { ...o, reason: given?.reason.trim() ? given.reason.trim() : null };
  });
  return {
    ok: true,
    value: {
      benchmark: prices.value.benchmark,
      memberScores,
      results,
      ranking: rankComprehensive(results),
      outliers,
      canClose: outliers.every((o) => o.reason !== null),
    },
  };
}

/** 经评审的最低投标价法: the committee's adjustments per bid, bidding-core's evaluated prices and ranking. */
export function summariseLowestPrice(input: {
  readonly bids: readonly EvaluatedBid[];
  readonly adjustments: readonly { readonly bidderId: string; readonly adjustments: readonly PriceAdjustment[] }[];
}): Result<{ readonly results: readonly LowestPriceResult[]; readonly ranking: readonly RankedBid<LowestPriceResult>[] }> {
  const valid = new Set(input.bids.map((b) => b.bidderId));
  const rejected = input.adjustments.find((a) => !valid.has(a.bidderId));
  if (rejected) return fail("EVALUATION.BID_REJECTED", { bidderId: rejected.bidderId });
  const evaluated = evaluateLowestPrice(
    input.bids.map((b) => ({ ...b, adjustments: input.adjustments.find((a) => a.bidderId === b.bidderId)?.adjustments ?? [] })),
  );
  if (!evaluated.ok) return evaluated;
  return { ok: true, value: { results: evaluated.value, ranking: rankLowestPrice(evaluated.value) } };
}

/** One member's adjustments on one bid, per adjustment rule of the tender, in fen (signed). */
export interface AdjustmentSheet {
  readonly memberId: string;
  readonly bidderId: string;
  readonly amounts: Readonly<Record<string, Fen>>;
}

export interface LowestEvaluatedPriceSummary {
  /** Each member's evaluated price per bid (price + that member's amounts), for the report. */
  readonly memberPrices: readonly { readonly memberId: string; readonly bidderId: string; readonly evaluatedPrice: Fen }[];
  /** Per bid: the committee's amount per rule (aggregated across members) and the evaluated price. */
  readonly results: readonly LowestPriceResult[];
  readonly ranking: readonly RankedBid<LowestPriceResult>[];
  /** No outlier rule in this method (decision 105): always empty, kept so the summary has one shape. */
  readonly outliers: readonly never[];
  readonly canClose: boolean;
}

/**
 * 详细评审, lowest evaluated price method (经评审的最低投标价法, Eval-Rules Arts 30-33): every
 * member's sheet for every remaining bid has an amount for each of the tender's adjustment
 * rules, each within its rule's bounds (`checkAdjustment`); per rule the members' amounts become
 * the committee's by the aggregation method (`aggregateAmounts`); bidding-core evaluates and
 * ranks (lower evaluated price, then lower bid price). No outlier rule (decision 105).
 */
export function summariseLowestEvaluatedPrice(input: {
  readonly rules: readonly AdjustmentRule[];
  readonly aggregation: AggregationMethod;
  readonly memberIds: readonly string[];
  readonly bids: readonly EvaluatedBid[];
  readonly sheets: readonly AdjustmentSheet[];
}): Result<LowestEvaluatedPriceSummary> {
  const stranger = checkMembers(input.memberIds, input.sheets);
  if (stranger) return { ok: false, error: stranger };
  const valid = new Set(input.bids.map((b) => b.bidderId));
  const rejected = input.sheets.find((s) => !valid.has(s.bidderId));
  if (rejected) return fail("EVALUATION.BID_REJECTED", { memberId: rejected.memberId, bidderId: rejected.bidderId });
  if (input.bids.length === 0) return fail("EVALUATION.NO_VALID_BIDS");
  const memberPrices: { memberId: string; bidderId: string; evaluatedPrice: Fen }[] = [];
  const committee: { bidderId: string; adjustments: PriceAdjustment[] }[] = [];
  for (const bid of input.bids) {
    const amounts = new Map<string, Fen[]>();
    for (const memberId of input.memberIds) {
      const sheet = input.sheets.find((s) => s.memberId === memberId && s.bidderId === bid.bidderId);
      if (!sheet) return fail("EVALUATION.MISSING_SCORE", { memberId, bidderId: bid.bidderId });
      let own = bid.price;
      for (const rule of input.rules) {
        const given = sheet.amounts[rule.id];
        if (given === undefined)
          return fail("EVALUATION.MISSING_SCORE", { memberId, bidderId: bid.bidderId, adjustmentId: rule.id });
        const checked = checkAdjustment(rule, given, bid.price);
        if (!checked.ok)
          return {
            ok: false,
            error: { ...checked.error, params: { ...checked.error.params, memberId, bidderId: bid.bidderId } },
          };
        amounts.set(rule.id, [...(amounts.get(rule.id) ?? []), checked.value]);
        own += checked.value;
      }
      memberPrices.push({ memberId, bidderId: bid.bidderId, evaluatedPrice: own });
    }
    committee.push({
      bidderId: bid.bidderId,
      adjustments: input.rules.map((rule) => ({
        reason: rule.factor,
        amount: aggregateAmounts(amounts.get(rule.id) ?? [], input.aggregation),
      })),
    });
  }
  const summary = summariseLowestPrice({ bids: input.bids, adjustments: committee });
  if (!summary.ok) return summary;
  return { ok: true, value: { memberPrices, ...summary.value, outliers: [], canClose: true } };
}

export interface ReportCandidate {
  readonly rank: number;
  readonly bidderId: string;
  /** Still tied after every tie-break: the tenderer settles it as the tender documents say. */
  readonly unresolvedTieWith: readonly string[];
}

/**
 * What the report (评标报告, Regs Art 53) states besides its cover: rejected bids with their
 * reasons, the ranked candidates (at most `maxCandidates`, bidding-core's ranking), and each
 * member's stance (signed, dissent in writing, or deemed to agree).
 */
export function reportData<T extends { readonly bidderId: string }>(input: {
  readonly qualification: readonly ConsolidatedQualification[];
  readonly ranking: readonly RankedBid<T>[];
  readonly maxCandidates: number;
  readonly signatures: readonly { readonly memberId: string; readonly signed: boolean; readonly dissent?: string }[];
}) {
  return {
    rejected: input.qualification.filter((q) => !q.passed).map((q) => ({ bidderId: q.bidderId, failures: q.failures })),
    differences: input.qualification.flatMap((q) => q.differences.map((d) => ({ bidderId: q.bidderId, ...d }))),
    candidates: input.ranking
      .slice(0, input.maxCandidates)
      .map((r): ReportCandidate => ({ rank: r.rank, bidderId: r.bid.bidderId, unresolvedTieWith: r.unresolvedTieWith })),
    stances: input.signatures.map((s) => ({
      memberId: s.memberId,
      stance: signatureStance(s.signed, s.dissent),
      dissent: s.dissent?.trim() || null,
    })),
  };
}
