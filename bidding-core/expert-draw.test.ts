import fc from "fast-check";
import type { AvoidanceContext, ExpertProfile } from "./avoidance";
import { commitSeed, drawExperts, nextReserve, rerunDraw, verifySeed, type DrawRequirement } from "./expert-draw";
import { fromHex, toHex, utf8 } from "./random";

const context: AvoidanceContext = {
  tendererId: "T",
  bidderIds: ["B1", "B2", "B3"],
  supervisingDepartmentIds: ["D1"],
  drawDate: "2025-03-23",
  sameTendererCooldownDays: 90,
};

function profile(id: string, specialties: string[], conflict: Partial<ExpertProfile> = {}): ExpertProfile {
  return {
    id,
    specialties,
    employerIds: [],
    relativeOfBidderIds: [],
    economicInterestBidderIds: [],
    penalised: false,
    service: [],
    ...conflict,
  };
}

const pool: ExpertProfile[] = [
  ...Array.from({ length: 8 }, (_, i) => profile(`s${i}`, ["结构"])),
  ...Array.from({ length: 6 }, (_, i) => profile(`c${i}`, ["造价"])),
  profile("x1", ["结构"], { employerIds: ["B1"] }),
  profile("x2", ["造价"], { penalised: true }),
];
const requirements: DrawRequirement[] = [
  { specialty: "结构", count: 3, reserves: 2 },
  { specialty: "造价", count: 2, reserves: 1 },
];
const seedHex = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
const commitment = commitSeed(fromHex(seedHex)!);

describe("seed commitment", () => {
  it("Regs Art 46: the commitment is hex SHA-256 of the seed bytes", () => {
    expect(commitSeed(utf8("abc"))).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(verifySeed(seedHex, commitment.toUpperCase())).toEqual({ ok: true, value: fromHex(seedHex) });
  });

  it("Regs Art 46: refuses a revealed seed that does not match the commitment", () => {
    const other = "ff" + seedHex.slice(2);
    expect(verifySeed(other, commitment)).toMatchObject({
      ok: false,
      error: { code: "DRAW.COMMITMENT_MISMATCH", article: "Regs Art 46" },
    });
  });

  it("Regs Art 46: refuses a seed shorter than 16 bytes or not hex", () => {
    expect(verifySeed("abcd", commitSeed(fromHex("abcd")!))).toMatchObject({ ok: false, error: { code: "DRAW.INVALID_SEED" } });
    expect(verifySeed("zz", commitment)).toMatchObject({ ok: false, error: { code: "DRAW.INVALID_SEED" } });
  });
});

describe("expert draw", () => {
  const draw = drawExperts({ pool, context, requirements, seedHex, commitment });

  it("Regs Art 46: draws members and reserves per specialty, excluding avoided experts with reasons", () => {
    expect(draw.ok).toBe(true);
    if (!draw.ok) return;
    expect(draw.value.members.filter((m) => m.specialty === "结构")).toHaveLength(3);
    expect(draw.value.members.filter((m) => m.specialty === "造价")).toHaveLength(2);
    expect(draw.value.reserves).toHaveLength(3);
    expect(draw.value.excluded).toEqual([
      { expertId: "x1", reasons: ["employed-by-bidder"] },
      { expertId: "x2", reasons: ["past-penalty"] },
    ]);
    expect(draw.value.commitment).toBe(commitment);
  });

  it("Regs Art 46: anyone re-running the published eligible list with the revealed seed gets the same draw", () => {
    if (!draw.ok) throw new Error("draw failed");
    const rerun = rerunDraw({ eligible: [...draw.value.eligible].reverse(), requirements, seed: fromHex(seedHex)! });
    expect(rerun).toEqual({ ok: true, value: { members: draw.value.members, reserves: draw.value.reserves } });
  });

  it("Regs Art 46: matches the independent Python reference in docs/bidding-core/expert-draw.md", () => {
    if (!draw.ok) throw new Error("draw failed");
    const ids = (list: readonly { expertId: string }[]) => list.map((m) => m.expertId);
    expect(ids(draw.value.members)).toEqual(["s7", "s6", "s4", "c5", "c1"]);
    expect(ids(draw.value.reserves)).toEqual(["s0", "s2", "c3"]);
  });

  it("Regs Art 46: refuses when the eligible pool cannot fill seats and reserves", () => {
    const big = drawExperts({ pool, context, requirements: [{ specialty: "造价", count: 5, reserves: 2 }], seedHex, commitment });
    expect(big).toMatchObject({
      ok: false,
      error: { code: "DRAW.POOL_TOO_SMALL", params: { specialty: "造价", needed: 7, available: 6 } },
    });
    expect(drawExperts({ pool, context, requirements, seedHex, commitment: "00" })).toMatchObject({ ok: false });
    const negative = drawExperts({
      pool,
      context,
      requirements: [{ specialty: "造价", count: -1, reserves: 0 }],
      seedHex,
      commitment,
    });
    expect(negative).toMatchObject({ ok: false, error: { code: "DRAW.INVALID_REQUIREMENT" } });
  });

  it("Regs Art 48: a recusing member is replaced by the next unused reserve of the same specialty", () => {
    if (!draw.ok) throw new Error("draw failed");
    const [first, second] = draw.value.reserves.filter((r) => r.specialty === "结构");
    expect(nextReserve(draw.value, "结构", [])).toEqual(first);
    expect(nextReserve(draw.value, "结构", [first!.expertId])).toEqual(second);
    expect(nextReserve(draw.value, "结构", [first!.expertId, second!.expertId])).toBeUndefined();
  });
});

describe("expert draw invariants (property-based)", () => {
  const specialties = ["结构", "造价", "电气"];
  const expertArb = fc.record({
    id: fc.string({ minLength: 1, maxLength: 4 }),
    specialties: fc.subarray(specialties, { minLength: 1 }),
    employerIds: fc.subarray(["B1", "B2", "U1", "D1", "T"], { maxLength: 1 }),
    relativeOfBidderIds: fc.subarray(["B1", "B3"], { maxLength: 1 }),
    economicInterestBidderIds: fc.constant([] as string[]),
    penalised: fc.boolean(),
    service: fc.constant([] as { tendererId: string; date: string }[]),
  });
  const poolArb = fc.uniqueArray(expertArb, { selector: (e) => e.id, minLength: 5, maxLength: 40 });
  const seedArb = fc.uint8Array({ minLength: 16, maxLength: 32 }).map(toHex);
  const reqs: DrawRequirement[] = [
    { specialty: "结构", count: 2, reserves: 1 },
    { specialty: "造价", count: 1, reserves: 1 },
  ];
  const run = (experts: ExpertProfile[], seed: string) =>
    drawExperts({ pool: experts, context, requirements: reqs, seedHex: seed, commitment: commitSeed(fromHex(seed)!) });

  it("Eval-Rules Art 12: a draw never picks an avoided expert", () => {
    fc.assert(
      fc.property(poolArb, seedArb, (experts, seed) => {
        const result = run(experts, seed);
        if (!result.ok) return result.error.code === "DRAW.POOL_TOO_SMALL";
        const excluded = new Set(result.value.excluded.map((e) => e.expertId));
        return [...result.value.members, ...result.value.reserves].every((m) => !excluded.has(m.expertId));
      }),
    );
  });

  it("Regs Art 46: a draw never repeats an expert", () => {
    fc.assert(
      fc.property(poolArb, seedArb, (experts, seed) => {
        const result = run(experts, seed);
        if (!result.ok) return result.error.code === "DRAW.POOL_TOO_SMALL";
        const ids = [...result.value.members, ...result.value.reserves].map((m) => m.expertId);
        return new Set(ids).size === ids.length;
      }),
    );
  });

  it("Regs Art 46: the same seed gives the same draw, whatever the pool's order", () => {
    fc.assert(
      fc.property(poolArb, seedArb, (experts, seed) => {
        expect(run([...experts].reverse(), seed)).toEqual(run(experts, seed));
      }),
    );
  });
});
