import { avoidanceReasons, type AvoidanceContext, type ExpertProfile } from "./avoidance";

const context: AvoidanceContext = {
  tendererId: "T",
  bidderIds: ["B1", "B2"],
  supervisingDepartmentIds: ["D1"],
  drawDate: "2025-03-23",
  sameTendererCooldownDays: 90,
};
const clean: ExpertProfile = {
  id: "e1",
  specialties: ["结构"],
  employerIds: ["U9"],
  relativeOfBidderIds: [],
  economicInterestBidderIds: [],
  penalised: false,
  service: [],
};

describe("avoidance (回避)", () => {
  it("Eval-Rules Art 12: an expert with no conflict need not withdraw", () => {
    expect(avoidanceReasons(clean, context)).toEqual([]);
  });

  it("Eval-Rules Art 12: excludes a bidder's employee and a close relative of a bidder's principal", () => {
    expect(avoidanceReasons({ ...clean, employerIds: ["B2"] }, context)).toEqual(["employed-by-bidder"]);
    expect(avoidanceReasons({ ...clean, relativeOfBidderIds: ["B1"] }, context)).toEqual(["relative-of-bidder"]);
  });

  it("Regs Art 46: excludes officials of the supervising departments and the tenderer's staff", () => {
    expect(avoidanceReasons({ ...clean, employerIds: ["D1"] }, context)).toEqual(["supervising-official"]);
    expect(avoidanceReasons({ ...clean, employerIds: ["T"] }, context)).toEqual(["employed-by-tenderer"]);
  });

  it("Eval-Rules Art 12: excludes economic interest and past penalties", () => {
    expect(avoidanceReasons({ ...clean, economicInterestBidderIds: ["B1"] }, context)).toEqual(["economic-interest"]);
    expect(avoidanceReasons({ ...clean, penalised: true }, context)).toEqual(["past-penalty"]);
  });

  it("Regs Art 46: excludes an expert who recently served the same tenderer, not one who served long ago or elsewhere", () => {
    const served = (tendererId: string, date: string) => ({ ...clean, service: [{ tendererId, date }] });
    expect(avoidanceReasons(served("T", "2025-01-10"), context)).toEqual(["recently-served-tenderer"]);
    expect(avoidanceReasons(served("T", "2024-12-23"), context)).toEqual([]);
    expect(avoidanceReasons(served("X", "2025-03-01"), context)).toEqual([]);
  });
});
