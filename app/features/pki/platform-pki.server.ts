import { constants as cryptoConstants, createPrivateKey, createPublicKey, type KeyObject, privateEncrypt, publicDecrypt, sign as nodeSign } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import forge from "node-forge";
import { type CaIdentity, certFromPem, type Certificate, type CertProfile, certToPem, createCrl, createCsr, createIssuingCa, createRootCa, generateRsaKeyPair, issueCertificate, type RevokedEntry, type Signer, type TrustStore } from "../../../crypto/index.node.ts";
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

async function serviceIdentity(issuing: CaIdentity, commonName: string, profile: Exclude<CertProfile, "root-ca" | "issuing-ca">, now: Date): Promise<CaIdentity> {
  const keys = await generateRsaKeyPair(2048);
  const csrPem = createCsr(keys, { commonName, organization: NAMES.root.replace("根CA", "") });
  const cert = issueCertificate(issuing, { csrPem, profile, role: "service", now, validityDays: 3 * 365 });
  return { cert, key: keys.privateKey };
}

async function createPlatformPki(dir: string): Promise<void> {
  const now = new Date(clock.nowMs() - 60_000);
  const root = createRootCa({ keys: await generateRsaKeyPair(3072), subject: { commonName: NAMES.root, organization: "明标" }, now });
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

/** Receipts and timestamps are signed with node:crypto (OpenSSL), not forge's JavaScript RSA. */
function nativeSigner(keyFile: string): (data: Uint8Array) => Uint8Array {
  const key = createPrivateKey(fs.readFileSync(keyFile, "utf8"));
  return (data) => new Uint8Array(nodeSign("sha256", data, key));
}

// DER DigestInfo prefixes (RFC 8017 §9.2 note 1) by digest length, with and without the NULL
// parameters (both encodings are valid for SHA-2).
const DIGEST_INFO = new Map<number, Buffer[]>([
  [32, ["3031300d060960864801650304020105000420", "302f300b0609608648016503040201" + "0420"]],
  [48, ["3041300d060960864801650304020205000430", "303f300b0609608648016503040202" + "0430"]],
  [64, ["3051300d060960864801650304020305000440", "304f300b0609608648016503040203" + "0440"]],
].map(([n, hex]) => [n as number, (hex as string[]).map((h) => Buffer.from(h, "hex"))]));

type ForgeVerify = (digest: string, signature: string, scheme?: unknown, options?: unknown) => boolean;
type ForgeSign = (md: { algorithm: string; digest(): { getBytes(): string } }, scheme?: unknown) => string;

/**
 * RSA public keys verify RSASSA-PKCS1-v1_5 in OpenSSL instead of forge's JavaScript bignum
 * (RSA-3072: about 5 ms → 0.07 ms; RSA-2048: ~1.5 ms → 0.05 ms). Every bid's check verifies the
 * bidder's CMS signature, the issuing CA's signature on the bidder's certificate, the root's on
 * the issuing CA and both CRLs' signatures, and all of them used to block the event loop.
 *
 * Installed once, process-wide, on forge's RSA public-key constructor: every key forge makes from
 * then on (certificates parsed from PEM or DER, the platform's own) gets a `verify` whose result
 * is what forge's would be, or stricter: the DigestInfo must be exactly SHA-256/384/512 of the
 * given digest (forge accepts any known hash OID with a matching value). Other schemes (PSS) and
 * digest lengths stay with forge. The OpenSSL key is made on first use.
 */
export function installNativeRsaVerify(): void {
  const pki = forge.pki as unknown as { setRsaPublicKey: SetPublicKey; rsa: { setPublicKey: SetPublicKey } };
  if ((pki.setRsaPublicKey as { native?: boolean }).native) return;
  const original = pki.setRsaPublicKey;
  const patched: SetPublicKey = (n, e) => {
    const key = original(n, e);
    withNativeVerify(key);
    return key;
  };
  (patched as { native?: boolean }).native = true;
  pki.setRsaPublicKey = patched;
  pki.rsa.setPublicKey = patched;
}

type SetPublicKey = (n: forge.jsbn.BigInteger, e: forge.jsbn.BigInteger) => forge.pki.rsa.PublicKey;

function unsignedBytes(n: forge.jsbn.BigInteger): Buffer {
  const hex = n.toString(16);
  return Buffer.from(hex.length % 2 === 1 ? `0${hex}` : hex, "hex");
}

function withNativeVerify(key: forge.pki.rsa.PublicKey): void {
  const target = key as unknown as { verify: ForgeVerify };
  const forgeVerify = target.verify.bind(key);
  let native: KeyObject | null = null;
  let modulusBytes = 0;
  target.verify = (digest, signature, scheme, options) => {
    const digestBytes = Buffer.from(digest, "binary");
    const prefixes = DIGEST_INFO.get(digestBytes.length);
    if ((scheme !== undefined && scheme !== "RSASSA-PKCS1-V1_5") || !prefixes) return forgeVerify(digest, signature, scheme, options);
    if (!native) {
      native = createPublicKey({ key: { kty: "RSA", n: unsignedBytes(key.n).toString("base64url"), e: unsignedBytes(key.e).toString("base64url") }, format: "jwk" });
      modulusBytes = Math.ceil(key.n.bitLength() / 8);
    }
    const sig = Buffer.from(signature, "binary");
    if (sig.length !== modulusBytes) return false;
    let block: Buffer;
    try {
      block = publicDecrypt({ key: native, padding: cryptoConstants.RSA_PKCS1_PADDING }, sig);
    } catch {
      return false;
    }
    return prefixes.some((p) => block.length === p.length + digestBytes.length && block.subarray(0, p.length).equals(p) && block.subarray(p.length).equals(digestBytes));
  };
}

/**
 * The CA keys sign (CRLs, holder certificates) in OpenSSL: RSASSA-PKCS1-v1_5 is deterministic, so
 * the signature is byte for byte what forge's sign would give, at a fraction of the time (an
 * RSA-3072 signature takes 80-400 ms of the event loop in forge, ~3 ms in OpenSSL; CRLs are
 * re-signed hourly and on every revocation or enrolment).
 */
function signNatively(identity: CaIdentity, keyFile: string): void {
  const target = identity.key as unknown as { sign: ForgeSign };
  const native = createPrivateKey(fs.readFileSync(keyFile, "utf8"));
  const forgeSign = target.sign.bind(identity.key);
  const sha256Info = DIGEST_INFO.get(32)?.[0] as Buffer;
  target.sign = (md, scheme) => {
    if (md.algorithm !== "sha256" || scheme !== undefined) return forgeSign(md, scheme);
    const digest = Buffer.from(md.digest().getBytes(), "binary");
    return privateEncrypt({ key: native, padding: cryptoConstants.RSA_PKCS1_PADDING }, Buffer.concat([sha256Info, digest])).toString("binary");
  };
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
    for (const [ca, name] of [[root, "root"], [issuing, "issuing"]] as const) signNatively(ca, path.join(dir, `${name}.key.pem`));
    const chain = [issuing.cert, root.cert];
    const signer = loadIdentity(dir, "signer");
    const tsa = loadIdentity(dir, "tsa");
    return {
      root,
      issuing,
      signer: { ...signer, chain, sign: nativeSigner(path.join(dir, "signer.key.pem")) },
      tsa: { ...tsa, chain, sign: nativeSigner(path.join(dir, "tsa.key.pem")) },
    };
  })();
  return cached;
}

/** CRLs of the issuing CA (holder certificates) and the root (the issuing CA), fresh for a day. */
export async function currentCrls(revoked: readonly RevokedEntry[], crlNumber: number): Promise<{ issuing: Uint8Array; root: Uint8Array }> {
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
