import type { Prisma } from "../../generated/prisma/client.ts";
import { db, type SqlClient, type Tx } from "../db.server.ts";
import { auditSafe, GENESIS_HASH, hashAuditEntry, type AuditRecord } from "./audit-chain.ts";
import * as clock from "../clock.server.ts";

// Key of the PostgreSQL advisory lock that serialises writers of the one audit chain.
const AUDIT_LOCK_KEY = 0x6d62_6175; // "mbau"

export interface AuditInput {
  actorId?: string | null;
  action: string;
  subjectType: string;
  subjectId?: string | null;
  data?: Record<string, unknown>;
  /** A delivering service's event id (idempotent delivery); stored in data and indexed. */
  eventId?: string;
}

/**
 * Appends one entry to the hash-chained audit log (全程留痕). Pass the caller's transaction so
 * the state change and its audit entry commit together; the advisory lock, held until that
 * transaction ends, makes concurrent writers queue up so the chain never forks.
 */
export async function appendAudit(input: AuditInput, tx?: Tx): Promise<AuditRecord> {
  if (tx) return appendInTx(tx, input);
  return db().$transaction((inner) => appendInTx(inner, input));
}

/** Takes the chain's writer lock until `tx` ends (re-entrant within the same transaction). */
export async function lockAuditChain(tx: Tx): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${AUDIT_LOCK_KEY})`;
}

async function appendInTx(tx: Tx, input: AuditInput): Promise<AuditRecord> {
  await lockAuditChain(tx);
  const last = await tx.auditEntry.findFirst({
    orderBy: { seq: "desc" },
    select: { seq: true, hash: true },
  });
  const record = nextAuditRecord(last, input);
  await tx.auditEntry.create({
    data: { ...record, data: record.data as Prisma.InputJsonValue, eventId: input.eventId ?? null },
  });
  return record;
}

/** The entry that follows `last` (null: the chain is empty), hashed. */
function nextAuditRecord(last: { seq: bigint; hash: string } | null, input: AuditInput): AuditRecord {
  const record: Omit<AuditRecord, "hash"> = {
    seq: (last?.seq ?? 0n) + 1n,
    at: clock.now(),
    actorId: input.actorId ?? null,
    action: input.action,
    subjectType: input.subjectType,
    subjectId: input.subjectId ?? null,
    data: auditSafe({ ...(input.data ?? {}), ...(input.eventId ? { eventId: input.eventId } : {}) }),
    prevHash: last?.hash ?? GENESIS_HASH,
  };
  return { ...record, hash: hashAuditEntry(record) };
}

/**
 * appendAudit inside a transaction of sqlTransaction (the hot paths that run on plain SQL):
 * the same lock, the same entry, the same columns.
 */
export async function appendAuditSql(client: SqlClient, input: AuditInput): Promise<AuditRecord> {
  await client.query("SELECT pg_advisory_xact_lock($1)", [AUDIT_LOCK_KEY]);
  const { rows } = await client.query<{ seq: string; hash: string }>(
    "SELECT a.seq::text AS seq, a.hash FROM audit_entry a ORDER BY a.seq DESC LIMIT 1",
  );
  const last = rows[0] ? { seq: BigInt(rows[0].seq), hash: rows[0].hash } : null;
  const record = nextAuditRecord(last, input);
  await client.query(
    `INSERT INTO audit_entry (seq, at, actor_id, action, subject_type, subject_id, data, prev_hash, hash, event_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [
      record.seq.toString(),
      record.at,
      record.actorId,
      record.action,
      record.subjectType,
      record.subjectId,
      JSON.stringify(record.data),
      record.prevHash,
      record.hash,
      input.eventId ?? null,
    ],
  );
  return record;
}

export type ChainVerification =
  | { ok: true; count: number; headHash: string; headSeq: bigint }
  | { ok: false; count: number; brokenSeq: bigint; reason: "hash" | "link" | "gap" };

/** Re-hashes the whole chain in seq order and names the first entry that does not verify. */
export async function verifyAuditChain(batchSize = 1000): Promise<ChainVerification> {
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1n;
  let count = 0;
  for (;;) {
    const rows = await db().auditEntry.findMany({
      where: { seq: { gte: expectedSeq } },
      orderBy: { seq: "asc" },
      take: batchSize,
    });
    if (rows.length === 0) break;
    for (const row of rows) {
      if (row.seq !== expectedSeq) return { ok: false, count, brokenSeq: expectedSeq, reason: "gap" };
      const record: AuditRecord = { ...row, data: row.data as Record<string, unknown> };
      if (row.prevHash !== prevHash) return { ok: false, count, brokenSeq: row.seq, reason: "link" };
      if (hashAuditEntry(record) !== row.hash) {
        return { ok: false, count, brokenSeq: row.seq, reason: "hash" };
      }
      prevHash = row.hash;
      expectedSeq += 1n;
      count += 1;
    }
  }
  return { ok: true, count, headHash: prevHash, headSeq: expectedSeq - 1n };
}

export async function auditHead(): Promise<{ seq: bigint; hash: string; action: string } | null> {
  return db().auditEntry.findFirst({ orderBy: { seq: "desc" }, select: { seq: true, hash: true, action: true } });
}
