import fs from "node:fs";
import path from "node:path";
import forge from "node-forge";
import {
  type CaIdentity,
  certFromPem,
  type Certificate,
  type CertProfile,
  certToPem,
  createCrl,
  createCsr,
  createIssuingCa,
  createRootCa,
  generateRsaKeyPair,
  installNativeRsaVerify,
  issueCertificate,
  nativeSigner,
  type RevokedEntry,
  signNatively,
  type Signer,
  type TrustStore,
} from "../../../crypto/index.node.ts";
import { env } from "../../platform/env.server.ts";
import * as clock from "../../platform/clock.server.ts";

/**
 * The platform's own PKI: root CA → issuing CA → service certificates (the platform signer for
 * receipts, records and checkpoints; the TSA). Created once per installation in PKI_DIR with
 * owner-only file permissions; a production installation keeps these keys in an HSM instead
 * (docs/decisions/005).
 */
export interface PlatformPki {
  root: CaIdentity;
  issuing: CaIdentity;
  signer: Signer;
  tsa: Signer;
}

const NAMES = {
  root: "明标电子招标投标平台根CA",
  issuing: "明标电子招标投标平台签发CA",
  signer: "明标平台电子签章服务",
  tsa: "明标平台时间戳服务",
};

function pkiDir(): string {
  return path.resolve(env().PKI_DIR);
}

function writeSecret(file: string, content: string): void {
  fs.writeFileSync(file, content, { mode: 0o600 });
}

function saveIdentity(dir: string, name: string, cert: Certificate, key: forge.pki.rsa.PrivateKey): void {
  fs.writeFileSync(path.join(dir, `${name}.cert.pem`), certToPem(cert));
  writeSecret(path.join(dir, `${name}.key.pem`), forge.pki.privateKeyToPem(key));
}

function loadIdentity(dir: string, name: string): CaIdentity {
  return {
    cert: certFromPem(fs.readFileSync(path.join(dir, `${name}.cert.pem`), "utf8")),
    key: forge.pki.privateKeyFromPem(fs.readFileSync(path.join(dir, `${name}.key.pem`), "utf8")) as forge.pki.rsa.PrivateKey,
  };
}

async function serviceIdentity(
  issuing: CaIdentity,
  commonName: string,
  profile: Exclude<CertProfile, "root-ca" | "issuing-ca">,
  now: Date,
): Promise<CaIdentity> {
  const keys = await generateRsaKeyPair(2048);
  const csrPem = createCsr(keys, { commonName, organization: NAMES.root.replace("根CA", "") });
  const cert = issueCertificate(issuing, { csrPem, profile, role: "service", now, validityDays: 3 * 365 });
  return { cert, key: keys.privateKey };
}

async function createPlatformPki(dir: string): Promise<void> {
  const now = new Date(clock.nowMs() - 60_000);
  const root = createRootCa({
    keys: await generateRsaKeyPair(3072),
    subject: { commonName: NAMES.root, organization: "明标" },
    now,
  });
  const issuing = createIssuingCa(root, {
    keys: await generateRsaKeyPair(3072),
    subject: { commonName: NAMES.issuing, organization: "明标" },
    now,
    crlUrl: `${env().PUBLIC_URL}/pki/issuing.crl`,
  });
  const signer = await serviceIdentity(issuing, NAMES.signer, "signing", now);
  const tsa = await serviceIdentity(issuing, NAMES.tsa, "tsa", now);
  const staging = fs.mkdtempSync(path.join(path.dirname(dir), ".pki-"));
  saveIdentity(staging, "root", root.cert, root.key);
  saveIdentity(staging, "issuing", issuing.cert, issuing.key);
  saveIdentity(staging, "signer", signer.cert, signer.key);
  saveIdentity(staging, "tsa", tsa.cert, tsa.key);
  try {
    // Atomic: a concurrent first start either wins the rename or keeps the winner's PKI.
    fs.renameSync(staging, dir);
  } catch {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

let cached: Promise<PlatformPki> | undefined;

export function platformPki(): Promise<PlatformPki> {
  cached ??= (async () => {
    const dir = pkiDir();
    if (!fs.existsSync(path.join(dir, "tsa.key.pem"))) {
      fs.mkdirSync(path.dirname(dir), { recursive: true });
      await createPlatformPki(dir);
    }
    installNativeRsaVerify();
    const root = loadIdentity(dir, "root");
    const issuing = loadIdentity(dir, "issuing");
    for (const [ca, name] of [
      [root, "root"],
      [issuing, "issuing"],
    ] as const)
      signNatively(ca, fs.readFileSync(path.join(dir, `${name}.key.pem`), "utf8"));
    const chain = [issuing.cert, root.cert];
    const signer = loadIdentity(dir, "signer");
    const tsa = loadIdentity(dir, "tsa");
    return {
      root,
      issuing,
      signer: { ...signer, chain, sign: nativeSigner(fs.readFileSync(path.join(dir, "signer.key.pem"), "utf8")) },
      tsa: { ...tsa, chain, sign: nativeSigner(fs.readFileSync(path.join(dir, "tsa.key.pem"), "utf8")) },
    };
  })();
  return cached;
}

/** CRLs of the issuing CA (holder certificates) and the root (the issuing CA), fresh for a day. */
export async function currentCrls(
  revoked: readonly RevokedEntry[],
  crlNumber: number,
): Promise<{ issuing: Uint8Array; root: Uint8Array }> {
  const pki = await platformPki();
  const thisUpdate = clock.now();
  const nextUpdate = new Date(thisUpdate.getTime() + 24 * 3600 * 1000);
  return {
    issuing: createCrl(pki.issuing, { crlNumber, thisUpdate, nextUpdate, revoked }),
    root: createCrl(pki.root, { crlNumber, thisUpdate, nextUpdate, revoked: [] }),
  };
}

export async function trustStore(crls: { issuing: Uint8Array; root: Uint8Array }): Promise<TrustStore> {
  const pki = await platformPki();
  return { roots: [pki.root.cert], intermediates: [pki.issuing.cert], crls: [crls.issuing, crls.root], requireCrl: true };
}
