import type { CanonicalValue } from "../canonical-json.ts";

/**
 * An exported audit log (written by `npm run audit:export`, read by `verify:audit --in`): the
 * chain's entries exactly as hashed, the signed checkpoints of its head, and the issuing CA and
 * CRLs, so that a verifier needs only the platform root certificate, obtained separately.
 */
export interface ExportedAuditEntry {
  readonly [key: string]: CanonicalValue;
  seq: string;
  at: string;
  actorId: string | null;
  action: string;
  subjectType: string;
  subjectId: string | null;
  data: { readonly [key: string]: CanonicalValue };
  prevHash: string;
  hash: string;
}

export interface AuditExport {
  format: "MB-AUDIT-EXPORT";
  version: 1;
  log: string;
  exportedAt: string;
  /** The chain's first seq (the app counts from 1); its prevHash is the genesis hash. */
  firstSeq: number;
  entries: ExportedAuditEntry[];
  /** base64 of the checkpoint statement's bytes and of its detached CMS signature (DER). */
  checkpoints: { checkpoint: string; signature: string }[];
  /** PEM certificates of the issuing CA(s); the root is never taken from the export. */
  certificates: string[];
  /** base64 DER CRLs (issuing CA and root). */
  crls: string[];
}

export function isAuditExport(value: unknown): value is AuditExport {
  const v = value as Partial<AuditExport> | null;
  return typeof v === "object" && v !== null && v.format === "MB-AUDIT-EXPORT" && v.version === 1 && Array.isArray(v.entries);
}
