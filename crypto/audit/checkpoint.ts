import { fromUtf8, utf8 } from "../bytes.ts";
import { canonicalJson } from "../canonical-json.ts";
import { signCms, type Signer } from "../cms/signed-data.ts";
import { verifyCms } from "../cms/verify.ts";
import { CryptoErrorCode, fail } from "../errors.ts";
import type { TrustStore } from "../pki/chain.ts";
import type { AuditEntry } from "./chain.ts";

/** A signed statement "the audit log of <log> had head <hash> at <seq>", to be timestamped too. */
export interface AuditCheckpoint {
  format: "MB-AUDIT-CHECKPOINT";
  version: 1;
  log: string;
  seq: number;
  headHash: string;
  at: string;
}

export interface SignedCheckpoint {
  checkpoint: Uint8Array;
  signature: Uint8Array;
}

/** The exact bytes a checkpoint signature covers (so an exporter can rebuild them from a row). */
export function checkpointBytes(log: string, seq: number, headHash: string, at: Date): Uint8Array {
  const cp: AuditCheckpoint = { format: "MB-AUDIT-CHECKPOINT", version: 1, log, seq, headHash, at: at.toISOString() };
  return utf8(canonicalJson(cp));
}

export function signCheckpoint(log: string, head: AuditEntry, signer: Signer, now: Date): SignedCheckpoint {
  const checkpoint = checkpointBytes(log, Number(head.seq), head.hash, now);
  return { checkpoint, signature: signCms({ content: checkpoint, signer, signingTime: now }) };
}

/** Verify the signature, then that the chain's entry at the checkpoint's seq has that hash. */
export function verifyCheckpoint(
  signed: SignedCheckpoint,
  entries: readonly AuditEntry[],
  trust: TrustStore,
  at: Date | "signing-time",
): AuditCheckpoint {
  let cp: AuditCheckpoint;
  try {
    cp = JSON.parse(fromUtf8(signed.checkpoint)) as AuditCheckpoint;
  } catch {
    fail(CryptoErrorCode.MALFORMED, "This is not an audit checkpoint (not JSON).");
  }
  if (cp.format !== "MB-AUDIT-CHECKPOINT") fail(CryptoErrorCode.MALFORMED, "This is not an audit checkpoint.");
  // "signing-time": was the signer's certificate valid when it signed (the time it states)?
  verifyCms({
    der: signed.signature,
    detachedContent: signed.checkpoint,
    trust,
    at: at === "signing-time" ? new Date(cp.at) : at,
  });
  const entry = entries.find((e) => Number(e.seq) === cp.seq);
  if (!entry)
    fail(
      CryptoErrorCode.AUDIT_BROKEN,
      `The audit log has no entry #${cp.seq}, which a signed checkpoint covers: entries were removed.`,
    );
  if (entry.hash !== cp.headHash)
    fail(
      CryptoErrorCode.AUDIT_BROKEN,
      `Audit entry #${cp.seq} differs from the signed checkpoint of ${cp.at}: the log was rewritten.`,
    );
  return cp;
}
