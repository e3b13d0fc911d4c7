import { checkpointBytes, toBase64, certToPem } from "../../../crypto/index.node.ts";
import type { AuditExport, ExportedAuditEntry } from "../../../crypto/index.node.ts";
import { platformCrls } from "../pki/index.ts";
import { db } from "../../platform/db.server.ts";
import { AUDIT_LOG_NAME } from "./checkpoint.jobs.server.ts";
import { platformPki } from "../pki/index.ts";
import * as clock from "../../platform/clock.server.ts";

/**
 * The whole audit chain and its signed checkpoints in the form `npm run crypto -- verify:audit`
 * reads (crypto/audit/export.ts): anyone holding the platform root certificate can check that
 * no entry was changed, removed or inserted, and that the platform signed the heads it claims
 * (issue 11, item 8). Entries carry exactly the fields their hash covers.
 */
export async function exportAudit(now = clock.now(), batchSize = 1000): Promise<AuditExport> {
  const entries: ExportedAuditEntry[] = [];
  for (let after = 0n; ;) {
    const rows = await db().auditEntry.findMany({
      where: { seq: { gt: after } },
      orderBy: { seq: "asc" },
      take: batchSize,
      select: {
        seq: true,
        at: true,
        actorId: true,
        action: true,
        subjectType: true,
        subjectId: true,
        data: true,
        prevHash: true,
        hash: true,
      },
    });
    if (rows.length === 0) break;
    for (const r of rows) {
      // Exported as stored, even a row that no longer matches its hash: the verifier names it.
      entries.push({
        seq: r.seq.toString(),
        at: r.at.toISOString(),
        actorId: r.actorId,
        action: r.action,
        subjectType: r.subjectType,
        subjectId: r.subjectId,
        data: r.data as ExportedAuditEntry["data"],
        prevHash: r.prevHash,
        hash: r.hash,
      });
    }
    after = rows[rows.length - 1]!.seq;
  }
  const checkpoints = await db().auditCheckpoint.findMany({
    where: { signature: { not: null } },
    orderBy: { seq: "asc" },
    select: { seq: true, hash: true, at: true, signature: true },
  });
  const pki = await platformPki();
  const crls = await platformCrls();
  return {
    format: "MB-AUDIT-EXPORT",
    version: 1,
    log: AUDIT_LOG_NAME,
    exportedAt: now.toISOString(),
    firstSeq: 1,
    entries,
    checkpoints: checkpoints.map((c) => ({
      checkpoint: toBase64(checkpointBytes(AUDIT_LOG_NAME, Number(c.seq), c.hash, c.at)),
      signature: c.signature ?? "",
    })),
    // The issuing CA and both CRLs: the root certificate, obtained separately, is all a verifier adds.
    certificates: [certToPem(pki.issuing.cert)],
    crls: [toBase64(crls.issuing), toBase64(crls.root)],
  };
}
