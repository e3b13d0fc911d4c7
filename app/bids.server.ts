import { createHash } from "node:crypto";
import { z } from "zod";
import fs from "node:fs/promises";
import path from "node:path";
import { acceptBid, checkBidChange, withdrawBid, type DomainError } from "../bidding-core/index.ts";
import { checkWalk, type VerifiedEnvelope } from "../crypto/envelope/verify.ts";
import { verifyStoredEnvelope, type EnvelopeIntake } from "./envelope-intake.server.ts";
import { certToDer } from "../crypto/pki/pem.ts";
import { isCryptoError } from "../crypto/errors.ts";
import type { SessionUser } from "./auth.server.ts";
import { appendAudit } from "./audit.server.ts";
import { currentCertificate, platformCrls } from "./certificates.server.ts";
import { db } from "./db.server.ts";
import { env } from "./env.server.ts";
import { trustStore } from "./pki.server.ts";
import { issueReceipt, type SignedReceipt } from "./receipts.server.ts";
import { ensureTenderEscrow } from "./escrow.server.ts";
import { createLimiter } from "./limiter.ts";
import { OPEN_STATUSES } from "./tender-enums.ts";

/** Why a bid (or an upload of one) was refused: an i18n key in the `bid` namespace, an HTTP status, the article. */
export interface BidRefusal {
  code: string;
  status: number;
  article?: string;
  params?: Record<string, string | number | boolean>;
}

export type BidCheck<T> = { ok: true; value: T } | { ok: false; refusal: BidRefusal };

function refuse(code: string, status: number, extra: Partial<BidRefusal> = {}): { ok: false; refusal: BidRefusal } {
  return { ok: false, refusal: { code, status, ...extra } };
}

function fromDomain(error: DomainError, status = 422): { ok: false; refusal: BidRefusal } {
  return refuse(`bid.${error.code}`, status, { article: error.article, params: { ...error.params } });
}

export interface BidContext {
  tender: { id: string; code: string; title: string; bidDeadline: Date; maxEnvelopeBytes: bigint };
  organization: { id: string; name: string; creditCode: string };
  signingCert: { id: string; serialNumber: string; fingerprint: string; pem: string };
  encryptionCert: { id: string; serialNumber: string; pem: string };
  escrow: { serial: string; publicKeyPem: string };
}

/**
 * Everything a bid needs before a byte is accepted (Regs Art 36, E-Measures Arts 26-28): the
 * tender open for bids by the server clock, the bidder holding the documents and current
 * certificates, the tender's escrow key in place.
 */
export async function bidContext(user: SessionUser, tenderId: string, now: Date): Promise<BidCheck<BidContext>> {
  if (user.role !== "BIDDER" || !user.organizationId) return refuse("bid.notBidder", 403);
  if (!z.string().uuid().safeParse(tenderId).success) return refuse("bid.noSuchTender", 404);
  const tender = await db().tender.findUnique({
    where: { id: tenderId },
    select: { id: true, code: true, title: true, status: true, bidDeadline: true, maxEnvelopeBytes: true },
  });
  if (!tender || !tender.bidDeadline) return refuse("bid.noSuchTender", 404);
  const holds = (await db().documentDownload.count({ where: { tenderId, organizationId: user.organizationId } })) > 0;
  const accepted = acceptBid({ bidderId: user.organizationId, receivedAt: now, encrypted: true, holdsDocuments: holds }, tender.bidDeadline);
  if (!accepted.ok) return fromDomain(accepted.error, accepted.error.code === "BID.AFTER_DEADLINE" ? 409 : 422);
  if (!(OPEN_STATUSES as readonly string[]).includes(tender.status)) return refuse("bid.tenderNotOpen", 409);
  const escrow = await ensureTenderEscrow(tender.id);
  if (!escrow) return refuse("bid.escrowMissing", 409);
  const [signingCert, encryptionCert, organization] = await Promise.all([
    currentCertificate(user.organizationId, user.id, "SIGNING"),
    currentCertificate(user.organizationId, user.id, "ENCRYPTION"),
    db().organization.findUniqueOrThrow({ where: { id: user.organizationId }, select: { id: true, name: true, creditCode: true } }),
  ]);
  if (!signingCert || !encryptionCert) return refuse("bid.noCertificate", 409);
  return {
    ok: true,
    value: {
      tender: { id: tender.id, code: tender.code, title: tender.title, bidDeadline: tender.bidDeadline, maxEnvelopeBytes: tender.maxEnvelopeBytes },
      organization,
      signingCert,
      encryptionCert,
      escrow,
    },
  };
}

export function checkEnvelopeSize(ctx: BidContext, size: number | undefined): BidCheck<number> {
  if (size === undefined || !Number.isSafeInteger(size)) return refuse("bid.sizeUnknown", 400);
  if (size <= 0) return refuse("bid.emptyEnvelope", 400);
  if (BigInt(size) > ctx.tender.maxEnvelopeBytes) {
    return refuse("bid.tooLarge", 413, { params: { maxMb: Number(ctx.tender.maxEnvelopeBytes / 1_048_576n) } });
  }
  return { ok: true, value: size };
}

/** Records a refused attempt (Regs Art 36: refusals are recorded). */
export async function recordRefusal(user: SessionUser, tenderId: string, refusal: BidRefusal, data: Record<string, unknown> = {}): Promise<void> {
  await appendAudit({
    actorId: user.id,
    action: "bid.refused",
    subjectType: "Tender",
    subjectId: tenderId,
    data: { organizationId: user.organizationId, code: refusal.code, article: refusal.article, ...data },
  });
}

export interface SubmissionMeta {
  ip?: string;
  userAgent?: string;
  deviceFingerprint?: string;
  documentMeta?: Record<string, unknown>;
}

function checkRecipients(ctx: BidContext, verified: VerifiedEnvelope): BidRefusal | null {
  const serials = (role: string) => verified.header.recipients.filter((r) => r.role === role).map((r) => r.certSerial.toLowerCase());
  if (!serials("bidder").includes(ctx.encryptionCert.serialNumber.toLowerCase())) return { code: "bid.wrongEncryptionCert", status: 422 };
  if (!serials("escrow").includes(ctx.escrow.serial.toLowerCase())) return { code: "bid.wrongEscrow", status: 422 };
  const signerFingerprint = createHash("sha256").update(certToDer(verified.signer)).digest("hex");
  if (signerFingerprint !== ctx.signingCert.fingerprint) return { code: "bid.wrongSigner", status: 422 };
  return null;
}

function bidsDir(): string {
  return path.resolve(env().BIDS_DIR);
}

export interface AcceptedBid {
  bidId: string;
  versionId: string;
  version: number;
  receipt: SignedReceipt;
}

// Around a deadline hundreds of envelopes complete together. What each needs after its last byte
// is small (docs/decisions/051): the walk and hashes are done while it arrives, the signature and
// chain checks take a few ms, receipts are signed natively. The queues are only where resources
// are bounded:
// - recording: each transaction holds a pooled connection (the pool has 10) and, at its end, the
//   audit chain's lock; at most 6 at a time, so other requests keep connections. FIFO here rather
//   than in the pool, so the transaction's own maxWait never fires under load.
// - reading back: an envelope not walked while it arrived is read whole from disk.
const recording = createLimiter(6);
const readingBack = createLimiter(2);

/**
 * Turns a completely uploaded envelope into a bid version, or refuses it. The server cannot
 * decrypt: it checks structure, ciphertext digests against the bidder-signed manifest, the
 * signature and certificate chain, and that the key is wrapped to the bidder and the escrow.
 * The envelope is moved into bid storage and recorded in one step; a refused file is deleted.
 */
export async function finaliseSubmission(
  user: SessionUser, tenderId: string, uploadedFile: string, intake: EnvelopeIntake | null, meta: SubmissionMeta,
): Promise<BidCheck<AcceptedBid>> {
  // The arrival time is when the last byte arrived, before any queueing for verification.
  const receivedAt = new Date();
  // The walk's last digests and the file hash are finishing on an ingest thread meanwhile.
  const walked = intake?.finish();
  walked?.catch(() => undefined);
  const context = await bidContext(user, tenderId, receivedAt);
  if (!context.ok) return context;
  const ctx = context.value;
  let verified: VerifiedEnvelope;
  let envelopeSha256: string;
  try {
    const options = { trust: await trustStore(await platformCrls()), at: receivedAt, expectedTenderId: tenderId };
    // Walked and hashed while it arrived when possible; otherwise read back from disk.
    const seen = walked ? await walked : await readingBack(() => verifyStoredEnvelope(uploadedFile));
    verified = checkWalk(seen.walk, options);
    envelopeSha256 = seen.sha256;
  } catch (error) {
    if (isCryptoError(error)) return refuse(`bid.${error.code}`, 422, { params: { detail: error.message } });
    throw error;
  }
  const mismatch = checkRecipients(ctx, verified);
  if (mismatch) return { ok: false, refusal: mismatch };

  const { size } = await fs.stat(uploadedFile);
  const storageKey = path.join(tenderId, `${envelopeSha256}.mbseal`);
  await fs.mkdir(path.join(bidsDir(), tenderId), { recursive: true });
  const stored = path.join(bidsDir(), storageKey);
  await fs.rename(uploadedFile, stored);

  const accepted = await recording(() => db().$transaction(async (tx) => {
    const bid = await tx.bid.upsert({
      where: { tenderId_organizationId: { tenderId, organizationId: ctx.organization.id } },
      create: { tenderId, organizationId: ctx.organization.id },
      update: { status: "SUBMITTED", withdrawnAt: null },
      select: { id: true },
    });
    const number = (await tx.bidVersion.count({ where: { bidId: bid.id } })) + 1;
    const receipt = await issueReceipt({
      tender: ctx.tender,
      bidder: ctx.organization,
      bidId: bid.id,
      version: number,
      envelopeSha256,
      envelopeId: verified.manifest.envelopeId,
      manifestDigest: verified.manifestDigest,
      sizeBytes: size,
      receivedAt,
    });
    const version = await tx.bidVersion.create({
      data: {
        bidId: bid.id,
        number,
        submittedById: user.id,
        envelopeSha256,
        sizeBytes: BigInt(size),
        storageKey,
        manifest: JSON.parse(JSON.stringify(verified.manifest)) as object,
        signerCertificateId: ctx.signingCert.id,
        receivedAt,
        receipt: JSON.parse(JSON.stringify(receipt.json)) as object,
        timestampToken: Buffer.from(receipt.timestampToken),
        ip: meta.ip,
        userAgent: meta.userAgent?.slice(0, 300),
        deviceFingerprint: meta.deviceFingerprint,
        documentMeta: (meta.documentMeta ?? {}) as object,
      },
      select: { id: true },
    });
    await appendAudit(
      {
        actorId: user.id,
        action: "bid.submitted",
        subjectType: "Bid",
        subjectId: bid.id,
        data: { tenderId, organizationId: ctx.organization.id, version: number, envelopeSha256, sizeBytes: size, receivedAt: receivedAt.toISOString(), ip: meta.ip },
      },
      tx,
    );
    return { bidId: bid.id, versionId: version.id, version: number, receipt };
  }, { maxWait: 10_000, timeout: 10_000 })).catch(async (error: unknown) => {
    // Nothing was recorded, so nothing may stay stored.
    await fs.rm(stored, { force: true });
    throw error;
  });
  return { ok: true, value: accepted };
}

/** 撤回 before the deadline (TBL Art 29): the bid stops counting; its versions stay on record. */
export async function withdraw(user: SessionUser, tenderId: string): Promise<BidCheck<{ refundDue: string }>> {
  if (!user.organizationId) return refuse("bid.notBidder", 403);
  if (!z.string().uuid().safeParse(tenderId).success) return refuse("bid.noBid", 404);
  const now = new Date();
  const bid = await db().bid.findUnique({
    where: { tenderId_organizationId: { tenderId, organizationId: user.organizationId } },
    select: { id: true, status: true, tender: { select: { bidDeadline: true } } },
  });
  if (!bid || !bid.tender.bidDeadline) return refuse("bid.noBid", 404);
  const change = checkBidChange(now, bid.tender.bidDeadline);
  if (!change.ok) return fromDomain(change.error, 409);
  const outcome = withdrawBid({ at: now, bidDeadline: bid.tender.bidDeadline, alreadyWithdrawn: bid.status === "WITHDRAWN" });
  if (!outcome.ok) return fromDomain(outcome.error, 409);
  if (outcome.value.kind !== "withdrawn") return refuse("bid.BID.AFTER_DEADLINE", 409);
  const refundDue = outcome.value.securityRefundDue.value.toISOString();
  await db().$transaction(async (tx) => {
    await tx.bid.update({ where: { id: bid.id }, data: { status: "WITHDRAWN", withdrawnAt: now } });
    await appendAudit({ actorId: user.id, action: "bid.withdrawn", subjectType: "Bid", subjectId: bid.id, data: { tenderId, securityRefundDue: refundDue } }, tx);
  });
  return { ok: true, value: { refundDue } };
}
