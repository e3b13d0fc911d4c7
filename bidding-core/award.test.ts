import {
  AWARD_REPORT_DAYS,
  checkAwardChoice,
  checkContract,
  checkDecline,
  checkRetenderAfterDeclines,
  CONTRACT_DAYS,
  isDeclineCause,
  nextCandidate,
  SECURITY_REFUND_DAYS,
} from "./award";
import { securityRefundDueAfterContract } from "./bids";
import { limitWithinDays } from "./deadlines";
import { newTender, transition } from "./lifecycle";
import { defaultProcedureRules } from "./procedure-rules";

const C = [
  { rank: 2, bidderId: "b" },
  { rank: 1, bidderId: "a" },
  { rank: 3, bidderId: "c" },
];
const sh = (local: string) => new Date(`${local}+08:00`);

describe("the award (Regs Art 55)", () => {
  it("Regs Art 55: offers the first candidate, then the next in rank after each decline, then none", () => {
    expect(nextCandidate(C, [])?.bidderId).toBe("a");
    expect(nextCandidate(C, ["a"])?.bidderId).toBe("b");
    expect(nextCandidate(C, ["a", "b"])?.bidderId).toBe("c");
    expect(nextCandidate(C, ["a", "b", "c"])).toBeNull();
  });

  it("Regs Art 55: the first candidate is awarded; a lower one only after every higher one was passed over", () => {
    expect(checkAwardChoice(C, [], "a")).toEqual({ ok: true, value: { rank: 1, bidderId: "a" } });
    const skip = checkAwardChoice(C, [], "b");
    expect(skip.ok).toBe(false);
    if (!skip.ok) {
      expect(skip.error.code).toBe("AWARD.HIGHER_CANDIDATE_PENDING");
      expect(skip.error.article).toBe("Regs Art 55");
      expect(skip.error.params).toEqual({ rank: 2, pending: 1 });
    }
    expect(checkAwardChoice(C, ["a"], "b").ok).toBe(true);
  });

  it("Regs Art 55: refuses a winner who is not a candidate, or one already passed over", () => {
    const outsider = checkAwardChoice(C, [], "z");
    expect(!outsider.ok && outsider.error.code).toBe("AWARD.NOT_A_CANDIDATE");
    const declined = checkAwardChoice(C, ["a"], "a");
    expect(!declined.ok && declined.error.code).toBe("AWARD.CANDIDATE_PASSED_OVER");
  });

  it("Regs Art 55: candidates are passed over in rank order only, each once", () => {
    expect(checkDecline(C, [], "a").ok).toBe(true);
    const outOfOrder = checkDecline(C, [], "c");
    expect(!outOfOrder.ok && outOfOrder.error.code).toBe("AWARD.HIGHER_CANDIDATE_PENDING");
    const twice = checkDecline(C, ["a"], "a");
    expect(!twice.ok && twice.error.code).toBe("AWARD.CANDIDATE_PASSED_OVER");
    const outsider = checkDecline(C, [], "z");
    expect(!outsider.ok && outsider.error.code).toBe("AWARD.NOT_A_CANDIDATE");
  });

  it("Regs Art 55: a re-tender only once every candidate was passed over", () => {
    const early = checkRetenderAfterDeclines(C, ["a"]);
    expect(!early.ok && early.error.code).toBe("AWARD.CANDIDATE_LEFT");
    expect(checkRetenderAfterDeclines(C, ["a", "b", "c"]).ok).toBe(true);
    expect(isDeclineCause("no-performance-security")).toBe(true);
    expect(isDeclineCause("bored")).toBe(false);
  });

  it("Regs Art 55: the lifecycle lets a tender in publicity be re-tendered, and not an awarded one", () => {
    const publicity = { ...newTender(defaultProcedureRules("works", true)), status: "publicity" as const };
    const re = transition(publicity, { type: "retender" }, sh("2026-03-01T10:00"));
    expect(re.ok && re.value.status).toBe("retendered");
    const awarded = transition({ ...publicity, status: "awarded" }, { type: "retender" }, sh("2026-03-01T10:00"));
    expect(!awarded.ok && awarded.error.code).toBe("TENDER.INVALID_TRANSITION");
  });
});

describe("after the award (TBL Arts 46-47, Regs Art 57)", () => {
  const noticeAt = sh("2026-04-10T15:00");
  const now = sh("2026-04-20T09:00");

  it("TBL Arts 46-47, Regs Art 57: 30, 15 and 5 days", () => {
    expect([CONTRACT_DAYS, AWARD_REPORT_DAYS, SECURITY_REFUND_DAYS]).toEqual([30, 15, 5]);
    const signed = sh("2026-04-15T10:00");
    expect(securityRefundDueAfterContract(signed).value).toEqual(limitWithinDays(signed, SECURITY_REFUND_DAYS).value);
  });

  it("TBL Art 46, Regs Art 57: a contract on or after the notice, not in the future, at the winning price", () => {
    expect(checkContract({ signedOn: "2026-04-10", amount: 865_000_000n, awardPrice: 865_000_000n, noticeAt, now })).toEqual({
      ok: true,
      value: { signedOn: "2026-04-10" },
    });
    const before = checkContract({ signedOn: "2026-04-09", amount: 1n, awardPrice: null, noticeAt, now });
    expect(!before.ok && before.error.code).toBe("AWARD.CONTRACT_BEFORE_NOTICE");
    const future = checkContract({ signedOn: "2026-04-21", amount: 1n, awardPrice: null, noticeAt, now });
    expect(!future.ok && future.error.code).toBe("AWARD.CONTRACT_IN_FUTURE");
    const price = checkContract({ signedOn: "2026-04-12", amount: 865_000_001n, awardPrice: 865_000_000n, noticeAt, now });
    expect(!price.ok && price.error).toMatchObject({
      code: "AWARD.CONTRACT_PRICE_MISMATCH",
      article: "TBL Art 46 / Regs Art 57",
      params: { amount: "8650000.01", price: "8650000.00" },
    });
    const bad = checkContract({ signedOn: "2026-02-30", amount: 1n, awardPrice: null, noticeAt, now });
    expect(!bad.ok && bad.error.code).toBe("CALENDAR.INVALID_DATE");
  });
});
