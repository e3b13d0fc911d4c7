import { z } from "zod";
import {
  certFromPem,
  type CustodianShare,
  type EscrowRecord,
  isCryptoError,
  keyId,
  reconstructEscrowKey,
} from "../../../crypto/index.node.ts";
import { appendAudit } from "../../platform/audit/audit.server.ts";
import { AUDIT_SUBJECT } from "../../platform/audit/subjects.ts";
import type { SessionUser } from "../../platform/auth/auth.server.ts";
import { now } from "../../platform/clock.server.ts";
import { db } from "../../platform/db.server.ts";
import { refuse, type HallAccess, type OpeningResult } from "./access.server.ts";
import { announce, participantUserIds } from "./live.server.ts";
import { openBidEnvelope } from "./open-bid.server.ts";

/**
 * The escrow remedy (E-Measures Art 31, where the tender documents state it): after the window,
 * in the READ_OUT step, custodians of the tender's escrow key each unseal their own share in their
 * own browser and submit it. The key is rebuilt only when the shares reach k AND include at least
 * one assigned supervisor and one agent/tenderer custodian (one side alone is refused, whatever k
 * is). Shares and the rebuilt key live in this process's memory for this step only; every use is
 * audited; the bids whose decryption failed are opened with it and marked as recovered by remedy.
 */

interface Held {
  role: "agent" | "supervisor";
  userId: string;
  share: CustodianShare;
}

const held = new Map<string, Map<number, Held>>();

export const EscrowShareSchema = z.object({ x: z.coerce.number().int().min(1).max(255), share: z.string().min(4).max(8_000) });

export interface RemedyState {
  available: boolean;
  record: EscrowRecord | null;
  submitted: { role: string; x: number }[];
}

/** What a custodian's page needs: the escrow record (public: sealed boxes) and who submitted. */
export async function remedyState(access: HallAccess): Promise<RemedyState> {
  const ready = await remedyContext(access);
  if (!ready.ok) return { available: false, record: null, submitted: [] };
  return {
    available: true,
    record: ready.value.record,
    submitted: [...(held.get(ready.value.sessionId)?.values() ?? [])].map((h) => ({ role: h.role, x: h.share.x })),
  };
}

async function remedyContext(
  access: HallAccess,
): Promise<OpeningResult<{ sessionId: string; record: EscrowRecord; failed: { id: string }[] }>> {
  const tender = await db().tender.findUniqueOrThrow({
    where: { id: access.tender.id },
    select: {
      escrowRemedy: true,
      bidDeadline: true,
      escrow: { select: { record: true } },
      opening: { select: { id: true, step: true } },
    },
  });
  if (!tender.escrowRemedy || !tender.escrow) return refuse("opening.noRemedy", 409, "E-Measures Art 31");
  if (!tender.bidDeadline || now() < tender.bidDeadline) return refuse("opening.beforeOpeningTime", 409, "TBL Art 34");
  if (!tender.opening || tender.opening.step !== "READ_OUT") return refuse("opening.stepOutOfOrder", 409);
  const failed = await db().openingBid.findMany({
    where: { sessionId: tender.opening.id, status: { in: ["REVOKED", "WITHDRAWN"] } },
    select: { id: true },
  });
  if (failed.length === 0) return refuse("opening.nothingToRecover", 409);
  return { ok: true, value: { sessionId: tender.opening.id, record: tender.escrow.record as unknown as EscrowRecord, failed } };
}

/** Which custodian role this user holds for share x: its encryption key must be the one the share was sealed to. */
async function custodianRole(
  user: SessionUser,
  access: HallAccess,
  record: EscrowRecord,
  x: number,
): Promise<"agent" | "supervisor" | null> {
  const entry = record.shares.find((s) => s.x === x);
  if (!entry) return null;
  const role = access.role === "host" ? "agent" : access.role === "supervisor" ? "supervisor" : null;
  if (!role || entry.role !== role) return null;
  const certs = await db().certificate.findMany({ where: { userId: user.id, usage: "ENCRYPTION" }, select: { pem: true } });
  const mine = certs.some((c) => keyId(certFromPem(c.pem).publicKey as Parameters<typeof keyId>[0]) === entry.custodianKeyId);
  return mine ? role : null;
}

export async function submitEscrowShare(
  access: HallAccess,
  user: SessionUser,
  input: z.infer<typeof EscrowShareSchema>,
): Promise<OpeningResult<{ submitted: number; recovered: number }>> {
  const audit = (action: string, data: Record<string, unknown>) =>
    appendAudit({
      actorId: user.id,
      action,
      subjectType: AUDIT_SUBJECT.Tender,
      subjectId: access.tender.id,
      data: { ...data, at: now().toISOString() },
    });
  const ready = await remedyContext(access);
  if (!ready.ok) {
    await audit("opening.refused", { what: "escrow-share", code: ready.refusal.code });
    return ready;
  }
  const { sessionId, record, failed } = ready.value;
  const role = await custodianRole(user, access, record, input.x);
  if (!role) {
    await audit("opening.refused", { what: "escrow-share", code: "opening.notCustodian", x: input.x });
    return refuse("opening.notCustodian", 403);
  }
  const shares = held.get(sessionId) ?? new Map<number, Held>();
  held.set(sessionId, shares);
  shares.set(input.x, { role, userId: user.id, share: { x: input.x, share: input.share } });
  await audit("opening.escrow_share_submitted", { x: input.x, role });
  announce(await participantUserIds(access.tender.id), access.tender.id);
  const roles = new Set([...shares.values()].map((h) => h.role));
  if (shares.size < record.threshold) return { ok: true, value: { submitted: shares.size, recovered: 0 } };
  if (!roles.has("agent") || !roles.has("supervisor")) {
    await audit("opening.refused", { what: "escrow-rebuild", code: "opening.remedyNeedsBothSides", roles: [...roles] });
    return refuse("opening.remedyNeedsBothSides", 409, "E-Measures Art 31");
  }
  let recovered = 0;
  try {
    let escrowKey;
    try {
      escrowKey = reconstructEscrowKey(
        record,
        [...shares.values()].map((h) => h.share),
      );
    } catch (error) {
      shares.clear();
      await audit("opening.refused", {
        what: "escrow-rebuild",
        code: "opening.badShare",
        error: isCryptoError(error) ? error.code : String(error),
      });
      return refuse("opening.badShare", 422);
    }
    await audit("opening.escrow_key_rebuilt", {
      custodians: [...shares.values()].map((h) => ({ role: h.role, x: h.share.x, userId: h.userId })),
    });
    for (const bid of failed) {
      try {
        const opened = await openBidEnvelope(access.tender.id, bid.id, { recipientKey: escrowKey });
        const at = now();
        await db().$transaction(async (tx) => {
          await tx.openingBid.update({
            where: { id: bid.id },
            data: {
              status: "OPENED",
              openedAt: at,
              readOut: opened.readOut,
              plaintextDir: opened.plaintextDir,
              outcomeDetail: "remedy",
            },
          });
          await appendAudit(
            {
              actorId: user.id,
              action: "opening.bid_recovered_by_remedy",
              subjectType: AUDIT_SUBJECT.OpeningBid,
              subjectId: bid.id,
              data: { tenderId: access.tender.id, remedy: "escrow", at: at.toISOString() },
            },
            tx,
          );
        });
        recovered++;
      } catch (error) {
        await audit("opening.remedy_failed", { openingBidId: bid.id, error: isCryptoError(error) ? error.code : String(error) });
      }
    }
  } finally {
    // The rebuilt key and the shares exist for this step only.
    shares.clear();
    held.delete(sessionId);
  }
  announce(await participantUserIds(access.tender.id), access.tender.id);
  return { ok: true, value: { submitted: record.threshold, recovered } };
}
