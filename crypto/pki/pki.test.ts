import forge from "node-forge";
import { CryptoErrorCode } from "../errors.ts";
import { createTestPki, type TestPki } from "../testing/pki-fixture.node.ts";
import { issueCertificate } from "./ca.ts";
import { verifyCertificateChain } from "./chain.ts";
import { createCrl, parseCrl } from "./crl.ts";
import { createCsr, parseCsr } from "./csr.ts";
import { generateRsaKeyPair } from "./keygen.node.ts";
import { exportP12, importP12 } from "./p12.ts";
import { certFromDer, certToDer } from "./pem.ts";
import { generateKeyPairWebCrypto, keyId, sameKeyPair } from "./keys.ts";

let pki: TestPki;
beforeAll(async () => {
  pki = await createTestPki();
});

const code = (c: string) => expect.objectContaining({ code: c });

describe("platform PKI", () => {
  it("issues signing and encryption certificates (双证书) with disjoint key usages and the role in OU", async () => {
    const sign = await pki.issue("某某建设有限公司", "bidder", "signing");
    const enc = await pki.issue("某某建设有限公司", "bidder", "encryption");
    expect(sign.cert.getExtension("keyUsage")).toMatchObject({ digitalSignature: true, nonRepudiation: true });
    expect(sign.cert.getExtension("keyUsage")).not.toMatchObject({ keyEncipherment: true });
    expect(enc.cert.getExtension("keyUsage")).toMatchObject({ keyEncipherment: true });
    expect(enc.cert.getExtension("keyUsage")).not.toMatchObject({ digitalSignature: true });
    const reparsed = certFromDer(certToDer(sign.cert));
    expect(reparsed.subject.getField("CN")?.value).toBe("某某建设有限公司");
    expect(reparsed.subject.getField("OU")?.value).toBe("bidder");
    expect(verifyCertificateChain(reparsed, pki.trust(), { at: new Date(), usage: "signing" })).toHaveLength(3);
    expect(() => verifyCertificateChain(enc.cert, pki.trust(), { at: new Date(), usage: "signing" })).toThrow(
      code(CryptoErrorCode.CERT_USAGE),
    );
  });

  it("the CA sets the role: a CSR claiming OU=supervisor gets the role the CA decides", async () => {
    const keys = await generateRsaKeyPair();
    const csrPem = createCsr(keys, { commonName: "投标人", organizationalUnit: "supervisor" });
    const cert = issueCertificate(pki.issuing, { csrPem, profile: "signing", role: "bidder", now: new Date() });
    expect(cert.subject.getField("OU")?.value).toBe("bidder");
  });

  it("rejects a CSR whose signature does not verify, or that is not a CSR: BAD_CSR", async () => {
    const keys = await generateRsaKeyPair();
    const der = forge.pem.decode(createCsr(keys, { commonName: "x" }))[0]!.body;
    const flipped = der.slice(0, -1) + String.fromCharCode(der.charCodeAt(der.length - 1) ^ 1);
    const forged = forge.pem.encode({ type: "CERTIFICATE REQUEST", body: flipped });
    expect(() => parseCsr(forged)).toThrow(code(CryptoErrorCode.BAD_CSR));
    expect(() => parseCsr("not a csr")).toThrow(code(CryptoErrorCode.BAD_CSR));
  });

  it("untrusted, expired, not-yet-valid and revoked certificates fail with their own codes", async () => {
    const other = await createTestPki();
    const foreign = await other.issue("外来", "bidder", "signing");
    const now = new Date();
    expect(() => verifyCertificateChain(foreign.cert, pki.trust(), { at: now, usage: "signing" })).toThrow(
      code(CryptoErrorCode.CERT_UNTRUSTED),
    );
    const holder = await pki.issue("到期", "bidder", "signing", { validityDays: 10 });
    expect(() =>
      verifyCertificateChain(holder.cert, pki.trust(), { at: new Date(now.getTime() + 20 * 86_400_000), usage: "signing" }),
    ).toThrow(code(CryptoErrorCode.CERT_EXPIRED));
    expect(() =>
      verifyCertificateChain(holder.cert, pki.trust(), { at: new Date(now.getTime() - 30 * 86_400_000), usage: "signing" }),
    ).toThrow(code(CryptoErrorCode.CERT_NOT_YET_VALID));
    const revoked = pki.trust([{ serial: holder.cert.serialNumber, revokedAt: now, reason: "keyCompromise" }]);
    expect(() => verifyCertificateChain(holder.cert, revoked, { at: new Date(now.getTime() + 1000), usage: "signing" })).toThrow(
      code(CryptoErrorCode.CERT_REVOKED),
    );
    expect(verifyCertificateChain(holder.cert, revoked, { at: new Date(now.getTime() - 1000), usage: "signing" })).toHaveLength(
      3,
    );
    expect(() =>
      verifyCertificateChain(
        holder.cert,
        { roots: [pki.root.cert], intermediates: [pki.issuing.cert] },
        { at: now, usage: "signing" },
      ),
    ).toThrow(code(CryptoErrorCode.CRL_MISSING));
  });

  it("a CRL from another CA or with a broken signature is ignored, so the check still demands one", async () => {
    const other = await createTestPki();
    const holder = await pki.issue("某", "bidder", "signing");
    const foreignCrl = other.crl();
    const broken = pki.crl().slice();
    broken[broken.length - 5] = (broken[broken.length - 5] as number) ^ 1;
    for (const crl of [foreignCrl, broken]) {
      expect(() =>
        verifyCertificateChain(
          holder.cert,
          { roots: [pki.root.cert], intermediates: [pki.issuing.cert], crls: [crl] },
          { at: new Date(), usage: "signing" },
        ),
      ).toThrow(code(CryptoErrorCode.CRL_MISSING));
    }
    expect(() => parseCrl(new Uint8Array([1, 2, 3]))).toThrow(code(CryptoErrorCode.CRL_INVALID));
    const crl = parseCrl(
      createCrl(pki.issuing, {
        crlNumber: 7,
        thisUpdate: new Date(),
        nextUpdate: new Date(Date.now() + 1000),
        revoked: [{ serial: "00ff", revokedAt: new Date() }],
      }),
    );
    expect([...crl.revoked.keys()]).toEqual(["ff"]);
  });

  it("PKCS#12: round trip, wrong password, key/certificate mismatch", async () => {
    const holder = await pki.issue("某", "bidder", "encryption");
    const p12 = exportP12(
      { privateKey: holder.key, certificate: holder.cert, chain: [pki.issuing.cert] },
      "correct horse",
      "enc",
    );
    const back = importP12(p12, "correct horse");
    expect(sameKeyPair(back.privateKey, holder.keys.publicKey)).toBe(true);
    expect(back.certificate.serialNumber).toBe(holder.cert.serialNumber);
    expect(back.chain).toHaveLength(1);
    expect(() => importP12(p12, "wrong horse")).toThrow(code(CryptoErrorCode.WRONG_PASSWORD));
    expect(() => importP12(new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x03]), "x")).toThrow(code(CryptoErrorCode.MALFORMED));
    const other = await pki.issue("别人", "bidder", "encryption");
    expect(() => exportP12({ privateKey: holder.key, certificate: other.cert, chain: [] }, "correct horse", "x")).toThrow(
      code(CryptoErrorCode.WRONG_CERT),
    );
    expect(() => exportP12({ privateKey: holder.key, certificate: holder.cert, chain: [] }, "short", "x")).toThrow(
      code(CryptoErrorCode.BAD_INPUT),
    );
  });

  it("WebCrypto key generation yields usable forge keys with a stable key id", async () => {
    const pair = await generateKeyPairWebCrypto("encryption", 2048);
    expect(pair.publicKey.n.bitLength()).toBe(2048);
    expect(keyId(pair.publicKey)).toMatch(/^[0-9a-f]{64}$/);
  });
});
