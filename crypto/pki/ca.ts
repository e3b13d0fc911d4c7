import forge from "node-forge";
import { randomBytes, toHex } from "../bytes.ts";
import { CryptoErrorCode, fail } from "../errors.ts";
import { parseCsr } from "./csr.ts";
import type { KeyPair, PrivateKey } from "./keys.ts";
import { subjectAttributes, type HolderRole, type SubjectInput } from "./names.ts";
import type { Certificate } from "./pem.ts";
import { profileExtensions, type CertProfile } from "./profiles.ts";

export interface CaIdentity {
  cert: Certificate;
  key: PrivateKey;
}

const DAY_MS = 86_400_000;

/** A positive, non-zero 127-bit serial: unpredictable, as CA/B practice asks, and DER-positive. */
export function newSerial(): string {
  const bytes = randomBytes(16);
  bytes[0] = ((bytes[0] ?? 0) & 0x7f) | 0x01;
  return toHex(bytes);
}

interface BuildInput {
  subject: forge.pki.CertificateField[];
  publicKey: forge.pki.PublicKey;
  issuer: CaIdentity | null;
  signingKey: PrivateKey;
  profile: CertProfile;
  notBefore: Date;
  validityDays: number;
  crlUrl?: string;
}

function buildCertificate(input: BuildInput): Certificate {
  const cert = forge.pki.createCertificate();
  cert.serialNumber = newSerial();
  cert.publicKey = input.publicKey;
  cert.validity.notBefore = input.notBefore;
  cert.validity.notAfter = new Date(input.notBefore.getTime() + input.validityDays * DAY_MS);
  cert.setSubject(input.subject);
  cert.setIssuer(input.issuer ? input.issuer.cert.subject.attributes : input.subject);
  const extensions = [...profileExtensions(input.profile), { name: "subjectKeyIdentifier" }];
  const aki = input.issuer ? subjectKeyIdBytes(input.issuer.cert) : cert.generateSubjectKeyIdentifier().getBytes();
  extensions.push({ name: "authorityKeyIdentifier", keyIdentifier: aki });
  if (input.crlUrl) extensions.push({ name: "cRLDistributionPoints", altNames: [{ type: 6, value: input.crlUrl }] });
  cert.setExtensions(extensions);
  cert.sign(input.signingKey, forge.md.sha256.create());
  return cert;
}

function subjectKeyIdBytes(cert: Certificate): string {
  const ext = cert.getExtension("subjectKeyIdentifier") as { subjectKeyIdentifier?: string } | null;
  return ext?.subjectKeyIdentifier
    ? forge.util.hexToBytes(ext.subjectKeyIdentifier)
    : cert.generateSubjectKeyIdentifier().getBytes();
}

export interface CreateCaInput {
  keys: KeyPair;
  subject: SubjectInput;
  now: Date;
  validityDays?: number;
}

export function createRootCa(input: CreateCaInput): CaIdentity {
  const cert = buildCertificate({
    subject: subjectAttributes(input.subject),
    publicKey: input.keys.publicKey,
    issuer: null,
    signingKey: input.keys.privateKey,
    profile: "root-ca",
    notBefore: input.now,
    validityDays: input.validityDays ?? 3650 * 2,
  });
  return { cert, key: input.keys.privateKey };
}

export function createIssuingCa(root: CaIdentity, input: CreateCaInput & { crlUrl?: string }): CaIdentity {
  const cert = buildCertificate({
    subject: subjectAttributes(input.subject),
    publicKey: input.keys.publicKey,
    issuer: root,
    signingKey: root.key,
    profile: "issuing-ca",
    notBefore: input.now,
    validityDays: input.validityDays ?? 3650,
    crlUrl: input.crlUrl,
  });
  return { cert, key: input.keys.privateKey };
}

export interface IssueInput {
  csrPem: string;
  profile: Exclude<CertProfile, "root-ca" | "issuing-ca">;
  role: HolderRole;
  now: Date;
  validityDays?: number;
  crlUrl?: string;
}

/**
 * Issue a holder certificate from a CSR. The subject comes from the CSR but the OU is set
 * by the CA to the holder's role: the requester cannot promote itself to "supervisor".
 */
export function issueCertificate(ca: CaIdentity, input: IssueInput): Certificate {
  const csr = parseCsr(input.csrPem);
  const attrs = csr.subject.attributes.filter((a) => a.shortName !== "OU");
  const cn = attrs.find((a) => a.shortName === "CN");
  if (!cn) fail(CryptoErrorCode.BAD_CSR, "The certificate request has no common name (CN).");
  const subject = [...attrs.filter((a) => a !== cn), { shortName: "OU", value: input.role }, cn];
  const notAfter = new Date(input.now.getTime() + (input.validityDays ?? 730) * DAY_MS);
  if (notAfter > ca.cert.validity.notAfter) {
    fail(CryptoErrorCode.BAD_INPUT, "The requested validity ends after the issuing CA certificate expires.");
  }
  return buildCertificate({
    subject,
    publicKey: csr.publicKey as forge.pki.PublicKey,
    issuer: ca,
    signingKey: ca.key,
    profile: input.profile,
    notBefore: input.now,
    validityDays: input.validityDays ?? 730,
    crlUrl: input.crlUrl,
  });
}
