import { open as openFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import {
  fromBase64,
  isCryptoError,
  MAGIC,
  RECORD_FRAME_LENGTH,
  readU32be,
  RecordType,
  toBase64,
  utf8,
  verifyCms,
} from "../../../crypto/index.node.ts";
import { appendAudit } from "../../platform/audit/audit.server.ts";
import { AUDIT_SUBJECT } from "../../platform/audit/subjects.ts";
import type { SessionUser } from "../../platform/auth/auth.server.ts";
import { now } from "../../platform/clock.server.ts";
import { db } from "../../platform/db.server.ts";
import { platformCrls, trustStore } from "../pki/index.ts";
import { refuse, type HallAccess, type OpeningResult } from "./access.server.ts";
import { announce, participantUserIds } from "./live.server.ts";
import { bidsRoot, openBidEnvelope } from "./open-bid.server.ts";
import { signInStatementText } from "./statement.ts";

/** The bytes a bidder signs to sign in (签到): bound to this tender, this bid and a fresh challenge. */
export function signInStatement(tenderId: string, openingBidId: string, challenge: string): Uint8Array {
  return utf8(signInStatementText(tenderId, openingBidId, challenge));
}

async function audited(user: SessionUser, access: HallAccess, action: string, data: Record<string, unknown>): Promise<void> {
  await appendAudit({ actorId: user.id, action, subjectType: AUDIT_SUBJECT.Tender, subjectId: access.tender.id, data });
}

async function refusedAndAudited(
  user: SessionUser,
  access: HallAccess,
  what: string,
  code: string,
  status: number,
  article?: string,
) {
  await audited(user, access, "opening.refused", { what, code, at: now().toISOString(), organizationId: user.organizationId });
  return refuse(code, status, article);
}

export const SignInSchema = z.object({ signature: z.string().min(16).max(64_000) });

/**
 * 签到: a detached CMS signature with the bidder's current signing certificate (checked against
 * the platform CA and its CRL at the server's time) over the challenge statement.
 */
export async function signIn(
  access: HallAccess,
  user: SessionUser,
  input: z.infer<typeof SignInSchema>,
): Promise<OpeningResult<{ signedInAt: string }>> {
  if (access.role !== "bidder" || !access.openingBidId || !user.organizationId)
    return refusedAndAudited(user, access, "sign-in", "opening.notParticipant", 403);
  const bid = await db().openingBid.findUniqueOrThrow({
    where: { id: access.openingBidId },
    select: { id: true, challenge: true, signedInAt: true, session: { select: { step: true } } },
  });
  if (bid.session.step !== "LIST_PUBLISHED" && bid.session.step !== "DECRYPTING")
    return refusedAndAudited(user, access, "sign-in", "opening.stepOutOfOrder", 409);
  if (bid.signedInAt) return { ok: true, value: { signedInAt: bid.signedInAt.toISOString() } };
  const at = now();
  let serial: string;
  try {
    const der = fromBase64(input.signature);
    const verified = verifyCms({
      der,
      detachedContent: signInStatement(access.tender.id, bid.id, bid.challenge),
      trust: await trustStore(await platformCrls()),
      at,
      usage: "signing",
    });
    serial = verified.signer.serialNumber.toLowerCase();
  } catch {
    return refusedAndAudited(user, access, "sign-in", "opening.badSignature", 422);
  }
  const cert = await db().certificate.findFirst({
    where: {
      serialNumber: { equals: serial, mode: "insensitive" },
      organizationId: user.organizationId,
      usage: "SIGNING",
      revokedAt: null,
    },
    select: { id: true },
  });
  if (!cert) return refusedAndAudited(user, access, "sign-in", "opening.notYourCertificate", 422);
  const updated = await db().$transaction(async (tx) => {
    const n = await tx.openingBid.updateMany({
      where: { id: bid.id, signedInAt: null },
      data: { signedInAt: at, signedInById: user.id },
    });
    if (n.count === 1) {
      await appendAudit(
        {
          actorId: user.id,
          action: "opening.signed_in",
          subjectType: AUDIT_SUBJECT.OpeningBid,
          subjectId: bid.id,
          data: { tenderId: access.tender.id, certificateSerial: serial, at: at.toISOString() },
        },
        tx,
      );
    }
    return n.count;
  });
  if (updated === 1) announce(await participantUserIds(access.tender.id), access.tender.id);
  return { ok: true, value: { signedInAt: at.toISOString() } };
}

/** Checks that a content key may be used now: the bidder's own bid, signed in, inside the window, after the opening time. */
async function decryptable(access: HallAccess, user: SessionUser, openingBidId: string) {
  if (access.role !== "bidder" || !access.openingBidId)
    return refusedAndAudited(user, access, "decrypt", "opening.notParticipant", 403);
  if (openingBidId !== access.openingBidId) return refusedAndAudited(user, access, "decrypt", "opening.notYourBid", 403);
  const at = now();
  if (!access.tender.bidDeadline || at < access.tender.bidDeadline)
    return refusedAndAudited(user, access, "decrypt", "opening.beforeOpeningTime", 409, "TBL Art 34");
  const bid = await db().openingBid.findUniqueOrThrow({
    where: { id: openingBidId },
    select: {
      id: true,
      status: true,
      signedInAt: true,
      bidVersionId: true,
      bidId: true,
      session: { select: { step: true, windowEndsAt: true } },
    },
  });
  if (bid.session.step !== "DECRYPTING" || !bid.session.windowEndsAt || at >= bid.session.windowEndsAt) {
    return refusedAndAudited(user, access, "decrypt", "opening.outsideWindow", 409, "E-Measures Art 30");
  }
  if (!bid.signedInAt) return refusedAndAudited(user, access, "decrypt", "opening.notSignedIn", 409);
  if (bid.status !== "SEALED") return refuse("opening.alreadyDecided", 409);
  const version = await db().bidVersion.findUniqueOrThrow({ where: { id: bid.bidVersionId }, select: { storageKey: true } });
  return { ok: true as const, value: { bid, envelopeFile: path.join(bidsRoot(), version.storageKey) } };
}

/** The envelope's header record (public: algorithm ids and wrapped keys) for the bidder's page. */
export async function envelopeHeader(
  access: HallAccess,
  user: SessionUser,
  openingBidId: string,
): Promise<OpeningResult<{ header: string }>> {
  const ready = await decryptable(access, user, openingBidId);
  if (!ready.ok) return ready;
  return { ok: true, value: { header: toBase64(await readHeaderRecord(ready.value.envelopeFile)) } };
}

export async function readHeaderRecord(file: string): Promise<Uint8Array> {
  const fh = await openFile(file, "r");
  try {
    const frame = Buffer.alloc(RECORD_FRAME_LENGTH);
    await fh.read(frame, 0, RECORD_FRAME_LENGTH, MAGIC.length);
    if (frame[0] !== RecordType.HEADER) throw new Error(`envelope ${file}: the first record is not the header`);
    const length = readU32be(frame, 1);
    const body = Buffer.alloc(length);
    await fh.read(body, 0, length, MAGIC.length + RECORD_FRAME_LENGTH);
    return body;
  } finally {
    await fh.close();
  }
}

export const DecryptSchema = z.object({ openingBidId: z.string().uuid(), contentKey: z.string().min(40).max(64) });

/** One envelope at a time per bid in this process (a double click must not open twice). */
const opening = new Set<string>();

/**
 * The bidder's page sends the content key it unwrapped; the server opens the envelope natively
 * (crypto's positioned opener on threads), which checks every chunk tag, the manifest and the
 * bidder's signature; the plaintext stays under BIDS_DIR for the evaluation committee only.
 * A wrong key fails the tags (the envelope was verified on upload, so nothing else can): the
 * bidder may retry while the window is open.
 */
export async function submitContentKey(
  access: HallAccess,
  user: SessionUser,
  input: z.infer<typeof DecryptSchema>,
): Promise<OpeningResult<{ readOut: Record<string, string> }>> {
  const ready = await decryptable(access, user, input.openingBidId);
  if (!ready.ok) return ready;
  const { bid } = ready.value;
  if (opening.has(bid.id)) return refuse("opening.decrypting", 409);
  opening.add(bid.id);
  try {
    let opened;
    try {
      opened = await openBidEnvelope(access.tender.id, bid.id, { contentKey: fromBase64(input.contentKey) });
    } catch (error) {
      const wrongKey = isCryptoError(error) && ["CRYPTO.TAMPERED_CHUNK", "CRYPTO.WRONG_KEY"].includes(error.code);
      await db().openingBid.update({
        where: { id: bid.id },
        data: { attempts: { increment: 1 }, lastFailure: wrongKey ? "wrong-key" : "platform" },
      });
      await audited(user, access, "opening.decrypt_failed", {
        openingBidId: bid.id,
        cause: wrongKey ? "wrong-key" : "platform",
        error: isCryptoError(error) ? error.code : String(error),
      });
      if (!wrongKey) console.error(`opening: bid ${bid.id} failed to open with a key`, error);
      return refuse(wrongKey ? "opening.wrongKey" : "opening.platformFailure", wrongKey ? 422 : 500);
    }
    const at = now();
    await db().$transaction(async (tx) => {
      await tx.openingBid.update({
        where: { id: bid.id },
        data: { status: "OPENED", openedAt: at, readOut: opened.readOut, plaintextDir: opened.plaintextDir, lastFailure: null },
      });
      await appendAudit(
        {
          actorId: user.id,
          action: "opening.bid_decrypted",
          subjectType: AUDIT_SUBJECT.OpeningBid,
          subjectId: bid.id,
          data: { tenderId: access.tender.id, bidId: bid.bidId, files: opened.files.length, at: at.toISOString() },
        },
        tx,
      );
    });
    announce(await participantUserIds(access.tender.id), access.tender.id);
    return { ok: true, value: { readOut: opened.readOut } };
  } finally {
    opening.delete(bid.id);
  }
}

/** After 唱标: the bidder confirms its read-out. */
export async function confirmReadOut(access: HallAccess, user: SessionUser): Promise<OpeningResult<{ confirmedAt: string }>> {
  if (access.role !== "bidder" || !access.openingBidId)
    return refusedAndAudited(user, access, "confirm", "opening.notParticipant", 403);
  const bid = await db().openingBid.findUniqueOrThrow({
    where: { id: access.openingBidId },
    select: { status: true, confirmedAt: true, session: { select: { step: true } } },
  });
  if (bid.session.step !== "READ_OUT") return refusedAndAudited(user, access, "confirm", "opening.stepOutOfOrder", 409);
  if (bid.status !== "OPENED") return refuse("opening.nothingToConfirm", 409);
  const at = now();
  await db().$transaction(async (tx) => {
    await tx.openingBid.update({ where: { id: access.openingBidId }, data: { confirmedAt: at } });
    await appendAudit(
      {
        actorId: user.id,
        action: "opening.read_out_confirmed",
        subjectType: AUDIT_SUBJECT.OpeningBid,
        subjectId: access.openingBidId ?? null,
        data: { tenderId: access.tender.id, at: at.toISOString() },
      },
      tx,
    );
  });
  announce(await participantUserIds(access.tender.id), access.tender.id);
  return { ok: true, value: { confirmedAt: at.toISOString() } };
}

export const ObjectionSchema = z.object({ content: z.string().trim().min(1).max(2000) });

/** Regs Art 44: an objection raised on the spot, during decryption or 唱标. */
export async function raiseObjection(
  access: HallAccess,
  user: SessionUser,
  input: z.infer<typeof ObjectionSchema>,
): Promise<OpeningResult<{ objectionId: string }>> {
  if (access.role !== "bidder" || !access.openingBidId)
    return refusedAndAudited(user, access, "object", "opening.notParticipant", 403);
  const session = await db().openingSession.findUniqueOrThrow({
    where: { tenderId: access.tender.id },
    select: { id: true, step: true },
  });
  if (session.step !== "DECRYPTING" && session.step !== "READ_OUT")
    return refusedAndAudited(user, access, "object", "opening.stepOutOfOrder", 409);
  const at = now();
  const id = await db().$transaction(async (tx) => {
    const row = await tx.openingObjection.create({
      data: {
        sessionId: session.id,
        openingBidId: access.openingBidId,
        raisedById: user.id,
        raisedByName: user.organizationName ?? user.name,
        raisedAt: at,
        content: input.content,
      },
      select: { id: true },
    });
    await appendAudit(
      {
        actorId: user.id,
        action: "opening.objection_raised",
        subjectType: AUDIT_SUBJECT.OpeningSession,
        subjectId: session.id,
        data: { tenderId: access.tender.id, objectionId: row.id, content: input.content },
      },
      tx,
    );
    return row.id;
  });
  announce(await participantUserIds(access.tender.id), access.tender.id);
  return { ok: true, value: { objectionId: id } };
}
