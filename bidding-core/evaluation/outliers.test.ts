import { findScoreOutliers } from "./outliers";

const sheet = (expertId: string, score: number, bidderId = "B1", part = "technical") => ({ bidderId, expertId, part, score });

describe("score outlier alerts", () => {
  it("Regs Art 49: alerts when an expert strays more than the set share from the median", () => {
    const scores = [sheet("e1", 80), sheet("e2", 82), sheet("e3", 81), sheet("e4", 60), sheet("e5", 83), sheet("e1", 50, "B2")];
    expect(findScoreOutliers(scores, 20)).toEqual([
      { bidderId: "B1", expertId: "e4", part: "technical", score: 60, median: 81, deviationPercent: 25.93 },
    ]);
    expect(findScoreOutliers(scores, 30)).toEqual([]);
  });

  it("Regs Art 49: with a median of 0 any non-zero score is an outlier", () => {
    const scores = [sheet("e1", 0), sheet("e2", 0), sheet("e3", 5)];
    expect(findScoreOutliers(scores, 50)).toMatchObject([{ expertId: "e3", deviationPercent: Infinity }]);
  });
});
