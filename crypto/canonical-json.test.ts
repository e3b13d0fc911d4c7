// Test vectors for the one canonical JSON (decision 061). The bytes and SHA-256 digests below
// were produced by crypto's canonical JSON before bidding-core's and crypto's were merged: every
// audit entry, envelope header, manifest, escrow record and receipt hashed or signed before
// keeps verifying.
import { canonicalJson as coreCanonicalJson } from "../bidding-core/index";
import { toHex, utf8 } from "./bytes.ts";
import { canonicalJson } from "./canonical-json.ts";
import { hashEntry } from "./audit/chain.ts";
import { sha256 } from "./hash.ts";

const vectors: { input: unknown; json: string; sha256: string }[] = [
  {
    input: {
      seq: "0",
      prevHash: "0".repeat(64),
      at: "2026-12-03T08:00:00.000Z",
      actorId: null,
      action: "tender.published",
      subjectType: "Tender",
      subjectId: "5f0c0a4e-1f2b-4c3d-9e8f-0a1b2c3d4e5f",
      data: { code: "MB-2026-001", bidDeadline: "2026-12-24T02:00:00.000Z", amountFen: "88000000" },
    },
    json: '{"action":"tender.published","actorId":null,"at":"2026-12-03T08:00:00.000Z","data":{"amountFen":"88000000","bidDeadline":"2026-12-24T02:00:00.000Z","code":"MB-2026-001"},"prevHash":"0000000000000000000000000000000000000000000000000000000000000000","seq":"0","subjectId":"5f0c0a4e-1f2b-4c3d-9e8f-0a1b2c3d4e5f","subjectType":"Tender"}',
    sha256: "de92d59d3eee9d162a56de91b889cf0619aef5f33f78fb409d36b0cadf30bf78",
  },
  {
    input: {
      v: 1,
      alg: "AES-256-GCM",
      chunkSize: 1048576,
      recipients: [
        { role: "platform", kid: "ab" },
        { role: "bidder", kid: "cd" },
      ],
      tenderId: "t-1",
    },
    json: '{"alg":"AES-256-GCM","chunkSize":1048576,"recipients":[{"kid":"ab","role":"platform"},{"kid":"cd","role":"bidder"}],"tenderId":"t-1","v":1}',
    sha256: "0c8b2d3288de49365a2e2359fd4b3544c24b7ad417ca0e8d890c7a28456a0a01",
  },
  {
    input: {
      é: 1,
      a: [true, false, null, -0, 9007199254740991, -9007199254740991],
      Z: '\u2028\u0000"\\',
      中文: { b: [], a: {} },
    },
    json: '{"Z":"\u2028\\u0000\\"\\\\","a":[true,false,null,0,9007199254740991,-9007199254740991],"é":1,"中文":{"a":{},"b":[]}}',
    sha256: "ca8c3af2a69769aa01099206c454b80999b1e8546e62e2d15e7ce223340be088",
  },
  { input: [], json: "[]", sha256: "4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945" },
  { input: {}, json: "{}", sha256: "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a" },
  { input: "字符串", json: '"字符串"', sha256: "cedc9688d28ce889af478c0dac2ed897ef63cf836affc91924eae69d9af1f4b2" },
  { input: 0, json: "0", sha256: "5feceb66ffc86f38d952786c6d696c79c2dbc239dd4e91b46729d73a27fb57e9" },
];

describe("one canonical JSON for everything signed or hashed (decision 061)", () => {
  it("gives the bytes and digests it gave before the two copies were merged", () => {
    for (const v of vectors) {
      expect(canonicalJson(v.input)).toBe(v.json);
      expect(toHex(sha256(utf8(canonicalJson(v.input))))).toBe(v.sha256);
    }
    // The audit chain hashes an entry without its own hash field.
    expect(hashEntry({ ...(vectors[0]!.input as Record<string, string | null>), hash: "ignored" } as never)).toBe(
      vectors[0]!.sha256,
    );
  });

  it("is the same function in bidding-core (the opening record) and crypto/", () => {
    expect(coreCanonicalJson).toBe(canonicalJson);
  });

  it("refuses floats, NaN, bigint, undefined array items and non-plain objects", () => {
    for (const bad of [
      1.5,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      2 ** 53,
      [undefined],
      { at: new Date(0) },
      new Map(),
      1n,
      () => 1,
    ]) {
      expect(() => canonicalJson(bad)).toThrow(TypeError);
    }
  });

  it("leaves out an object member whose value is undefined, as an absent optional property", () => {
    expect(canonicalJson({ b: 1, a: undefined })).toBe('{"b":1}');
    expect(canonicalJson({ b: 1, a: undefined })).toBe(canonicalJson({ b: 1 }));
  });
});
