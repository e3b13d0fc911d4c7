import { buildOpeningRecord, canonicalJson, decideOpening, decryptionOutcome, type OpenedBid } from "./opening";
import { defaultProcedureRules } from "./procedure-rules";

const sh = (local: string) => new Date(`${local}+08:00`);
const rules = defaultProcedureRules("works", true);
const readOutItems = [
  { key: "duration", label: "工期" },
  { key: "quality", label: "质量标准" },
];

const bid = (id: string, at: string, extra: Partial<OpenedBid> = {}): OpenedBid => ({
  bidderId: id,
  bidderName: `投标人${id}`,
  receivedAt: sh(at),
  attempt: { kind: "decrypted" },
  price: 100_000_00n,
  items: { duration: "180日历天", quality: "合格" },
  ...extra,
});

describe("opening decision", () => {
  it("Regs Art 44: fewer than 3 bids are not opened (流标)", () => {
    expect(decideOpening(2, rules)).toEqual({ kind: "failed", bidCount: 2, required: 3 });
    expect(decideOpening(3, rules)).toEqual({ kind: "open", bidCount: 3 });
  });
});

describe("decryption outcomes", () => {
  it("E-Measures Art 31: a failure caused by the bidder counts as revoked (撤销)", () => {
    expect(decryptionOutcome({ kind: "failed", causedBy: "bidder", detail: "wrong certificate" })).toEqual({
      status: "revoked",
      detail: "wrong certificate",
    });
  });

  it("E-Measures Art 31: a failure caused by others counts as withdrawn (撤回) and the bidder may claim losses", () => {
    expect(decryptionOutcome({ kind: "failed", causedBy: "other", detail: "platform outage" })).toEqual({
      status: "withdrawn",
      mayClaimDirectLosses: true,
      detail: "platform outage",
    });
  });

  it("E-Measures Art 31: a remedy defined by the tender documents opens the bid", () => {
    expect(decryptionOutcome({ kind: "recovered-by-remedy", remedy: "backup copy" })).toEqual({
      status: "opened",
      via: "remedy",
    });
  });
});

describe("opening record", () => {
  const objection = {
    raisedBy: "投标人B",
    raisedAt: sh("2025-03-22T10:05"),
    content: "对A的报价有异议",
    answer: "报价按文件规定唱标",
    answeredAt: sh("2025-03-22T10:07"),
  };

  it("E-Measures Arts 30-31, Regs Art 44: lists name, price, 唱标 items, outcome and objections; opening continues past failures", () => {
    const result = buildOpeningRecord({
      tenderId: "T-1",
      tenderName: "道路工程",
      openedAt: sh("2025-03-22T09:30"),
      readOutItems,
      bids: [
        bid("C", "2025-03-21T10:00"),
        bid("A", "2025-03-20T10:00"),
        bid("B", "2025-03-20T10:00", { attempt: { kind: "failed", causedBy: "bidder", detail: "lost key" }, price: undefined }),
      ],
      objections: [objection],
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const record = result.value;
    expect(record.entries.map((e) => e.bidderName)).toEqual(["投标人A", "投标人B", "投标人C"]);
    expect(record.entries[0]).toEqual({
      bidderName: "投标人A",
      receivedAt: "2025-03-20T02:00:00.000Z",
      outcome: { status: "opened", via: "decryption" },
      price: "100000.00",
      items: [
        { label: "工期", value: "180日历天" },
        { label: "质量标准", value: "合格" },
      ],
    });
    expect(record.entries[1]).toMatchObject({ outcome: { status: "revoked" }, items: [] });
    expect(record.entries[1]?.price).toBeUndefined();
    expect(record.objections).toEqual([
      { ...objection, raisedAt: "2025-03-22T02:05:00.000Z", answeredAt: "2025-03-22T02:07:00.000Z" },
    ]);
  });

  it("E-Measures Art 30: refuses a record missing a 唱标 item or the price of an opened bid", () => {
    const base = { tenderId: "T", tenderName: "n", openedAt: sh("2025-03-22T09:30"), readOutItems, objections: [] };
    const noItem = buildOpeningRecord({ ...base, bids: [bid("A", "2025-03-20T10:00", { items: { duration: "1" } })] });
    expect(noItem).toMatchObject({ ok: false, error: { code: "OPENING.MISSING_READ_OUT_ITEM", params: { item: "quality" } } });
    const noPrice = buildOpeningRecord({ ...base, bids: [bid("A", "2025-03-20T10:00", { price: undefined })] });
    expect(noPrice).toMatchObject({ ok: false, error: { params: { item: "price" } } });
  });

  it("E-Measures Art 32: the record serialises canonically for signing, whatever the key order", () => {
    expect(canonicalJson({ b: 1, a: [true, null, { d: "x", c: undefined }] })).toBe('{"a":[true,null,{"d":"x"}],"b":1}');
    expect(canonicalJson({ a: 1, b: 2 })).toBe(canonicalJson({ b: 2, a: 1 }));
  });
});
