import forge from "node-forge";
import { toDer } from "../asn1.ts";
import { bytesEqual } from "../bytes.ts";
import { CryptoErrorCode, fail } from "../errors.ts";
import { crlIssuedBy, normaliseSerial, parseCrl, type ParsedCrl } from "./crl.ts";
import { describeName } from "./names.ts";
import type { Certificate } from "./pem.ts";

export interface TrustStore {
  /** Self-signed platform root(s). */
  roots: readonly Certificate[];
  /** Issuing CA certificates; more may come from the signed object itself. */
  intermediates?: readonly Certificate[];
  /** DER CRLs of the issuing CAs (and the root, for the issuing CA). */
  crls?: readonly Uint8Array[];
  /**
   * When true (the default) the end-entity certificate needs a CRL from its issuer, as with
   * `openssl verify -crl_check`; CA certificates are checked whenever their issuer's CRL is given.
   */
  requireCrl?: boolean;
}

export type RequiredUsage = "signing" | "encryption" | "timestamping" | "any";

export interface ChainCheck {
  at: Date;
  usage: RequiredUsage;
}

/**
 * Validate leaf → issuing CA → root: signatures, validity at `at`, CA constraints, key usage
 * and revocation. A certificate revoked after `at` still validates a signature made at `at`
 * (the time comes from a trusted timestamp), which is what a court asks of an old signature.
 */
export function verifyCertificateChain(leaf: Certificate, store: TrustStore, check: ChainCheck): Certificate[] {
  const crls = (store.crls ?? []).map(parseCrl);
  const pool = [...(store.intermediates ?? []), ...store.roots];
  const path = buildPath(leaf, pool, store.roots);
  checkLeafUsage(leaf, check.usage);
  path.forEach((cert, i) => {
    checkValidity(cert, check.at);
    if (i > 0) checkIsCa(cert);
    const issuer = path[i + 1];
    if (issuer) checkRevocation(cert, issuer, crls, check.at, i === 0 && (store.requireCrl ?? true));
  });
  return path;
}

function sameName(a: Certificate["subject"], b: Certificate["subject"]): boolean {
  return bytesEqual(toDer(forge.pki.distinguishedNameToAsn1(a)), toDer(forge.pki.distinguishedNameToAsn1(b)));
}

function signedBy(child: Certificate, issuer: Certificate): boolean {
  if (!sameName(child.issuer, issuer.subject)) return false;
  try {
    return issuer.verify(child);
  } catch {
    return false;
  }
}

function isSelfSigned(cert: Certificate): boolean {
  return signedBy(cert, cert);
}

function buildPath(leaf: Certificate, pool: readonly Certificate[], roots: readonly Certificate[]): Certificate[] {
  const path = [leaf];
  let current = leaf;
  for (let depth = 0; depth < 5; depth++) {
    if (roots.some((r) => certEquals(r, current))) return path;
    const issuer = pool.find((c) => !certEquals(c, current) && signedBy(current, c));
    if (!issuer) break;
    path.push(issuer);
    current = issuer;
  }
  fail(
    CryptoErrorCode.CERT_UNTRUSTED,
    `The certificate of "${describeName(leaf.subject)}" does not chain to the platform root CA${isSelfSigned(current) ? " (it ends at a foreign root)" : ""}.`,
  );
}

function certEquals(a: Certificate, b: Certificate): boolean {
  return a.serialNumber === b.serialNumber && sameName(a.issuer, b.issuer);
}

function checkValidity(cert: Certificate, at: Date): void {
  const who = describeName(cert.subject);
  if (at < cert.validity.notBefore) {
    fail(
      CryptoErrorCode.CERT_NOT_YET_VALID,
      `The certificate of "${who}" is not valid until ${cert.validity.notBefore.toISOString()}.`,
    );
  }
  if (at > cert.validity.notAfter) {
    fail(
      CryptoErrorCode.CERT_EXPIRED,
      `The certificate of "${who}" expired on ${cert.validity.notAfter.toISOString()}; renew it with the platform CA.`,
    );
  }
}

function checkIsCa(cert: Certificate): void {
  const bc = cert.getExtension("basicConstraints") as { cA?: boolean } | null;
  const ku = cert.getExtension("keyUsage") as { keyCertSign?: boolean } | null;
  if (!bc?.cA || !ku?.keyCertSign) {
    fail(CryptoErrorCode.CERT_UNTRUSTED, `"${describeName(cert.subject)}" is not a CA but appears as an issuer.`);
  }
}

function checkLeafUsage(cert: Certificate, usage: RequiredUsage): void {
  if (usage === "any") return;
  const ku = (cert.getExtension("keyUsage") ?? {}) as Record<string, boolean | undefined>;
  const eku = (cert.getExtension("extKeyUsage") ?? {}) as Record<string, boolean | undefined>;
  const ok =
    usage === "signing"
      ? !!(ku.digitalSignature || ku.nonRepudiation)
      : usage === "encryption"
        ? !!ku.keyEncipherment
        : !!ku.digitalSignature && !!eku.timeStamping;
  if (!ok) {
    fail(
      CryptoErrorCode.CERT_USAGE,
      `The certificate of "${describeName(cert.subject)}" is not a ${usage} certificate (双证书: use the other one).`,
    );
  }
}

function checkRevocation(cert: Certificate, issuer: Certificate, crls: ParsedCrl[], at: Date, required: boolean): void {
  const crl = crls.filter((c) => crlIssuedBy(c, issuer)).sort((a, b) => b.thisUpdate.getTime() - a.thisUpdate.getTime())[0];
  if (!crl) {
    if (required)
      fail(
        CryptoErrorCode.CRL_MISSING,
        `No valid CRL from "${describeName(issuer.subject)}" was supplied; fetch the current CRL.`,
      );
    return;
  }
  const entry = crl.revoked.get(normaliseSerial(cert.serialNumber));
  if (entry && entry.revokedAt <= at) {
    fail(
      CryptoErrorCode.CERT_REVOKED,
      `The certificate of "${describeName(cert.subject)}" (serial ${cert.serialNumber}) was revoked on ${entry.revokedAt.toISOString()}.`,
      { serial: cert.serialNumber, revokedAt: entry.revokedAt.toISOString() },
    );
  }
}
