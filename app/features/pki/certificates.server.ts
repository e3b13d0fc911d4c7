import { createHash } from "node:crypto";
import { z } from "zod";
import {
  type Certificate,
  certToDer,
  certToPem,
  fieldValue,
  isCryptoError,
  issueCertificate,
  parseCsr,
} from "../../../crypto/index.node.ts";
import type { CertificateUsage } from "../../generated/prisma/enums.ts";
import type { SessionUser } from "../../platform/auth/auth.server.ts";
import { appendAudit } from "../../platform/audit/audit.server.ts";
import { db } from "../../platform/db.server.ts";
import { env } from "../../platform/env.server.ts";
import { invalidatePublicCrl } from "../../platform/public-cache.server.ts";
import { currentCrls, platformPki } from "./platform-pki.server.ts";
import * as clock from "../../platform/clock.server.ts";
import { AUDIT_SUBJECT } from "../../platform/audit/subjects.ts";

const HOLDER_VALIDITY_DAYS = 730;

export const EnrolmentSchema = z.object({
  signingCsr: z.string().min(100, "pki.badCsr").max(20_000, "pki.badCsr"),
  encryptionCsr: z.string().min(100, "pki.badCsr").max(20_000, "pki.badCsr"),
});

export type EnrolmentResult =
  { ok: true; signingPem: string; encryptionPem: string; chainPem: string[] } | { ok: false; error: string };

const ROLE_OF = {
  BIDDER: "bidder",
  AGENT: "agent",
  EXPERT: "expert",
  SUPERVISOR: "supervisor",
  ADMIN: "service",
  ROOM_DEVICE: "service",
} as const;

/**
 * Issues the holder's two certificates (双证书) from two CSRs generated in the browser. The CSR
 * subject must name the holder's organisation and credit code as registered; the CA sets the
 * role itself, so nobody can enrol as a role they do not hold.
 */
export async function enrolCertificates(
  user: SessionUser,
  input: z.infer<typeof EnrolmentSchema>,
  ip?: string,
): Promise<EnrolmentResult> {
  const org = user.organizationId
    ? await db().organization.findUnique({ where: { id: user.organizationId }, select: { name: true, creditCode: true } })
    : null;
  if (!org) return { ok: false, error: "pki.noOrganization" };
  for (const csrPem of [input.signingCsr, input.encryptionCsr]) {
    const problem = checkCsrSubject(csrPem, org);
    if (problem) return { ok: false, error: problem };
  }
  const pki = await platformPki();
  const now = new Date(clock.nowMs() - 60_000);
  const crlUrl = `${env().PUBLIC_URL}/pki/issuing.crl`;
  const role = ROLE_OF[user.role];
  const issue = (csrPem: string, profile: "signing" | "encryption") =>
    issueCertificate(pki.issuing, { csrPem, profile, role, now, validityDays: HOLDER_VALIDITY_DAYS, crlUrl });
  const signing = issue(input.signingCsr, "signing");
  const encryption = issue(input.encryptionCsr, "encryption");
  const previous = await db().$transaction(
    async (tx) => {
      // A new pair supersedes the holder's previous certificates, which are revoked.
      const superseded = await tx.certificate.findMany({
        where: { organizationId: user.organizationId, userId: user.id, revokedAt: null },
        select: { id: true, serialNumber: true },
      });
      await tx.certificate.updateMany({
        where: { id: { in: superseded.map((p) => p.id) } },
        data: { revokedAt: clock.now(), revocationReason: "superseded" },
      });
      for (const [cert, usage] of [
        [signing, "SIGNING"],
        [encryption, "ENCRYPTION"],
      ] as const) {
        await tx.certificate.create({ data: certificateRow(cert, usage, user) });
      }
      await appendAudit(
        {
          actorId: user.id,
          action: "pki.certificates_issued",
          subjectType: AUDIT_SUBJECT.Organization,
          subjectId: user.organizationId,
          data: {
            signingSerial: signing.serialNumber,
            encryptionSerial: encryption.serialNumber,
            superseded: superseded.map((p) => p.serialNumber),
            ip,
          },
        },
        tx,
      );
      return superseded;
      // The audit append queues behind every other writer of the chain: many enrolments at once (a
      // deadline morning) wait their turn rather than fail at Prisma's 5 s default.
    },
    { maxWait: 10_000, timeout: 20_000 },
  );
  if (previous.length > 0) {
    invalidateCrls();
    await invalidatePublicCrl();
  }
  return {
    ok: true,
    signingPem: certToPem(signing),
    encryptionPem: certToPem(encryption),
    chainPem: [certToPem(pki.issuing.cert), certToPem(pki.root.cert)],
  };
}

function checkCsrSubject(csrPem: string, org: { name: string; creditCode: string }): string | null {
  try {
    const csr = parseCsr(csrPem);
    if (fieldValue(csr, "O") !== org.name) return "pki.subjectMismatch";
    if (csr.subject.getField({ name: "serialNumber" })?.value !== org.creditCode) return "pki.subjectMismatch";
    return null;
  } catch (error) {
    if (isCryptoError(error)) return "pki.badCsr";
    throw error;
  }
}

function certificateRow(cert: Certificate, usage: CertificateUsage, user: SessionUser) {
  return {
    organizationId: user.organizationId,
    userId: user.id,
    usage,
    serialNumber: cert.serialNumber,
    subject: cert.subject.attributes.map((a) => `${a.shortName ?? a.name}=${String(a.value)}`).join(", "),
    fingerprint: createHash("sha256").update(certToDer(cert)).digest("hex"),
    pem: certToPem(cert),
    notBefore: cert.validity.notBefore,
    notAfter: cert.validity.notAfter,
  };
}

/** The holder's current (unrevoked, unexpired) certificate of one usage. */
export async function currentCertificate(organizationId: string, userId: string, usage: CertificateUsage) {
  return db().certificate.findFirst({
    where: { organizationId, userId, usage, revokedAt: null, notAfter: { gt: clock.now() } },
    orderBy: { createdAt: "desc" },
    select: { id: true, serialNumber: true, pem: true, notAfter: true, fingerprint: true },
  });
}

/** Revoked holder certificates, for the issuing CA's CRL. */
export async function revokedEntries() {
  const rows = await db().certificate.findMany({
    where: { revokedAt: { not: null } },
    select: { serialNumber: true, revokedAt: true, revocationReason: true },
  });
  return rows.map((r) => ({
    serial: r.serialNumber,
    revokedAt: r.revokedAt as Date,
    reason: r.revocationReason === "superseded" ? ("superseded" as const) : undefined,
  }));
}

// CRLs are signed by the CA keys; they are rebuilt when a certificate is revoked and at least
// hourly (each is valid for a day), not per request.
const CRL_MAX_AGE_MS = 3600 * 1000;
let crlCache: { builtAt: number; crls: Promise<{ issuing: Uint8Array; root: Uint8Array }> } | undefined;

export function invalidateCrls(): void {
  crlCache = undefined;
}

export function platformCrls(): Promise<{ issuing: Uint8Array; root: Uint8Array }> {
  const now = clock.nowMs();
  if (!crlCache || now - crlCache.builtAt > CRL_MAX_AGE_MS) {
    const crls = revokedEntries().then((revoked) => currentCrls(revoked, Math.floor(now / 1000)));
    crlCache = { builtAt: now, crls };
    crls.catch(() => invalidateCrls());
  }
  return crlCache.crls;
}
