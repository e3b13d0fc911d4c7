import { checkpointBytes, verifyCheckpoint, fromBase64, isCryptoError } from "../../../crypto/index.node.ts";
import { z } from "zod";
import { appendAudit, lockAuditChain, verifyAuditChain } from "../../platform/audit/audit.server.ts";
import { platformCrls } from "../pki/index.ts";
import { db } from "../../platform/db.server.ts";
import { trustStore } from "../pki/index.ts";
import { notifyUser } from "../../platform/realtime.server.ts";
import { AUDIT_LOG_NAME } from "./checkpoint.jobs.server.ts";
import { defineJob } from "../../platform/jobs/define.ts";
import { env } from "../../platform/env.server.ts";
import * as clock from "../../platform/clock.server.ts";
import { AUDIT_SUBJECT } from "../../platform/audit/subjects.ts";

/** The first thing found wrong with the audit log: a chain entry, or a signed checkpoint. */
export type AuditBreak =
  { kind: "chain"; seq: string; reason: "hash" | "link" | "gap" } | { kind: "checkpoint"; seq: string; reason: string };

export type AuditVerification = { ok: true; entries: number; checkpoints: number } | { ok: false; broken: AuditBreak };

/**
 * Re-hashes the chain, then checks every signed checkpoint: the platform's signature (at the
 * time it states) and that the chain's entry at its seq still has the hash it pinned. A rewrite
 * that recomputed every later hash passes the first check and fails the second.
 */
export async function verifyAuditLog(): Promise<AuditVerification> {
  const chain = await verifyAuditChain();
  if (!chain.ok) return { ok: false, broken: { kind: "chain", seq: chain.brokenSeq.toString(), reason: chain.reason } };
  const checkpoints = await db().auditCheckpoint.findMany({
    where: { signature: { not: null } },
    orderBy: { seq: "asc" },
    select: { seq: true, hash: true, at: true, signature: true },
  });
  if (checkpoints.length === 0) return { ok: true, entries: chain.count, checkpoints: 0 };
  const pinned = await db().auditEntry.findMany({
    where: { seq: { in: checkpoints.map((c) => c.seq) } },
    select: { seq: true, hash: true },
  });
  const entries = pinned.map((e) => ({ seq: Number(e.seq), prevHash: "", hash: e.hash }));
  const trust = await trustStore(await platformCrls());
  for (const c of checkpoints) {
    const signed = {
      checkpoint: checkpointBytes(AUDIT_LOG_NAME, Number(c.seq), c.hash, c.at),
      signature: fromBase64(c.signature ?? ""),
    };
    try {
      verifyCheckpoint(signed, entries, trust, "signing-time");
    } catch (error) {
      if (!isCryptoError(error)) throw error;
      return { ok: false, broken: { kind: "checkpoint", seq: c.seq.toString(), reason: error.code } };
    }
  }
  return { ok: true, entries: chain.count, checkpoints: checkpoints.length };
}

/**
 * Audits a break once and tells every active platform administrator (database + socket.io).
 * The entry's eventId names the break, so the next run finds it and stays quiet: one report
 * per break, not one per run.
 */
export async function reportAuditBreak(broken: AuditBreak, now = clock.now()): Promise<{ reported: boolean; admins: number }> {
  const eventId = `audit.integrity:${broken.kind}:${broken.seq}:${broken.reason}`;
  const result = await db().$transaction(async (tx) => {
    await lockAuditChain(tx);
    if (await tx.auditEntry.findUnique({ where: { eventId }, select: { seq: true } })) return null;
    await appendAudit(
      {
        action: "audit.integrity_failed",
        subjectType: AUDIT_SUBJECT.AuditEntry,
        subjectId: broken.seq,
        data: { ...broken, detectedAt: now.toISOString() },
        eventId,
      },
      tx,
    );
    const admins = await tx.user.findMany({ where: { role: "ADMIN", disabledAt: null }, select: { id: true } });
    const body = JSON.stringify({ kind: broken.kind, seq: broken.seq, reason: broken.reason });
    await tx.notification.createMany({
      data: admins.map((a) => ({ userId: a.id, kind: "audit.integrity_failed", title: `audit #${broken.seq}`, body })),
    });
    return admins.map((a) => a.id);
  });
  if (!result) return { reported: false, admins: 0 };
  for (const userId of result) notifyUser(userId, "notification", { kind: "audit.integrity_failed", seq: broken.seq });
  console.error(
    `audit log integrity: ${broken.kind} broken at #${broken.seq} (${broken.reason}); ${result.length} administrators notified`,
  );
  return { reported: true, admins: result.length };
}

/** The scheduled check of the whole audit log (issue 11, item 8); idempotent. */
export const auditVerifyJob = defineJob({
  name: "audit.verify",
  payload: z.object({ reason: z.enum(["schedule", "manual"]).default("schedule") }),
  schedule: { everyMs: () => env().AUDIT_VERIFY_EVERY_MS, payload: { reason: "schedule" } },
  async handler() {
    const result = await verifyAuditLog();
    if (result.ok) return result;
    return { ...result, ...(await reportAuditBreak(result.broken)) };
  },
});
