import pg from "pg";
import { appendAudit, appendAuditSql, verifyAuditChain } from "~/platform/audit/audit.server.ts";
import { db, disconnectDb, sqlTransaction } from "~/platform/db.server.ts";
import { GENESIS_HASH } from "~/platform/audit/audit-chain.ts";

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

  it("keeps one chain when the SQL and Prisma writers interleave", async () => {
    // appendAuditSql is the bid path's writer; both must take the same lock and find the same
    // head. A head found in text order ("9999" > "54417") would fork the chain. Text and number
    // order agree only while the head is also the largest seq as text (9, 99x, 999x, ...): first
    // move past any such stretch, so a text-ordered head query could not pass unnoticed.
    const orders = async () =>
      (
        await db().$queryRaw<
          { numeric: bigint | null; text: string | null }[]
        >`SELECT max(seq) AS numeric, max(seq::text) AS text FROM audit_entry`
      )[0];
    for (
      let o = await orders();
      !o || o.numeric === null || o.numeric < 10n || String(o.numeric) === o.text;
      o = await orders()
    ) {
      await appendAudit({ action: "test.fill", subjectType: "Test" });
    }
    const before = await verifyAuditChain();
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        i % 2 === 0
          ? sqlTransaction((c) =>
              appendAuditSql(c, {
                action: "test.sql_writer",
                subjectType: "Test",
                subjectId: String(i),
                data: { i, big: 10n ** 20n },
              }),
            )
          : appendAudit({ action: "test.prisma_writer", subjectType: "Test", subjectId: String(i), data: { i } }),
      ),
    );
    const after = await verifyAuditChain();
    expect(after).toMatchObject({ ok: true, count: before.count + 40 });
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
    // The app's role lacks the privileges (decision 053); even the owner meets the triggers.
    await expect(db().$executeRaw`UPDATE audit_entry SET action = 'x'`).rejects.toThrow(/permission denied/);
    await expect(db().$executeRaw`DELETE FROM audit_entry`).rejects.toThrow(/permission denied/);
    await expect(db().$executeRaw`TRUNCATE audit_entry`).rejects.toThrow(/permission denied/);
    const owner = new pg.Client({ connectionString: process.env.MIGRATION_DATABASE_URL });
    await owner.connect();
    try {
      await expect(owner.query("UPDATE audit_entry SET action = 'x'")).rejects.toThrow(/append-only/);
      await expect(owner.query("DELETE FROM audit_entry")).rejects.toThrow(/append-only/);
      await expect(owner.query("TRUNCATE audit_entry")).rejects.toThrow(/append-only/);
    } finally {
      await owner.end();
    }
  });

  it("names the first entry an administrator altered behind the triggers' back", async () => {
    await appendAudit({ action: "test.victim", subjectType: "Test", data: { amount: "100" } });
    await appendAudit({ action: "test.after", subjectType: "Test" });
    const victim = await db().auditEntry.findFirst({ where: { action: "test.victim" }, orderBy: { seq: "desc" } });
    // Only the owner (or a superuser) can disable the triggers: the rogue administrator.
    const client = new pg.Client({ connectionString: process.env.MIGRATION_DATABASE_URL });
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
