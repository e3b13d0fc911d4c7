import { createTestPki, type TestPki } from "../testing/pki-fixture.node.ts";
import { openssl, withTempDir } from "../testing/openssl.node.ts";
import { certToPem } from "./pem.ts";
import { crlToPem } from "./crl.ts";
import { signCms } from "../cms/signed-data.ts";
import { utf8 } from "../bytes.ts";
import { pemEncode } from "./pem.ts";

let pki: TestPki;
beforeAll(async () => {
  pki = await createTestPki();
});

describe("OpenSSL interop: certificates and CRL", () => {
  it("openssl verify -crl_check accepts a bidder certificate and rejects it once revoked", async () => {
    const bidder = await pki.issue("某某建设有限公司", "bidder", "signing");
    await withTempDir(async (_dir, write) => {
      const root = await write("root.pem", certToPem(pki.root.cert));
      const inter = await write("inter.pem", certToPem(pki.issuing.cert));
      const leaf = await write("leaf.pem", certToPem(bidder.cert));
      const clean = await write("clean.crl", crlToPem(pki.crl()));
      const revoked = await write(
        "revoked.crl",
        crlToPem(pki.crl([{ serial: bidder.cert.serialNumber, revokedAt: pki.now, reason: "keyCompromise" }])),
      );
      const ok = await openssl(["verify", "-crl_check", "-CAfile", root, "-untrusted", inter, "-CRLfile", clean, leaf]);
      expect(ok.stderr + ok.stdout).toContain("OK");
      expect(ok.code).toBe(0);
      const bad = await openssl(["verify", "-crl_check", "-CAfile", root, "-untrusted", inter, "-CRLfile", revoked, leaf]);
      expect(bad.code).not.toBe(0);
      expect(bad.stderr + bad.stdout).toMatch(/revoked/i);
      const crlCheck = await openssl(["crl", "-in", revoked, "-CAfile", inter, "-noout", "-text"]);
      expect(crlCheck.code).toBe(0);
      expect(crlCheck.stdout + crlCheck.stderr).toMatch(/verify OK/);
      expect(crlCheck.stdout).toMatch(new RegExp(bidder.cert.serialNumber, "i"));
      expect(crlCheck.stdout).toMatch(/Key Compromise/);
    });
  });

  it("openssl x509 shows the v3 extensions of each profile", async () => {
    const enc = await pki.issue("某某建设有限公司", "bidder", "encryption");
    await withTempDir(async (_dir, write) => {
      const leaf = await write("enc.pem", certToPem(enc.cert));
      const out = await openssl(["x509", "-in", leaf, "-noout", "-text"]);
      expect(out.stdout).toMatch(/Key Encipherment/);
      expect(out.stdout).toMatch(/Subject Key Identifier/);
      expect(out.stdout).toMatch(/Authority Key Identifier/);
      expect(out.stdout).toMatch(/CRL Distribution Points[\s\S]*pki\.mingbiao\.test/);
      expect(out.stdout).toMatch(/OU ?= ?bidder/);
    });
  });

  it("openssl cms -verify accepts a detached signature and rejects changed content", async () => {
    const signer = await pki.issue("评标专家 张三", "expert", "signing");
    const content = utf8('{"report":"评标报告","rank":[1,2,3]}');
    const der = signCms({ content, signer: { ...signer, chain: [pki.issuing.cert] }, signingTime: new Date() });
    await withTempDir(async (_dir, write) => {
      const root = await write("root.pem", certToPem(pki.root.cert));
      const sig = await write("sig.p7s", pemEncode("CMS", der));
      const data = await write("data.json", content);
      const other = await write("other.json", utf8('{"report":"评标报告","rank":[2,1,3]}'));
      const ok = await openssl([
        "cms",
        "-verify",
        "-binary",
        "-inform",
        "PEM",
        "-in",
        sig,
        "-content",
        data,
        "-CAfile",
        root,
        "-out",
        "/dev/null",
      ]);
      expect(ok.stderr).toMatch(/Verification successful/);
      const bad = await openssl([
        "cms",
        "-verify",
        "-binary",
        "-inform",
        "PEM",
        "-in",
        sig,
        "-content",
        other,
        "-CAfile",
        root,
        "-out",
        "/dev/null",
      ]);
      expect(bad.code).not.toBe(0);
    });
  });
});
