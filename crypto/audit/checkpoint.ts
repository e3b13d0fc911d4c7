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

export function signCheckpoint(log: string, head: AuditEntry, signer: Signer, now: Date): SignedCheckpoint {
  const cp: AuditCheckpoint = { format: "MB-AUDIT-CHECKPOINT", version: 1, log, seq: head.seq, headHash: head.hash, at: now.toISOString() };
  const checkpoint = utf8(canonicalJson(cp));
  return { checkpoint, signature: signCms({ content: checkpoint, signer, signingTime: now }) };
}

/** Verify the signature, then that the chain's entry at the checkpoint's seq has that hash. */
export function verifyCheckpoint(signed: SignedCheckpoint, entries: readonly AuditEntry[], trust: TrustStore, at: Date): AuditCheckpoint {
  verifyCms({ der: signed.signature, detachedContent: signed.checkpoint, trust, at });
  const cp = JSON.parse(fromUtf8(signed.checkpoint)) as AuditCheckpoint;
  if (cp.format !== "MB-AUDIT-CHECKPOINT") fail(CryptoErrorCode.MALFORMED, "This is not an audit checkpoint.");
  const entry = entries.find((e) => e.seq === cp.seq);
  if (!entry) fail(CryptoErrorCode.AUDIT_BROKEN, `The audit log has no entry #${cp.seq}, which a signed checkpoint covers: entries were removed.`);
  if (entry.hash !== cp.headHash) fail(CryptoErrorCode.AUDIT_BROKEN, `Audit entry #${cp.seq} differs from the signed checkpoint of ${cp.at}: the log was rewritten.`);
  return cp;
}
