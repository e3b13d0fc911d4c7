import { auditSafe, GENESIS_HASH, hashAuditEntry } from "./audit-chain.ts";

const base = {
  seq: 1n,
  at: new Date("2026-11-21T00:00:00.000Z"),
  actorId: "u1",
  action: "tender.published",
  subjectType: "Tender",
  subjectId: "t1",
  data: { code: "MZ-1", price: "100" },
  prevHash: GENESIS_HASH,
};

describe("audit entry hashing", () => {
  it("is a stable SHA-256 hex digest, independent of field order", () => {
    const h = hashAuditEntry(base);
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(hashAuditEntry({ ...base, data: { price: "100", code: "MZ-1" } })).toBe(h);
  });

  it.each([
    ["seq", { seq: 2n }],
    ["at", { at: new Date("2026-11-21T00:00:00.001Z") }],
    ["actorId", { actorId: "u2" }],
    ["action", { action: "tender.cancelled" }],
    ["subjectId", { subjectId: "t2" }],
    ["data", { data: { code: "MZ-1", price: "101" } }],
    ["prevHash", { prevHash: "f".repeat(64) }],
  ])("changes when %s changes", (_field, change) => {
    expect(hashAuditEntry({ ...base, ...change })).not.toBe(hashAuditEntry(base));
  });

  it("stores money and fractions as decimal strings so hashing never meets a float", () => {
    expect(auditSafe({ fen: 12345678901234567890n, ratio: 0.25, n: 3, gone: undefined })).toEqual({
      fen: "12345678901234567890",
      ratio: "0.25",
      n: 3,
    });
    expect(() => hashAuditEntry({ ...base, data: auditSafe({ ratio: 1.5 }) })).not.toThrow();
  });
});
