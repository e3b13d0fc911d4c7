import { z } from "zod";
import { db } from "../../platform/db.server.ts";
import { appendAudit, auditHead } from "../../platform/audit/audit.server.ts";
import { platformPki } from "../pki/index.ts";
import { certToPem, signCheckpoint, toBase64 } from "../../../crypto/index.node.ts";
import * as clock from "../../platform/clock.server.ts";

/** The log name written into signed checkpoints. */
export const AUDIT_LOG_NAME = "mingbiao-audit";
import { defineJob } from "../../platform/jobs/define.ts";
import { env } from "../../platform/env.server.ts";
import { AUDIT_SUBJECT } from "../../platform/audit/subjects.ts";

/**
 * Records the audit chain's head at regular intervals. A checkpoint fixes the chain: any later
 * rewrite of entries up to `seq` no longer matches the recorded hash. The checkpoint is itself
 * noted in the chain; when that note is still the head, nothing has happened since and the job
 * does nothing (idempotent).
 */
export const auditCheckpointJob = defineJob({
  name: "audit.checkpoint",
  payload: z.object({ reason: z.enum(["schedule", "manual"]).default("schedule") }),
  schedule: { everyMs: () => env().AUDIT_CHECKPOINT_EVERY_MS, payload: { reason: "schedule" } },
  async handler({ reason }) {
    const head = await auditHead();
    if (!head) return { skipped: "empty chain" };
    if (head.action === "audit.checkpoint") return { skipped: "already checkpointed", seq: head.seq.toString() };
    const existing = await db().auditCheckpoint.findFirst({
      where: { seq: head.seq, hash: head.hash },
      select: { id: true },
    });
    if (existing) return { skipped: "already checkpointed", seq: head.seq.toString() };
    // Signed by the platform signer: a copy kept outside the database pins the chain.
    const at = clock.now();
    const pki = await platformPki();
    const signed = signCheckpoint(AUDIT_LOG_NAME, { seq: Number(head.seq), prevHash: "", hash: head.hash }, pki.signer, at);
    const checkpoint = await db().auditCheckpoint.create({
      data: {
        seq: head.seq,
        hash: head.hash,
        at,
        signature: toBase64(signed.signature),
        signerCertificate: certToPem(pki.signer.cert),
      },
      select: { id: true, seq: true, hash: true },
    });
    await appendAudit({
      action: "audit.checkpoint",
      subjectType: AUDIT_SUBJECT.AuditCheckpoint,
      subjectId: checkpoint.id,
      data: { seq: checkpoint.seq.toString(), hash: checkpoint.hash, reason },
    });
    return { checkpointed: checkpoint.seq.toString() };
  },
});
