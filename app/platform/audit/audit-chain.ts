import { type CanonicalValue, GENESIS_HASH, hashEntry } from "../../../crypto/index.node.ts";

export { GENESIS_HASH };

export interface AuditRecord {
  seq: bigint;
  at: Date;
  actorId: string | null;
  action: string;
  subjectType: string;
  subjectId: string | null;
  data: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

/**
 * hash_n = SHA-256(canonical JSON of entry_n without its hash, prevHash included), through
 * crypto/'s audit helpers (decision 002): seq as a decimal string, time as ISO-8601 UTC.
 */
export function hashAuditEntry(entry: Omit<AuditRecord, "hash">): string {
  return hashEntry({
    seq: entry.seq.toString(),
    at: entry.at.toISOString(),
    actorId: entry.actorId,
    action: entry.action,
    subjectType: entry.subjectType,
    subjectId: entry.subjectId,
    data: entry.data as CanonicalValue,
    prevHash: entry.prevHash,
  });
}

/**
 * Makes audit data canonical-JSON safe: bigint (money in 分) and non-integer numbers become
 * decimal strings, undefined fields are dropped, dates become ISO strings.
 */
export function auditSafe(value: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(
    JSON.stringify(value, (_k, v: unknown) =>
      typeof v === "bigint" || (typeof v === "number" && !Number.isSafeInteger(v)) ? String(v) : v,
    ),
  ) as Record<string, unknown>;
}
