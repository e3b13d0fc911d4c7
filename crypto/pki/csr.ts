import forge from "node-forge";
import { CryptoErrorCode, fail } from "../errors.ts";
import type { KeyPair } from "./keys.ts";
import { normaliseNames, subjectAttributes, type SubjectInput } from "./names.ts";

export type CertificationRequest = forge.pki.CertificateSigningRequest;

/** Build a PKCS#10 request on the holder's side; only the public key leaves the machine. */
export function createCsr(keys: KeyPair, subject: SubjectInput): string {
  const csr = forge.pki.createCertificationRequest();
  csr.publicKey = keys.publicKey;
  csr.setSubject(subjectAttributes(subject));
  csr.sign(keys.privateKey, forge.md.sha256.create());
  return forge.pki.certificationRequestToPem(csr);
}

export function parseCsr(pem: string): CertificationRequest {
  let csr: CertificationRequest;
  try {
    csr = normaliseNames(forge.pki.certificationRequestFromPem(pem));
  } catch (e) {
    fail(CryptoErrorCode.BAD_CSR, `The certificate request is not a valid PEM PKCS#10 request: ${(e as Error).message}`);
  }
  if (!selfSignatureHolds(csr)) fail(CryptoErrorCode.BAD_CSR, "The certificate request's self-signature does not verify.");
  const key = csr.publicKey as forge.pki.rsa.PublicKey | null;
  if (!key || key.n.bitLength() < 2048) {
    fail(CryptoErrorCode.BAD_CSR, "The certificate request must carry an RSA key of at least 2048 bits.");
  }
  return csr;
}

function selfSignatureHolds(csr: CertificationRequest): boolean {
  try {
    return csr.verify();
  } catch {
    return false;
  }
}
