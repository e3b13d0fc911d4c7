import { createHash } from "node:crypto";

export const GENESIS_HASH = "0".repeat(64);

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
 * Canonical JSON: object keys sorted, no insignificant white space, so that the same entry
 * always hashes the same whatever order the fields were written in.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") {
    if (typeof value === "number" && !Number.isFinite(value)) {
      throw new TypeError("canonicalJson: non-finite number");
    }
    if (typeof value === "bigint") return JSON.stringify(value.toString());
    return JSON.stringify(value);
  }
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}

/** hash_n = SHA-256(canonical(entry_n without its hash)), the entry including prevHash. */
export function hashAuditEntry(entry: Omit<AuditRecord, "hash">): string {
  const body = canonicalJson({
    seq: entry.seq.toString(),
    at: entry.at.toISOString(),
    actorId: entry.actorId,
    action: entry.action,
    subjectType: entry.subjectType,
    subjectId: entry.subjectId,
    data: entry.data,
    prevHash: entry.prevHash,
  });
  return createHash("sha256").update(body, "utf8").digest("hex");
}
