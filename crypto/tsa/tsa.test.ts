import { sha256 } from "../hash.ts";
import { utf8 } from "../bytes.ts";
import { CryptoErrorCode } from "../errors.ts";
import { createTestPki, type Holder, type TestPki } from "../testing/pki-fixture.node.ts";
import { encodeTimestampRequest, parseTimestampRequest } from "./request.ts";
import { issueTimestamp, timestampRequestFor } from "./tsa.ts";
import { verifyTimestamp } from "./verify.ts";

let pki: TestPki;
let tsaHolder: Holder;
const receipt = sha256(utf8("bid receipt: envelope 3f2a…, received 2026-11-21T10:00:00Z"));

beforeAll(async () => {
  pki = await createTestPki();
  tsaHolder = await pki.issue("MingBiao TSA", "service", "tsa");
});

const tsa = () => ({ signer: { cert: tsaHolder.cert, key: tsaHolder.key, chain: [pki.issuing.cert] } });

describe("trusted timestamps (RFC 3161)", () => {
  it("issues a token over a digest and verifies it, with the TSA's time", () => {
    const req = timestampRequestFor(receipt);
    // Inside the test TSA certificate's validity (made "now"), with milliseconds to keep.
    const now = new Date(Math.floor(Date.now() / 1000) * 1000 + 250);
    const issued = issueTimestamp(tsa(), req, now);
    const v = verifyTimestamp({ der: issued.response, digest: receipt, trust: pki.trust(), nonce: req.nonce });
    expect(v.genTime.toISOString()).toBe(now.toISOString());
    expect(v.serial).toBe(issued.serial);
    expect(verifyTimestamp({ der: issued.token, digest: receipt, trust: pki.trust() }).serial).toBe(issued.serial);
  });

  it("round-trips a TimeStampReq", () => {
    const req = { digest: receipt, nonce: new Uint8Array([0x80, 1, 2]), certReq: true };
    expect(parseTimestampRequest(encodeTimestampRequest(req))).toEqual({ ...req, nonce: new Uint8Array([0x80, 1, 2]) });
  });

  it("a token for another document: TIMESTAMP_MISMATCH", () => {
    const issued = issueTimestamp(tsa(), timestampRequestFor(receipt), new Date());
    expect(() => verifyTimestamp({ der: issued.token, digest: sha256(utf8("other")), trust: pki.trust() })).toThrow(
      expect.objectContaining({ code: CryptoErrorCode.TIMESTAMP_MISMATCH }),
    );
  });

  it("a response to another request (nonce): TIMESTAMP_MISMATCH", () => {
    const issued = issueTimestamp(tsa(), timestampRequestFor(receipt), new Date());
    expect(() =>
      verifyTimestamp({ der: issued.response, digest: receipt, trust: pki.trust(), nonce: new Uint8Array([9]) }),
    ).toThrow(expect.objectContaining({ code: CryptoErrorCode.TIMESTAMP_MISMATCH }));
  });

  it("a tampered token: BAD_SIGNATURE", () => {
    const issued = issueTimestamp(tsa(), timestampRequestFor(receipt), new Date());
    const bad = issued.token.slice();
    const at = bad.length - 10;
    bad[at] = (bad[at] as number) ^ 0xff;
    expect(() => verifyTimestamp({ der: bad, digest: receipt, trust: pki.trust() })).toThrow(
      expect.objectContaining({ code: CryptoErrorCode.BAD_SIGNATURE }),
    );
  });

  it("refuses to act as TSA with a certificate lacking timeStamping; refuses a token from a revoked TSA", async () => {
    const signing = await pki.issue("not a TSA", "service", "signing");
    expect(() =>
      issueTimestamp({ signer: { cert: signing.cert, key: signing.key } }, timestampRequestFor(receipt), new Date()),
    ).toThrow(expect.objectContaining({ code: CryptoErrorCode.CERT_USAGE }));
    const issued = issueTimestamp(tsa(), timestampRequestFor(receipt), new Date());
    const revoked = pki.trust([{ serial: tsaHolder.cert.serialNumber, revokedAt: new Date(Date.now() - 60_000) }]);
    expect(() => verifyTimestamp({ der: issued.token, digest: receipt, trust: revoked })).toThrow(
      expect.objectContaining({ code: CryptoErrorCode.CERT_REVOKED }),
    );
  });
});
