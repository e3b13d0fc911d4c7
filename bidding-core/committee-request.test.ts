import { avoidanceReasons, type AvoidanceContext, type ExpertProfile } from "./avoidance";
import {
  canonicalPool,
  checkPublishedDraw,
  drawSeed,
  drawTime,
  poolHash,
  poolShortfalls,
  validateCommitteeRequest,
  type PublishedDraw,
} from "./committee-request";
import { commitSeed, rerunDraw, type EligibleExpert } from "./expert-draw";
import { defaultProcedureRules } from "./procedure-rules";
import { COMMITTEE_REQUEST_STATUSES } from "./status-sets";
import { toHex } from "./random";

const rules = defaultProcedureRules("works", true);
const req = (specialty: string, count: number, reserves = 1) => ({ specialty, count, reserves });

describe("committee request (抽取申请)", () => {
  it("TBL Art 37: 5 experts in two specialties is a lawful committee", () => {
    expect(validateCommitteeRequest({ requirements: [req("A", 3), req("B", 2)], representatives: 0 }, rules)).toEqual({
      ok: true,
      value: { size: 5, experts: 5 },
    });
    expect(validateCommitteeRequest({ requirements: [req("A", 4)], representatives: 1 }, rules)).toMatchObject({
      ok: true,
      value: { size: 5, experts: 4 },
    });
  });

  it("TBL Art 37: a committee of 4 is refused as even, one of 3 as too small", () => {
    expect(validateCommitteeRequest({ requirements: [req("A", 4)], representatives: 0 }, rules)).toMatchObject({
      ok: false,
      error: { code: "COMMITTEE.EVEN_SIZE", article: "TBL Art 37" },
    });
    expect(validateCommitteeRequest({ requirements: [req("A", 3)], representatives: 0 }, rules)).toMatchObject({
      ok: false,
      error: { code: "COMMITTEE.TOO_SMALL", article: "TBL Art 37" },
    });
  });

  it("TBL Art 37: 5 members with 3 experts is refused (experts below two thirds)", () => {
    expect(validateCommitteeRequest({ requirements: [req("A", 3)], representatives: 2 }, rules)).toMatchObject({
      ok: false,
      error: { code: "COMMITTEE.TOO_FEW_EXPERTS", article: "TBL Art 37" },
    });
  });

  it("Regs Art 46: a specialty asked twice or with no seat is refused", () => {
    expect(validateCommitteeRequest({ requirements: [req("A", 3), req("A", 2)], representatives: 0 }, rules)).toMatchObject({
      ok: false,
      error: { code: "DRAW.INVALID_REQUIREMENT" },
    });
    expect(validateCommitteeRequest({ requirements: [req("A", 5), req("B", 0)], representatives: 0 }, rules)).toMatchObject({
      ok: false,
      error: { code: "DRAW.INVALID_REQUIREMENT" },
    });
  });
});

describe("when a request may be made", () => {
  it("TBL Art 37: from publication until the opening, never for a draft or a decided tender", () => {
    expect(COMMITTEE_REQUEST_STATUSES).toEqual(["published", "clarification", "bidding-closed", "opening", "opened"]);
  });
});

describe("draw time", () => {
  const deadline = new Date("2030-01-10T02:00:00Z");
  it("TBL Art 34: evaluation after the deadline; the draw no earlier than the lead time before it, never before the deadline", () => {
    const start = new Date(deadline.getTime() + 72 * 3600_000);
    expect(drawTime({ bidDeadline: deadline, evaluationStart: start, leadHours: 24 })).toEqual({
      ok: true,
      value: new Date(start.getTime() - 24 * 3600_000),
    });
    const soon = new Date(deadline.getTime() + 3600_000);
    expect(drawTime({ bidDeadline: deadline, evaluationStart: soon, leadHours: 24 })).toEqual({ ok: true, value: deadline });
    expect(drawTime({ bidDeadline: deadline, evaluationStart: deadline, leadHours: 24 })).toMatchObject({
      ok: false,
      error: { code: "DRAW.EVALUATION_BEFORE_DEADLINE", article: "TBL Art 34" },
    });
  });
});

const pool: EligibleExpert[] = [
  ...Array.from({ length: 6 }, (_, i) => ({ id: `a${i}`, specialties: ["A"] })),
  ...Array.from({ length: 3 }, (_, i) => ({ id: `b${i}`, specialties: ["B"] })),
];

describe("pool shortfall", () => {
  it("Regs Art 46: says how many are missing per specialty; never fills from another", () => {
    expect(poolShortfalls(pool, [req("A", 3, 2), req("B", 2, 2)])).toEqual([
      { specialty: "B", needed: 4, available: 3, missing: 1 },
    ]);
    expect(poolShortfalls(pool, [req("A", 3, 2), req("B", 2, 1)])).toEqual([]);
  });
});

describe("published draw check (Regs Art 46)", () => {
  const secret = Uint8Array.from({ length: 32 }, (_, i) => i * 7);
  const mixHex = "ab".repeat(32);
  const requirements = [req("A", 3, 2), req("B", 2, 1)];
  const seed = drawSeed(secret, mixHex)!;
  const drawn = rerunDraw({ eligible: pool, requirements, seed });
  if (!drawn.ok) throw new Error("fixture");
  const published: PublishedDraw = {
    commitment: commitSeed(secret),
    poolHash: poolHash(pool),
    secretHex: toHex(secret),
    mixHex,
    eligible: pool,
    requirements,
    ...drawn.value,
  };

  it("recomputes the same committee in the same order", () => {
    expect(checkPublishedDraw(published)).toMatchObject({ matches: true, members: drawn.value.members });
  });

  it("a tampered seed, pool or result does not match and says where", () => {
    expect(checkPublishedDraw({ ...published, secretHex: toHex(secret.map((b) => b ^ 1)) })).toMatchObject({
      matches: false,
      failure: "seed-commitment",
    });
    expect(checkPublishedDraw({ ...published, eligible: pool.slice(1) })).toMatchObject({ matches: false, failure: "pool-hash" });
    expect(checkPublishedDraw({ ...published, mixHex: "cd".repeat(32) }).matches).toBe(false);
    const swapped = [drawn.value.members[1]!, drawn.value.members[0]!, ...drawn.value.members.slice(2)];
    expect(checkPublishedDraw({ ...published, members: swapped })).toMatchObject({
      matches: false,
      failure: "members",
      position: 1,
    });
  });

  it("the canonical pool ignores input order and duplicates", () => {
    expect(canonicalPool([...pool].reverse().concat(pool[0]!))).toBe(canonicalPool(pool));
    expect(canonicalPool([{ id: "x", specialties: ["B", "A"] }])).toBe('[{"id":"x","specialties":["A","B"]}]');
  });
});

describe("avoidance additions", () => {
  const context: AvoidanceContext = {
    tendererId: "T",
    agentId: "G",
    bidderIds: ["B1"],
    supervisingDepartmentIds: [],
    drawDate: "2030-01-10",
    sameTendererCooldownDays: 0,
  };
  const clean: ExpertProfile = {
    id: "e",
    specialties: ["A"],
    employerIds: ["U"],
    relativeOfBidderIds: [],
    economicInterestBidderIds: [],
    penalised: false,
    service: [],
  };
  it("Eval-Rules Art 12: the agent's staff and a suspended expert are excluded", () => {
    expect(avoidanceReasons({ ...clean, employerIds: ["G"] }, context)).toEqual(["employed-by-agent"]);
    expect(avoidanceReasons({ ...clean, suspended: true }, context)).toEqual(["suspended"]);
    expect(avoidanceReasons(clean, context)).toEqual([]);
  });
});
