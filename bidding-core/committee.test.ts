import { evaluationTimeMustBeExtended, signatureStance, validateCommittee, type CommitteeMember } from "./committee";
import { defaultProcedureRules } from "./procedure-rules";

const rules = defaultProcedureRules("works", true);
const expert = (id: string, ...specialties: string[]): CommitteeMember => ({ id, role: "expert", specialties });
const rep = (id: string): CommitteeMember => ({ id, role: "tenderer-representative", specialties: [] });
const five = [expert("e1", "结构"), expert("e2", "造价"), expert("e3", "结构"), expert("e4", "电气"), rep("r1")];
const code = (members: CommitteeMember[], requirements = [{ specialty: "结构", count: 2 }]) => {
  const result = validateCommittee({ members, requirements, rules });
  return result.ok ? "ok" : result.error.code;
};

describe("committee composition", () => {
  it("TBL Art 37: accepts 5 members with 4 experts covering the required specialties", () => {
    expect(code(five)).toBe("ok");
  });

  it("TBL Art 37: refuses an even committee", () => {
    expect(code([...five, expert("e5", "造价")])).toBe("COMMITTEE.EVEN_SIZE");
  });

  it("TBL Art 37: refuses fewer than 5 members", () => {
    expect(code(five.slice(0, 3))).toBe("COMMITTEE.TOO_SMALL");
  });

  it("TBL Art 37: refuses experts below two thirds", () => {
    expect(code([expert("e1", "结构"), expert("e2", "结构"), expert("e3"), rep("r1"), rep("r2")])).toBe(
      "COMMITTEE.TOO_FEW_EXPERTS",
    );
    expect(
      code([expert("e1", "结构"), expert("e2", "结构"), expert("e3"), expert("e4"), expert("e5"), rep("r1"), rep("r2")]),
    ).toBe("ok");
  });

  it("Regs Art 46: refuses a committee lacking a specialty the tender requires", () => {
    expect(code(five, [{ specialty: "电气", count: 2 }])).toBe("COMMITTEE.MISSING_SPECIALTY");
  });

  it("TBL Art 37: refuses a member listed twice", () => {
    expect(code([...five.slice(0, 4), expert("e1")])).toBe("COMMITTEE.DUPLICATE_MEMBER");
  });

  it("Eval-Rules Art 12: refuses a member with an avoidance reason, but not the tenderer's own representative", () => {
    const context = {
      tendererId: "T",
      bidderIds: ["B1"],
      supervisingDepartmentIds: [],
      drawDate: "2025-03-23",
      sameTendererCooldownDays: 0,
    };
    const profile = (id: string, employerIds: string[]) => ({
      id,
      specialties: [],
      employerIds,
      relativeOfBidderIds: [],
      economicInterestBidderIds: [],
      penalised: false,
      service: [],
    });
    const run = (profiles: ReturnType<typeof profile>[]) => {
      const result = validateCommittee({ members: five, requirements: [], rules, avoidance: { context, profiles } });
      return result.ok ? "ok" : result.error;
    };
    expect(run([profile("r1", ["T"]), profile("e1", ["U"])])).toBe("ok");
    expect(run([profile("e2", ["B1"])])).toMatchObject({
      code: "COMMITTEE.AVOIDED_MEMBER",
      params: { memberId: "e2", reasons: "employed-by-bidder" },
    });
    expect(run([profile("e3", ["T"])])).toMatchObject({
      code: "COMMITTEE.AVOIDED_MEMBER",
      params: { reasons: "employed-by-tenderer" },
    });
  });

  it("Regs Art 48: more than one third asking extends the evaluation time", () => {
    expect(evaluationTimeMustBeExtended(2, 5)).toBe(true);
    expect(evaluationTimeMustBeExtended(1, 5)).toBe(false);
    expect(evaluationTimeMustBeExtended(3, 9)).toBe(false);
  });

  it("Regs Art 53: refusing to sign without written reasons counts as agreeing", () => {
    expect(signatureStance(false, undefined)).toBe("deemed-to-agree");
    expect(signatureStance(false, "  ")).toBe("deemed-to-agree");
    expect(signatureStance(false, "价格分计算有误")).toBe("dissents");
    expect(signatureStance(true, "价格分计算有误")).toBe("dissents");
    expect(signatureStance(true, undefined)).toBe("agrees");
  });
});
