import { utf8 } from "../bytes.ts";
import { CryptoErrorCode } from "../errors.ts";
import { OID } from "../oids.ts";
import { createTestPki, type Holder, type TestPki } from "../testing/pki-fixture.node.ts";
import { signCms } from "./signed-data.ts";
import { verifyCms } from "./verify.ts";

let pki: TestPki;
let expert: Holder;
beforeAll(async () => {
  pki = await createTestPki();
  expert = await pki.issue("评标专家 张三", "expert", "signing");
});

const content = utf8('{"report":"评标报告","ranking":["A","B","C"]}');
const signer = () => ({ cert: expert.cert, key: expert.key, chain: [pki.issuing.cert] });
const code = (c: string) => expect.objectContaining({ code: c });

describe("CMS SignedData", () => {
  it("signs detached and verifies with chain, CRL and signing time", () => {
    const t = new Date("2026-11-21T09:30:00Z");
    const der = signCms({ content, signer: signer(), signingTime: t });
    const v = verifyCms({ der, detachedContent: content, trust: pki.trust(), at: new Date() });
    expect(v.signer.serialNumber).toBe(expert.cert.serialNumber);
    expect(v.signingTime?.toISOString()).toBe(t.toISOString());
  });

  it("encapsulated content comes back out", () => {
    const der = signCms({ content, signer: signer(), signingTime: new Date(), detached: false });
    expect(verifyCms({ der, trust: pki.trust(), at: new Date() }).content).toEqual(content);
  });

  it("changed content, changed signature bytes, wrong content type: BAD_SIGNATURE", () => {
    const der = signCms({ content, signer: signer(), signingTime: new Date() });
    expect(() => verifyCms({ der, detachedContent: utf8("x"), trust: pki.trust(), at: new Date() })).toThrow(
      code(CryptoErrorCode.BAD_SIGNATURE),
    );
    const bad = der.slice();
    bad[bad.length - 3] = (bad[bad.length - 3] as number) ^ 1;
    expect(() => verifyCms({ der: bad, detachedContent: content, trust: pki.trust(), at: new Date() })).toThrow(
      code(CryptoErrorCode.BAD_SIGNATURE),
    );
    expect(() =>
      verifyCms({ der, detachedContent: content, trust: pki.trust(), at: new Date(), expectedContentType: OID.tstInfo }),
    ).toThrow(code(CryptoErrorCode.BAD_SIGNATURE));
  });

  it("a detached signature without its content: BAD_INPUT; garbage: MALFORMED", () => {
    const der = signCms({ content, signer: signer(), signingTime: new Date() });
    expect(() => verifyCms({ der, trust: pki.trust(), at: new Date() })).toThrow(code(CryptoErrorCode.BAD_INPUT));
    expect(() => verifyCms({ der: utf8("hello"), trust: pki.trust(), at: new Date() })).toThrow(code(CryptoErrorCode.MALFORMED));
  });

  it("a signer revoked before the verification time: CERT_REVOKED", () => {
    const der = signCms({ content, signer: signer(), signingTime: new Date() });
    const trust = pki.trust([{ serial: expert.cert.serialNumber, revokedAt: new Date(Date.now() - 1000) }]);
    expect(() => verifyCms({ der, detachedContent: content, trust, at: new Date() })).toThrow(code(CryptoErrorCode.CERT_REVOKED));
  });
});
