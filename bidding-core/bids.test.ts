import {
  acceptBid,
  checkBidChange,
  checkBidSecurity,
  checkPerformanceSecurity,
  maxBidSecurity,
  securityRefundDueAfterContract,
  withdrawBid,
} from "./bids";
import { defaultProcedureRules } from "./procedure-rules";

const sh = (local: string) => new Date(`${local}+08:00`);
const rules = defaultProcedureRules("goods", true);
const deadline = sh("2025-03-22T09:30");
const submission = { bidderId: "b1", receivedAt: sh("2025-03-22T09:29:59.999"), encrypted: true, holdsDocuments: true };
const code = (r: { ok: boolean; error?: { code: string } }) => (r.ok ? "ok" : r.error!.code);

describe("bid acceptance", () => {
  it("Regs Art 36: accepts an encrypted bid before the deadline and gives a receipt", () => {
    expect(acceptBid(submission, deadline)).toEqual({ ok: true, value: { bidderId: "b1", receivedAt: submission.receivedAt } });
  });

  it("Regs Art 36: refuses a bid arriving at or after the deadline by the server clock", () => {
    const late = acceptBid({ ...submission, receivedAt: deadline }, deadline);
    expect(late).toMatchObject({
      ok: false,
      error: { code: "BID.AFTER_DEADLINE", article: "Regs Art 36", params: { bidderId: "b1" } },
    });
  });

  it("Regs Art 36, E-Measures Art 27: refuses an unencrypted bid", () => {
    expect(code(acceptBid({ ...submission, encrypted: false }, deadline))).toBe("BID.NOT_ENCRYPTED");
  });

  it("E-Measures Art 26: refuses a bid from someone who never obtained the documents", () => {
    expect(code(acceptBid({ ...submission, holdsDocuments: false }, deadline))).toBe("BID.NO_DOCUMENTS");
  });
});

describe("change and withdrawal", () => {
  it("TBL Art 29: a bid may be changed before the deadline, not after", () => {
    expect(code(checkBidChange(sh("2025-03-22T09:00"), deadline))).toBe("ok");
    expect(code(checkBidChange(deadline, deadline))).toBe("BID.AFTER_DEADLINE");
  });

  it("Regs Art 35: withdrawal before the deadline refunds the security within 5 days", () => {
    const result = withdrawBid({ at: sh("2025-03-17T10:00"), bidDeadline: deadline, alreadyWithdrawn: false });
    expect(result).toEqual({
      ok: true,
      value: {
        kind: "withdrawn",
        securityRefundDue: { value: sh("2025-03-24T23:59:59.999"), provisional: false, provisionalYears: [] },
      },
    });
  });

  it("Regs Art 35: revocation after the deadline lets the tenderer keep the security", () => {
    const result = withdrawBid({ at: sh("2025-03-22T10:00"), bidDeadline: deadline, alreadyWithdrawn: false });
    expect(result).toEqual({ ok: true, value: { kind: "revoked", securityMayBeRetained: true } });
  });

  it("TBL Art 29: refuses to withdraw a bid twice", () => {
    expect(code(withdrawBid({ at: sh("2025-03-17T10:00"), bidDeadline: deadline, alreadyWithdrawn: true }))).toBe(
      "BID.ALREADY_WITHDRAWN",
    );
  });
});

describe("securities", () => {
  const validity = { securityValidUntil: sh("2025-06-20T17:00"), bidValidUntil: sh("2025-06-20T23:00"), rules };

  it("Regs Art 26: bid security is at most 2% of the estimated price, exact to the fen", () => {
    expect(maxBidSecurity(1_234_567_89n, rules)).toBe(2_469_135n);
    expect(code(checkBidSecurity({ amount: 2_469_135n, estimatedPrice: 1_234_567_89n, ...validity }))).toBe("ok");
    const over = checkBidSecurity({ amount: 2_469_136n, estimatedPrice: 1_234_567_89n, ...validity });
    expect(over).toMatchObject({
      ok: false,
      error: { code: "BID.SECURITY_TOO_HIGH", article: "Regs Art 26", params: { cap: "2469135" } },
    });
    expect(code(checkBidSecurity({ amount: -1n, estimatedPrice: 100n, ...validity }))).toBe("BID.SECURITY_TOO_HIGH");
  });

  it("Regs Art 26: a stricter procedure cap applies", () => {
    const stricter = { ...validity, rules: { ...rules, maxBidSecurityBasisPoints: 100 } };
    expect(code(checkBidSecurity({ amount: 1_500n, estimatedPrice: 100_000n, ...stricter }))).toBe("BID.SECURITY_TOO_HIGH");
  });

  it("Regs Art 26: the security is valid exactly as long as the bid", () => {
    const mismatch = checkBidSecurity({
      amount: 1n,
      estimatedPrice: 100_00n,
      ...validity,
      securityValidUntil: sh("2025-06-19T17:00"),
    });
    expect(code(mismatch)).toBe("BID.SECURITY_VALIDITY_MISMATCH");
  });

  it("Regs Art 57: the security is refunded within 5 days of signing the contract", () => {
    expect(securityRefundDueAfterContract(sh("2025-05-06T10:00")).value).toEqual(sh("2025-05-12T23:59:59.999"));
  });

  it("Regs Art 58: performance security at most 10% of the contract price", () => {
    expect(code(checkPerformanceSecurity(1_000n, 10_000n))).toBe("ok");
    expect(code(checkPerformanceSecurity(1_001n, 10_000n))).toBe("BID.PERFORMANCE_SECURITY_TOO_HIGH");
  });
});
