import { toHex, utf8 } from "../bytes.ts";
import { canonicalJson, type CanonicalValue } from "../canonical-json.ts";
import { sha256 } from "../hash.ts";

/**
 * Audit hash chain helpers. Each entry's hash covers its canonical JSON including the previous
 * hash, so changing, removing or inserting any entry breaks every later link. The app stores
 * entries in PostgreSQL (decision 002); signed checkpoints (checkpoint.ts) pin the head.
 */
export const GENESIS_HASH = "0".repeat(64);

/** Whatever the log records (actor, action, subject, data…), as canonical JSON values. */
export type AuditFields = { readonly [key: string]: CanonicalValue };

/**
 * seq is a number here, or the decimal string the app's chain hashes (its seq is a bigint;
 * app/audit-chain.ts). Either way the value hashed is the value stored.
 */
export type AuditEntry = AuditFields & { readonly seq: number | string; readonly prevHash: string; readonly hash: string };

/**
 * hash = SHA-256 of the canonical JSON of every field except `hash` (so including seq and
 * prevHash), as decision 002 specifies; callers pass bigints as decimal strings and dates as
 * ISO-8601 UTC strings.
 */
export function hashEntry(entry: AuditFields): string {
  const { hash: _ignored, ...body } = entry;
  return toHex(sha256(utf8(canonicalJson(body))));
}

export function appendEntry(prev: AuditEntry | null, fields: AuditFields): AuditEntry {
  const { hash: _h, seq: _s, prevHash: _p, ...rest } = fields;
  const body = { ...rest, seq: prev ? Number(prev.seq) + 1 : 0, prevHash: prev ? prev.hash : GENESIS_HASH };
  return { ...body, hash: hashEntry(body) };
}

export type AuditVerdict =
  { ok: true; length: number; headHash: string } | { ok: false; firstBrokenSeq: number; index: number; reason: string };

/** Check a chain (or a slice of it starting after `anchor`) and name the first broken entry. */
export function verifyAuditChain(entries: readonly AuditEntry[], anchor?: { seq: number; hash: string }): AuditVerdict {
  let prevHash = anchor?.hash ?? GENESIS_HASH;
  let expectedSeq = anchor ? anchor.seq + 1 : 0;
  for (const [index, e] of entries.entries()) {
    const reason = checkEntry(e, expectedSeq, prevHash);
    if (reason)
      return { ok: false, firstBrokenSeq: Number.isSafeInteger(Number(e.seq)) ? Number(e.seq) : expectedSeq, index, reason };
    prevHash = e.hash;
    expectedSeq++;
  }
  return { ok: true, length: entries.length, headHash: prevHash };
}

function checkEntry(e: AuditEntry, expectedSeq: number, prevHash: string): string | null {
  if (typeof e.hash !== "string") return "it has no hash";
  if (String(e.seq) !== String(expectedSeq))
    return `sequence number ${e.seq} where ${expectedSeq} was expected (an entry was removed or inserted)`;
  if (e.prevHash !== prevHash)
    return "its link to the previous entry does not match (an earlier entry was changed, removed or inserted)";
  let computed: string;
  try {
    computed = hashEntry(e);
  } catch (err) {
    return `it cannot be serialised canonically: ${(err as Error).message}`;
  }
  if (computed !== e.hash) return "its content does not match its hash (the entry was edited)";
  return null;
}
