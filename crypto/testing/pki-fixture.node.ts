import { generateRsaKeyPair } from "../pki/keygen.node.ts";
import { createCsr } from "../pki/csr.ts";
import { createIssuingCa, createRootCa, issueCertificate, type CaIdentity } from "../pki/ca.ts";
import { createCrl, type RevokedEntry } from "../pki/crl.ts";
import type { KeyPair, PrivateKey } from "../pki/keys.ts";
import type { HolderRole } from "../pki/names.ts";
import type { Certificate } from "../pki/pem.ts";
import type { CertProfile } from "../pki/profiles.ts";
import type { TrustStore } from "../pki/chain.ts";

/** A complete platform PKI for tests, built once per test file (RSA-2048 throughout). */
export interface Holder {
  cert: Certificate;
  key: PrivateKey;
  keys: KeyPair;
}

export interface TestPki {
  now: Date;
  root: CaIdentity;
  issuing: CaIdentity;
  issue(
    name: string,
    role: HolderRole,
    profile: Exclude<CertProfile, "root-ca" | "issuing-ca">,
    opts?: { now?: Date; validityDays?: number },
  ): Promise<Holder>;
  crl(revoked?: RevokedEntry[], at?: Date): Uint8Array;
  rootCrl(): Uint8Array;
  trust(revoked?: RevokedEntry[]): TrustStore;
}

export const CRL_URL = "http://pki.mingbiao.test/issuing.crl";

export async function createTestPki(now = new Date()): Promise<TestPki> {
  const [rootKeys, issuingKeys] = await Promise.all([generateRsaKeyPair(), generateRsaKeyPair()]);
  const backdated = new Date(now.getTime() - 86_400_000);
  const root = createRootCa({
    keys: rootKeys,
    subject: { commonName: "MingBiao Test Root CA", organization: "明标测试" },
    now: backdated,
  });
  const issuing = createIssuingCa(root, {
    keys: issuingKeys,
    subject: { commonName: "MingBiao Test Issuing CA", organization: "明标测试" },
    now: backdated,
    crlUrl: "http://pki.mingbiao.test/root.crl",
  });
  const crl = (revoked: RevokedEntry[] = [], at = now) =>
    createCrl(issuing, { crlNumber: 1, thisUpdate: at, nextUpdate: new Date(at.getTime() + 7 * 86_400_000), revoked });
  const rootCrl = () =>
    createCrl(root, { crlNumber: 1, thisUpdate: now, nextUpdate: new Date(now.getTime() + 7 * 86_400_000), revoked: [] });
  return {
    now,
    root,
    issuing,
    async issue(name, role, profile, opts = {}) {
      const keys = await generateRsaKeyPair();
      const csrPem = createCsr(keys, { commonName: name, organization: name, serialNumber: "91110000MA00TEST0X" });
      const cert = issueCertificate(issuing, {
        csrPem,
        profile,
        role,
        now: opts.now ?? backdated,
        validityDays: opts.validityDays ?? 365,
        crlUrl: CRL_URL,
      });
      return { cert, key: keys.privateKey, keys };
    },
    crl,
    rootCrl,
    trust: (revoked = []) => ({ roots: [root.cert], intermediates: [issuing.cert], crls: [crl(revoked), rootCrl()] }),
  };
}
