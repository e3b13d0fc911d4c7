import { err, ok, type Result } from "../errors";
import type { Fen } from "../money";
import { aggregateScores, type AggregationMethod } from "./aggregate";
import { scorePrices, type PricedBid, type PriceScoring } from "./price-score";
import { roundHalfUp } from "./rounding";

/**
 * 综合评估法 (Eval-Rules Arts 34-35): every expert scores the technical and commercial parts of
 * every valid bid on 0–100; the price part is computed by the tender's formula. Each part is
 * aggregated across experts and rounded, then weighted (integer percentages summing to 100):
 * total = (w_t × technical + w_c × commercial + w_p × price) / 100, rounded to 2 decimals.
 */

export interface Weights {
  readonly technical: number;
  readonly commercial: number;
  readonly price: number;
}

export interface ExpertScoreSheet {
  readonly expertId: string;
  readonly bidderId: string;
  readonly technical: number;
  readonly commercial: number;
}

export interface ComprehensiveResult {
  readonly bidderId: string;
  readonly price: Fen;
  readonly technicalScore: number;
  readonly commercialScore: number;
  readonly priceScore: number;
  readonly total: number;
}

export function validateWeights(weights: Weights): Result<Weights> {
  const parts = [weights.technical, weights.commercial, weights.price];
  const valid = parts.every((w) => Number.isInteger(w) && w >= 0);
  if (!valid || parts.reduce((a, b) => a + b, 0) !== 100) {
    return err("EVALUATION.INVALID_WEIGHTS", { ...weights });
  }
  return ok(weights);
}

function sheetFor(sheets: readonly ExpertScoreSheet[], expertId: string, bidderId: string): Result<ExpertScoreSheet> {
  const sheet = sheets.find((s) => s.expertId === expertId && s.bidderId === bidderId);
  if (!sheet) return err("EVALUATION.MISSING_SCORE", { expertId, bidderId });
  const inRange = (x: number) => Number.isFinite(x) && x >= 0 && x <= 100;
  if (!inRange(sheet.technical) || !inRange(sheet.commercial)) {
    return err("EVALUATION.SCORE_OUT_OF_RANGE", { expertId, bidderId });
  }
  return ok(sheet);
}

function collectSheets(
  bidderId: string,
  expertIds: readonly string[],
  sheets: readonly ExpertScoreSheet[],
): Result<ExpertScoreSheet[]> {
  const found: ExpertScoreSheet[] = [];
  for (const expertId of expertIds) {
    const sheet = sheetFor(sheets, expertId, bidderId);
    if (!sheet.ok) return sheet;
    found.push(sheet.value);
  }
  return ok(found);
}

export function evaluateComprehensive(input: {
  readonly bids: readonly PricedBid[];
  readonly expertIds: readonly string[];
  readonly sheets: readonly ExpertScoreSheet[];
  readonly weights: Weights;
  readonly priceScoring: PriceScoring;
  readonly aggregation: AggregationMethod;
}): Result<ComprehensiveResult[]> {
  const weights = validateWeights(input.weights);
  if (!weights.ok) return weights;
  if (input.expertIds.length === 0) return err("EVALUATION.MISSING_SCORE", { reason: "no experts" });
  const prices = scorePrices(input.bids, input.priceScoring);
  if (!prices.ok) return prices;
  const results: ComprehensiveResult[] = [];
  for (const bid of input.bids) {
    const sheets = collectSheets(bid.bidderId, input.expertIds, input.sheets);
    if (!sheets.ok) return sheets;
    const technicalScore = aggregateScores(
      sheets.value.map((s) => s.technical),
      input.aggregation,
    );
    const commercialScore = aggregateScores(
      sheets.value.map((s) => s.commercial),
      input.aggregation,
    );
    const priceScore = prices.value.scores.get(bid.bidderId) ?? 0;
    const { technical: wt, commercial: wc, price: wp } = input.weights;
    const total = roundHalfUp((wt * technicalScore + wc * commercialScore + wp * priceScore) / 100);
    results.push({ bidderId: bid.bidderId, price: bid.price, technicalScore, commercialScore, priceScore, total });
  }
  return ok(results);
}
