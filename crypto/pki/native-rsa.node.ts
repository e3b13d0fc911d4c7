import {
  constants as cryptoConstants,
  createPrivateKey,
  createPublicKey,
  type KeyObject,
  privateEncrypt,
  publicDecrypt,
  sign as nodeSign,
} from "node:crypto";
import forge from "node-forge";
import type { CaIdentity } from "./ca.ts";

// RSA in OpenSSL (node:crypto) behind forge's keys, for the server (decision 012's CMS code and
// the PKI stay forge's; only the RSA arithmetic moves). Node only: the browser keeps forge.

/** Receipts and timestamps are signed with node:crypto (OpenSSL), not forge's JavaScript RSA. */
export function nativeSigner(privateKeyPem: string): (data: Uint8Array) => Uint8Array {
  const key = createPrivateKey(privateKeyPem);
  return (data) => new Uint8Array(nodeSign("sha256", data, key));
}

// DER DigestInfo prefixes (RFC 8017 §9.2 note 1) by digest length, with and without the NULL
// parameters (both encodings are valid for SHA-2).
const DIGEST_INFO = new Map<number, Buffer[]>(
  [
    [32, ["3031300d060960864801650304020105000420", "302f300b0609608648016503040201" + "0420"]],
    [48, ["3041300d060960864801650304020205000430", "303f300b0609608648016503040202" + "0430"]],
    [64, ["3051300d060960864801650304020305000440", "304f300b0609608648016503040203" + "0440"]],
  ].map(([n, hex]) => [n as number, (hex as string[]).map((h) => Buffer.from(h, "hex"))]),
);

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
    if ((scheme !== undefined && scheme !== "RSASSA-PKCS1-V1_5") || !prefixes)
      return forgeVerify(digest, signature, scheme, options);
    if (!native) {
      native = createPublicKey({
        key: { kty: "RSA", n: unsignedBytes(key.n).toString("base64url"), e: unsignedBytes(key.e).toString("base64url") },
        format: "jwk",
      });
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
    return prefixes.some(
      (p) =>
        block.length === p.length + digestBytes.length &&
        block.subarray(0, p.length).equals(p) &&
        block.subarray(p.length).equals(digestBytes),
    );
  };
}

/**
 * The CA keys sign (CRLs, holder certificates) in OpenSSL: RSASSA-PKCS1-v1_5 is deterministic, so
 * the signature is byte for byte what forge's sign would give, at a fraction of the time (an
 * RSA-3072 signature takes 80-400 ms of the event loop in forge, ~3 ms in OpenSSL; CRLs are
 * re-signed hourly and on every revocation or enrolment).
 */
export function signNatively(identity: CaIdentity, privateKeyPem: string): void {
  const target = identity.key as unknown as { sign: ForgeSign };
  const native = createPrivateKey(privateKeyPem);
  const forgeSign = target.sign.bind(identity.key);
  const sha256Info = DIGEST_INFO.get(32)?.[0] as Buffer;
  target.sign = (md, scheme) => {
    if (md.algorithm !== "sha256" || scheme !== undefined) return forgeSign(md, scheme);
    const digest = Buffer.from(md.digest().getBytes(), "binary");
    return privateEncrypt(
      { key: native, padding: cryptoConstants.RSA_PKCS1_PADDING },
      Buffer.concat([sha256Info, digest]),
    ).toString("binary");
  };
}
