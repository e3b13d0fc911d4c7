import { toHex, utf8 } from "../bytes.ts";
import { canonicalJson, type CanonicalValue } from "../canonical-json.ts";
import { sha256 } from "../hash.ts";

/**
 * Audit hash chain. Each entry's hash covers its canonical JSON including the previous hash,
 * so changing, removing or inserting any entry breaks every later link. The platform stores
 * entries in PostgreSQL; periodic signed checkpoints (checkpoint.ts) pin the head.
 */
export const GENESIS_HASH = "0".repeat(64);
const DOMAIN = "MB-AUDIT-1\n";

export interface AuditEntryInput {
  at: string;
  actor: string;
  action: string;
  data: CanonicalValue;
}

export interface AuditEntry extends AuditEntryInput {
  seq: number;
  prevHash: string;
  hash: string;
}

export function canonicalEntry(e: Omit<AuditEntry, "hash">): string {
  return canonicalJson({ seq: e.seq, at: e.at, actor: e.actor, action: e.action, data: e.data, prevHash: e.prevHash });
}

export function hashEntry(e: Omit<AuditEntry, "hash">): string {
  return toHex(sha256(utf8(DOMAIN + canonicalEntry(e))));
}

export function appendEntry(prev: AuditEntry | null, input: AuditEntryInput): AuditEntry {
  const body = { ...input, seq: prev ? prev.seq + 1 : 0, prevHash: prev ? prev.hash : GENESIS_HASH };
  return { ...body, hash: hashEntry(body) };
}

export type AuditVerdict =
  | { ok: true; length: number; headHash: string }
  | { ok: false; firstBrokenSeq: number; index: number; reason: string };

/** Check a chain (or a slice of it starting after `anchor`) and name the first broken entry. */
export function verifyAuditChain(entries: readonly AuditEntry[], anchor?: { seq: number; hash: string }): AuditVerdict {
  let prevHash = anchor?.hash ?? GENESIS_HASH;
  let expectedSeq = anchor ? anchor.seq + 1 : 0;
  for (const [index, e] of entries.entries()) {
    const reason = checkEntry(e, expectedSeq, prevHash);
    if (reason) return { ok: false, firstBrokenSeq: typeof e.seq === "number" ? e.seq : expectedSeq, index, reason };
    prevHash = e.hash;
    expectedSeq++;
  }
  return { ok: true, length: entries.length, headHash: prevHash };
}

function checkEntry(e: AuditEntry, expectedSeq: number, prevHash: string): string | null {
  if (e.seq !== expectedSeq) return `sequence number ${e.seq} where ${expectedSeq} was expected (an entry was removed or inserted)`;
  if (e.prevHash !== prevHash) return "its link to the previous entry does not match (an earlier entry was changed, removed or inserted)";
  let computed: string;
  try {
    computed = hashEntry(e);
  } catch (err) {
    return `it cannot be serialised canonically: ${(err as Error).message}`;
  }
  if (computed !== e.hash) return "its content does not match its hash (the entry was edited)";
  return null;
}
