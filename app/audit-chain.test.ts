import { canonicalJson, GENESIS_HASH, hashAuditEntry } from "./audit-chain.ts";

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

describe("canonicalJson", () => {
  it("sorts keys at every depth so field order does not change the hash", () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { f: 1, e: 0 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[2,{"e":0,"f":1}]},"b":1}',
    );
  });

  it("writes bigint as a decimal string and drops undefined fields", () => {
    expect(canonicalJson({ n: 12345678901234567890n, u: undefined })).toBe('{"n":"12345678901234567890"}');
  });

  it("refuses non-finite numbers instead of hashing null", () => {
    expect(() => canonicalJson({ x: Number.NaN })).toThrow(/non-finite/);
  });
});

describe("hashAuditEntry", () => {
  it("is a stable SHA-256 hex digest", () => {
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
});
