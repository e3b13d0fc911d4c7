import pg from "pg";
import { appendAudit, appendAuditSql, verifyAuditChain } from "~/audit.server.ts";
import { db, disconnectDb, sqlTransaction } from "~/db.server.ts";
import { GENESIS_HASH } from "~/audit-chain.ts";

afterAll(async () => {
  await disconnectDb();
});

describe("audit log (全程留痕) on PostgreSQL", () => {
  it("keeps one unforked chain under 60 concurrent writers", async () => {
    const before = await verifyAuditChain();
    expect(before.ok).toBe(true);
    await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        appendAudit({ action: "test.concurrent", subjectType: "Test", subjectId: String(i), data: { i } }),
      ),
    );
    const after = await verifyAuditChain();
    expect(after.ok).toBe(true);
    expect(after.count).toBe(before.count + 60);
    const rows = await db().auditEntry.findMany({ orderBy: { seq: "asc" }, select: { seq: true, prevHash: true, hash: true } });
    const prevHashes = new Set(rows.map((r) => r.prevHash));
    expect(prevHashes.size).toBe(rows.length);
    expect(rows[0]?.prevHash).toBe(GENESIS_HASH);
    rows.forEach((r, i) => expect(r.seq).toBe(BigInt(i + 1)));
  });

  it("keeps one chain when the SQL and Prisma writers interleave, past a change in the number of digits", async () => {
    // appendAuditSql is the bid path's writer; both must take the same lock and find the same
    // head. A head found by text order ("99" > "100") would fork the chain at seq 100, 1000, ...
    const head = async () => (await db().auditEntry.findFirst({ orderBy: { seq: "desc" }, select: { seq: true } }))?.seq ?? 0n;
    let seq = await head();
    const boundary = 10n ** BigInt(seq.toString().length);
    while (seq < boundary + 2n) {
      const n = Number(boundary + 2n - seq);
      await Promise.all(
        Array.from({ length: Math.min(n, 40) }, (_, i) =>
          i % 2 === 0
            ? sqlTransaction((c) => appendAuditSql(c, { action: "test.sql_writer", subjectType: "Test", subjectId: String(i), data: { i, big: 10n ** 20n } }))
            : appendAudit({ action: "test.prisma_writer", subjectType: "Test", subjectId: String(i), data: { i } }),
        ),
      );
      seq = await head();
    }
    const after = await verifyAuditChain();
    expect(after).toMatchObject({ ok: true });
    const sqlEntry = await db().auditEntry.findFirst({ where: { action: "test.sql_writer" }, orderBy: { seq: "desc" } });
    expect(sqlEntry?.data).toMatchObject({ big: "100000000000000000000" });
  });

  it("rolls the SQL writer's entry back with its transaction", async () => {
    const count = await db().auditEntry.count();
    await expect(
      sqlTransaction(async (c) => {
        await appendAuditSql(c, { action: "test.rolled_back", subjectType: "Test" });
        throw new Error("business rule failed");
      }),
    ).rejects.toThrow("business rule failed");
    expect(await db().auditEntry.count()).toBe(count);
  });

  it("rolls the entry back with the caller's transaction", async () => {
    const count = await db().auditEntry.count();
    await expect(
      db().$transaction(async (tx) => {
        await appendAudit({ action: "test.rolled_back", subjectType: "Test" }, tx);
        throw new Error("business rule failed");
      }),
    ).rejects.toThrow("business rule failed");
    expect(await db().auditEntry.count()).toBe(count);
  });

  it("refuses UPDATE, DELETE and TRUNCATE in the database itself", async () => {
    await appendAudit({ action: "test.immutable", subjectType: "Test" });
    await expect(db().$executeRaw`UPDATE audit_entry SET action = 'x'`).rejects.toThrow(/append-only/);
    await expect(db().$executeRaw`DELETE FROM audit_entry`).rejects.toThrow(/append-only/);
    await expect(db().$executeRaw`TRUNCATE audit_entry`).rejects.toThrow(/append-only/);
  });

  it("names the first entry an administrator altered behind the triggers' back", async () => {
    await appendAudit({ action: "test.victim", subjectType: "Test", data: { amount: "100" } });
    await appendAudit({ action: "test.after", subjectType: "Test" });
    const victim = await db().auditEntry.findFirst({ where: { action: "test.victim" }, orderBy: { seq: "desc" } });
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
    try {
      await client.query("BEGIN");
      await client.query("ALTER TABLE audit_entry DISABLE TRIGGER audit_entry_append_only");
      await client.query(`UPDATE audit_entry SET data = '{"amount":"1"}' WHERE seq = $1`, [victim!.seq.toString()]);
      await client.query("ALTER TABLE audit_entry ENABLE TRIGGER audit_entry_append_only");
      await client.query("COMMIT");
      const result = await verifyAuditChain();
      expect(result).toMatchObject({ ok: false, brokenSeq: victim!.seq, reason: "hash" });
    } finally {
      // Put the row back so later tests see a sound chain again.
      await client.query("BEGIN");
      await client.query("ALTER TABLE audit_entry DISABLE TRIGGER audit_entry_append_only");
      await client.query(`UPDATE audit_entry SET data = '{"amount":"100"}' WHERE seq = $1`, [victim!.seq.toString()]);
      await client.query("ALTER TABLE audit_entry ENABLE TRIGGER audit_entry_append_only");
      await client.query("COMMIT");
      await client.end();
    }
    expect((await verifyAuditChain()).ok).toBe(true);
  });
});
