import { createHash, randomUUID } from "node:crypto";
import { z } from "zod";
import fs from "node:fs/promises";
import path from "node:path";
import { acceptBid, checkBidChange, withdrawBid, type DomainError } from "../../../bidding-core/index.ts";
import { certToDer, checkWalk, isCryptoError, type VerifiedEnvelope } from "../../../crypto/index.node.ts";
import { verifyStoredEnvelope, type EnvelopeIntake } from "./upload/envelope-intake.server.ts";
import type { SessionUser } from "../../platform/auth/auth.server.ts";
import { appendAudit, appendAuditSql } from "../../platform/audit/audit.server.ts";
import { platformCrls } from "../pki/index.ts";
import { db, sql, sqlTransaction } from "../../platform/db.server.ts";
import { env } from "../../platform/env.server.ts";
import { trustStore } from "../pki/index.ts";
import { issueReceipt, type SignedReceipt } from "./receipts.server.ts";
import { ensureTenderEscrow } from "../escrow/index.ts";
import { createLimiter } from "../../platform/limiter.ts";
import { OPEN_STATUSES } from "../tenders/index.ts";
import * as clock from "../../platform/clock.server.ts";
import { refuse, refusalFromDomain, type Outcome, type Refusal } from "../../platform/refusal.ts";
import { AUDIT_SUBJECT } from "../../platform/audit/subjects.ts";

/** A refused bid or upload: the one Refusal (platform/refusal.ts; codes `bid.…`, decision 062). */
const fromDomain = (error: DomainError, status = 422) => refusalFromDomain(error, "bid", status);

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
export async function bidContext(
  user: SessionUser,
  tenderId: string,
  now: Date,
  options: { createEscrow: boolean },
): Promise<Outcome<BidContext>> {
  if (user.role !== "BIDDER" || !user.organizationId) return refuse("bid.notBidder", 403);
  if (!z.string().uuid().safeParse(tenderId).success) return refuse("bid.noSuchTender", 404);
  const row = await loadBidContext(tenderId, user.organizationId, user.id, now);
  if (!row || !row.bidDeadline) return refuse("bid.noSuchTender", 404);
  const accepted = acceptBid(
    { bidderId: user.organizationId, receivedAt: now, encrypted: true, holdsDocuments: row.holdsDocuments },
    row.bidDeadline,
  );
  if (!accepted.ok) return fromDomain(accepted.error, accepted.error.code === "BID.AFTER_DEADLINE" ? 409 : 422);
  if (!(OPEN_STATUSES as readonly string[]).includes(row.status)) return refuse("bid.tenderNotOpen", 409);
  // Made when the tender is published or its custodians are set (decision 056). The bid page
  // may still make it (custodians who enrolled later); the upload path never does: a missing key
  // there is a clear refusal, not a 3072-bit key generation in the middle of a bid.
  const existing = row.escrowSerial && row.escrowPem ? { serial: row.escrowSerial, publicKeyPem: row.escrowPem } : null;
  const escrow = existing ?? (options.createEscrow ? await ensureTenderEscrow(row.id) : null);
  if (!escrow) return refuse("bid.escrowMissing", 409);
  if (row.organizationName === null || row.organizationCreditCode === null)
    throw new Error(`organisation ${user.organizationId} of user ${user.id} does not exist`);
  if (!row.signingCertId || !row.encryptionCertId) return refuse("bid.noCertificate", 409);
  return {
    ok: true,
    value: {
      tender: {
        id: row.id,
        code: row.code,
        title: row.title,
        bidDeadline: row.bidDeadline,
        maxEnvelopeBytes: BigInt(row.maxEnvelopeBytes),
      },
      organization: { id: user.organizationId, name: row.organizationName, creditCode: row.organizationCreditCode },
      signingCert: {
        id: row.signingCertId,
        serialNumber: row.signingCertSerial ?? "",
        fingerprint: row.signingCertFingerprint ?? "",
        pem: row.signingCertPem ?? "",
      },
      encryptionCert: {
        id: row.encryptionCertId,
        serialNumber: row.encryptionCertSerial ?? "",
        pem: row.encryptionCertPem ?? "",
      },
      escrow,
    },
  };
}

interface BidContextRow {
  id: string;
  code: string;
  title: string;
  status: string;
  bidDeadline: Date | null;
  maxEnvelopeBytes: string;
  holdsDocuments: boolean;
  escrowSerial: string | null;
  escrowPem: string | null;
  organizationName: string | null;
  organizationCreditCode: string | null;
  signingCertId: string | null;
  signingCertSerial: string | null;
  signingCertFingerprint: string | null;
  signingCertPem: string | null;
  encryptionCertId: string | null;
  encryptionCertSerial: string | null;
  encryptionCertPem: string | null;
}

/**
 * The tender, whether the organisation holds its documents, the escrow key, the organisation and
 * the user's current signing and encryption certificates (the newest unrevoked one valid at
 * `now`, as currentCertificate picks it): one statement instead of six queries, since every
 * upload asks twice (docs/decisions/052).
 */
async function loadBidContext(
  tenderId: string,
  organizationId: string,
  userId: string,
  now: Date,
): Promise<BidContextRow | null> {
  const { rows } = await sql().query<BidContextRow>(
    `SELECT t.id, t.code, t.title, t.status::text AS status, t.bid_deadline AS "bidDeadline",
            t.max_envelope_bytes::text AS "maxEnvelopeBytes",
            EXISTS (SELECT 1 FROM document_download d WHERE d.tender_id = t.id AND d.organization_id = $2) AS "holdsDocuments",
            e.serial AS "escrowSerial", e.public_key_pem AS "escrowPem",
            o.name AS "organizationName", o.credit_code AS "organizationCreditCode",
            sc.id AS "signingCertId", sc.serial_number AS "signingCertSerial", sc.fingerprint AS "signingCertFingerprint", sc.pem AS "signingCertPem",
            ec.id AS "encryptionCertId", ec.serial_number AS "encryptionCertSerial", ec.pem AS "encryptionCertPem"
       FROM tender t
       LEFT JOIN tender_escrow e ON e.tender_id = t.id
       LEFT JOIN organization o ON o.id = $2
       LEFT JOIN LATERAL (
         SELECT c.id, c.serial_number, c.fingerprint, c.pem FROM certificate c
          WHERE c.organization_id = $2 AND c.user_id = $3 AND c.usage = 'SIGNING' AND c.revoked_at IS NULL AND c.not_after > $4
          ORDER BY c.created_at DESC LIMIT 1) sc ON true
       LEFT JOIN LATERAL (
         SELECT c.id, c.serial_number, c.pem FROM certificate c
          WHERE c.organization_id = $2 AND c.user_id = $3 AND c.usage = 'ENCRYPTION' AND c.revoked_at IS NULL AND c.not_after > $4
          ORDER BY c.created_at DESC LIMIT 1) ec ON true
      WHERE t.id = $1`,
    [tenderId, organizationId, userId, now],
  );
  return rows[0] ?? null;
}

export function checkEnvelopeSize(ctx: BidContext, size: number | undefined): Outcome<number> {
  if (size === undefined || !Number.isSafeInteger(size)) return refuse("bid.sizeUnknown", 400);
  if (size <= 0) return refuse("bid.emptyEnvelope", 400);
  if (BigInt(size) > ctx.tender.maxEnvelopeBytes) {
    return refuse("bid.tooLarge", 413, { params: { maxMb: Number(ctx.tender.maxEnvelopeBytes / 1_048_576n) } });
  }
  return { ok: true, value: size };
}

/** Records a refused attempt (Regs Art 36: refusals are recorded). */
export async function recordRefusal(
  user: SessionUser,
  tenderId: string,
  refusal: Refusal,
  data: Record<string, unknown> = {},
): Promise<void> {
  await appendAudit({
    actorId: user.id,
    action: "bid.refused",
    subjectType: AUDIT_SUBJECT.Tender,
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

function checkRecipients(ctx: BidContext, verified: VerifiedEnvelope): Refusal | null {
  const serials = (role: string) =>
    verified.header.recipients.filter((r) => r.role === role).map((r) => r.certSerial.toLowerCase());
  if (!serials("bidder").includes(ctx.encryptionCert.serialNumber.toLowerCase()))
    return { code: "bid.wrongEncryptionCert", status: 422 };
  if (!serials("escrow").includes(ctx.escrow.serial.toLowerCase())) return { code: "bid.wrongEscrow", status: 422 };
  const signerFingerprint = createHash("sha256").update(certToDer(verified.signer)).digest("hex");
  if (signerFingerprint !== ctx.signingCert.fingerprint) return { code: "bid.wrongSigner", status: 422 };
  return null;
}

/** fdatasync/fsync: a file's bytes, or a directory's entries, are on disk when this resolves. */
async function syncFile(file: string): Promise<void> {
  const handle = await fs.open(file, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
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
//   than in the pool, so the pool's 10 s connection wait never fires under load.
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
  user: SessionUser,
  tenderId: string,
  uploadedFile: string,
  intake: EnvelopeIntake | null,
  meta: SubmissionMeta,
  receivedAt: Date,
): Promise<Outcome<AcceptedBid>> {
  // `receivedAt` is when the last byte arrived (recorded then, bid-arrivals.server.ts): queueing
  // for verification or recording, or a finalisation run again after a fault, does not move it.
  // The walk's last digests and the file hash are finishing on an ingest thread meanwhile.
  const walked = intake?.finish();
  walked?.catch(() => undefined);
  const context = await bidContext(user, tenderId, receivedAt, { createEscrow: false });
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
  const tenderDir = path.join(bidsDir(), tenderId);
  await fs.mkdir(tenderDir, { recursive: true });
  const stored = path.join(bidsDir(), storageKey);
  // On disk before the receipt says so: the envelope's bytes, then its name in the bid store.
  await syncFile(uploadedFile);
  storing.set(storageKey, (storing.get(storageKey) ?? 0) + 1);
  try {
    // A second name, not a move: the upload keeps its bytes until the version is recorded, so a
    // failure (database down, process killed) loses nothing and the finalisation can run again.
    await fs.link(uploadedFile, stored).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== "EEXIST") throw error;
    });
    await syncFile(tenderDir);
    const accepted = await recording(() =>
      recordVersion(user, ctx, verified, { tenderId, envelopeSha256, storageKey, size, receivedAt, meta }),
    );
    return { ok: true, value: accepted };
  } catch (error) {
    await dropUnrecorded(storageKey, stored);
    throw error;
  } finally {
    const left = (storing.get(storageKey) ?? 1) - 1;
    if (left > 0) storing.set(storageKey, left);
    else storing.delete(storageKey);
  }
}

/**
 * Envelopes are stored by their hash, so the same sealed bytes sent twice (a retry after a lost
 * answer) share one file: the finalisations under way per storage key in this process.
 */
const storing = new Map<string, number>();

/**
 * After a failure, the stored file goes unless a version refers to it (an earlier one with the
 * same bytes, or this one if the connection broke after COMMIT) or another finalisation of the
 * same bytes is under way. When in doubt (the database cannot answer) the file stays: an
 * unreferenced file is harmless, a referenced one lost is not.
 */
async function dropUnrecorded(storageKey: string, stored: string): Promise<void> {
  if ((storing.get(storageKey) ?? 0) > 1) return;
  const referenced = await sql()
    .query("SELECT 1 FROM bid_version WHERE storage_key = $1 LIMIT 1", [storageKey])
    .then(
      (r) => (r.rowCount ?? 0) > 0,
      () => true,
    );
  if (!referenced) await fs.rm(stored, { force: true });
}

interface VersionInput {
  tenderId: string;
  envelopeSha256: string;
  storageKey: string;
  size: number;
  receivedAt: Date;
  meta: SubmissionMeta;
}

/** The receipt stored with a bid version (what its bidder downloads). */
export async function storedReceipt(versionId: string): Promise<unknown> {
  const { rows } = await sql().query<{ receipt: unknown }>("SELECT receipt FROM bid_version WHERE id = $1", [versionId]);
  return rows[0]?.receipt ?? null;
}

/**
 * The bid (created or made current again), its next version with the receipt, and the audit
 * entry: one transaction. Idempotent for a finalisation run again (after a fault, or by a second
 * process): when the bid's current version already holds these very bytes, that version and its
 * receipt are the answer and nothing new is recorded.
 */
function recordVersion(
  user: SessionUser,
  ctx: BidContext,
  verified: VerifiedEnvelope,
  input: VersionInput,
): Promise<AcceptedBid> {
  const { tenderId, envelopeSha256, storageKey, size, receivedAt, meta } = input;
  return sqlTransaction(async (c) => {
    const now = clock.now();
    // Whether the bid stood submitted before this transaction: only then may the same bytes be
    // "already recorded" (after a withdrawal, sending them again is a new version).
    const before = await c.query<{ status: string }>(
      "SELECT status::text AS status FROM bid WHERE tender_id = $1 AND organization_id = $2 FOR UPDATE",
      [tenderId, ctx.organization.id],
    );
    const mayBeRecorded = before.rows[0]?.status !== "WITHDRAWN";
    const bidRows = await c.query<{ id: string }>(
      `INSERT INTO bid (id, tender_id, organization_id, status, created_at, updated_at)
       VALUES ($1, $2, $3, 'SUBMITTED', $4, $4)
       ON CONFLICT (tender_id, organization_id) DO UPDATE SET status = 'SUBMITTED', withdrawn_at = NULL, updated_at = EXCLUDED.updated_at
       RETURNING id`,
      [randomUUID(), tenderId, ctx.organization.id, now],
    );
    const bid = bidRows.rows[0] as { id: string };
    // The upsert holds the bid's row lock until the end of the transaction, so versions are
    // numbered one at a time; counted in a statement of its own, which (READ COMMITTED) sees
    // what a transaction it waited for committed.
    const counted = await c.query<{ versions: number }>("SELECT count(*)::int AS versions FROM bid_version WHERE bid_id = $1", [
      bid.id,
    ]);
    const current = await c.query<{
      id: string;
      number: number;
      envelopeSha256: string;
      receipt: SignedReceipt["json"];
      timestampToken: Buffer;
    }>(
      `SELECT id, number, envelope_sha256 AS "envelopeSha256", receipt, timestamp_token AS "timestampToken"
         FROM bid_version WHERE bid_id = $1 ORDER BY number DESC LIMIT 1`,
      [bid.id],
    );
    const last = current.rows[0];
    if (mayBeRecorded && last && last.envelopeSha256 === envelopeSha256) {
      return {
        bidId: bid.id,
        versionId: last.id,
        version: last.number,
        receipt: { json: last.receipt, timestampToken: new Uint8Array(last.timestampToken) },
      };
    }
    const number = (counted.rows[0]?.versions ?? 0) + 1;
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
    const versionId = randomUUID();
    await c.query(
      `INSERT INTO bid_version (id, bid_id, number, submitted_by_id, envelope_sha256, size_bytes, storage_key, manifest,
                                signer_certificate_id, received_at, receipt, timestamp_token, ip, user_agent, device_fingerprint, document_meta)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
      [
        versionId,
        bid.id,
        number,
        user.id,
        envelopeSha256,
        String(size),
        storageKey,
        JSON.stringify(verified.manifest),
        ctx.signingCert.id,
        receivedAt,
        JSON.stringify(receipt.json),
        Buffer.from(receipt.timestampToken),
        meta.ip ?? null,
        meta.userAgent?.slice(0, 300) ?? null,
        meta.deviceFingerprint ?? null,
        JSON.stringify(meta.documentMeta ?? {}),
      ],
    );
    await appendAuditSql(c, {
      actorId: user.id,
      action: "bid.submitted",
      subjectType: AUDIT_SUBJECT.Bid,
      subjectId: bid.id,
      data: {
        tenderId,
        organizationId: ctx.organization.id,
        version: number,
        envelopeSha256,
        sizeBytes: size,
        receivedAt: receivedAt.toISOString(),
        ip: meta.ip,
      },
    });
    return { bidId: bid.id, versionId, version: number, receipt };
  });
}

/** 撤回 before the deadline (TBL Art 29): the bid stops counting; its versions stay on record. */
export async function withdraw(user: SessionUser, tenderId: string): Promise<Outcome<{ refundDue: string }>> {
  if (!user.organizationId) return refuse("bid.notBidder", 403);
  if (!z.string().uuid().safeParse(tenderId).success) return refuse("bid.noBid", 404);
  const now = clock.now();
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
    await appendAudit(
      {
        actorId: user.id,
        action: "bid.withdrawn",
        subjectType: AUDIT_SUBJECT.Bid,
        subjectId: bid.id,
        data: { tenderId, securityRefundDue: refundDue },
      },
      tx,
    );
  });
  return { ok: true, value: { refundDue } };
}
