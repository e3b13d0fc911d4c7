import { median } from "./aggregate";
import { roundHalfUp } from "./rounding";

/**
 * An alert, not a correction: when one expert's score for a bid differs from the committee's
 * median by more than `thresholdPercent` of that median, the committee chair and supervisor see
 * it (评分畸高畸低 alerts, cf. Regs Art 49 on independent, fair evaluation). A median of 0 makes
 * any non-zero score an outlier.
 */
export interface ScoreOutlier {
  readonly bidderId: string;
  readonly expertId: string;
  readonly part: string;
  readonly score: number;
  readonly median: number;
  /** |score − median| / median in percent, 2 decimals; Infinity when the median is 0. */
  readonly deviationPercent: number;
}

export interface ExpertPartScore {
  readonly bidderId: string;
  readonly expertId: string;
  readonly part: string;
  readonly score: number;
}

export function findScoreOutliers(scores: readonly ExpertPartScore[], thresholdPercent: number): ScoreOutlier[] {
  const groups = new Map<string, ExpertPartScore[]>();
  for (const s of scores) {
    const key = JSON.stringify([s.bidderId, s.part]);
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  const outliers: ScoreOutlier[] = [];
  for (const group of groups.values()) {
    const m = median(group.map((s) => s.score));
    for (const s of group) {
      const deviation = m === 0 ? (s.score === 0 ? 0 : Infinity) : (Math.abs(s.score - m) / m) * 100;
      if (deviation > thresholdPercent) {
        const deviationPercent = Number.isFinite(deviation) ? roundHalfUp(deviation) : deviation;
        outliers.push({ ...s, median: m, deviationPercent });
      }
    }
  }
  return outliers;
}
