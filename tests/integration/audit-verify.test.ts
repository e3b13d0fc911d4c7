import { randomUUID } from "node:crypto";
import pg from "pg";
import { appendAudit } from "~/platform/audit/audit.server.ts";
import { db, disconnectDb } from "~/platform/db.server.ts";
import { auditCheckpointJob } from "~/features/audit/checkpoint.jobs.server.ts";
import { auditVerifyJob } from "~/features/audit/index.ts";
import { jobs } from "~/services/jobs.server.ts";

// The scheduled check of the audit log (issue 11, item 8): a break is audited once and every
// administrator is told once, however often the job runs.

async function asOwner(work: (c: pg.Client) => Promise<void>): Promise<void> {
  const client = new pg.Client({ connectionString: process.env.MIGRATION_DATABASE_URL });
  await client.connect();
  try {
    await client.query("BEGIN");
    await client.query("ALTER TABLE audit_entry DISABLE TRIGGER audit_entry_append_only");
    await client.query("ALTER TABLE audit_checkpoint DISABLE TRIGGER audit_checkpoint_append_only");
    await work(client);
    await client.query("ALTER TABLE audit_entry ENABLE TRIGGER audit_entry_append_only");
    await client.query("ALTER TABLE audit_checkpoint ENABLE TRIGGER audit_checkpoint_append_only");
    await client.query("COMMIT");
  } finally {
    await client.end();
  }
}

const admins = () => db().user.count({ where: { role: "ADMIN", disabledAt: null } });
const alerts = () => db().notification.count({ where: { kind: "audit.integrity_failed" } });
const reports = () => db().auditEntry.count({ where: { action: "audit.integrity_failed" } });

afterAll(async () => {
  await disconnectDb();
});

describe("scheduled audit verification", () => {
  it("is one of the scheduled jobs", () => {
    expect(jobs["audit.verify"]).toBe(auditVerifyJob);
  });

  it("finds a sound log sound and says nothing", async () => {
    await appendAudit({ action: "test.verify_sound", subjectType: "Test" });
    await auditCheckpointJob.run({ reason: "manual" });
    const [before, reported] = [await alerts(), await reports()];
    expect(await auditVerifyJob.run({ reason: "manual" })).toMatchObject({ ok: true, checkpoints: expect.any(Number) });
    expect([await alerts(), await reports()]).toEqual([before, reported]);
  });

  it("audits an edited entry once and notifies every administrator once", async () => {
    expect(await admins()).toBeGreaterThan(0);
    await appendAudit({ action: "test.verify_victim", subjectType: "Test", data: { amount: "100" } });
    const victim = await db().auditEntry.findFirstOrThrow({ where: { action: "test.verify_victim" }, orderBy: { seq: "desc" } });
    const [before, reported] = [await alerts(), await reports()];
    await asOwner((c) =>
      c.query(`UPDATE audit_entry SET data = '{"amount":"1"}' WHERE seq = $1`, [victim.seq.toString()]).then(() => undefined),
    );
    try {
      expect(await auditVerifyJob.run({ reason: "schedule" })).toMatchObject({
        ok: false,
        broken: { kind: "chain", seq: victim.seq.toString(), reason: "hash" },
        reported: true,
      });
      expect(await auditVerifyJob.run({ reason: "schedule" })).toMatchObject({ ok: false, reported: false });
      expect(await reports()).toBe(reported + 1);
      expect(await alerts()).toBe(before + (await admins()));
      const admin = await db().user.findFirstOrThrow({ where: { role: "ADMIN", disabledAt: null }, select: { id: true } });
      const note = await db().notification.findFirstOrThrow({
        where: { userId: admin.id, kind: "audit.integrity_failed" },
        orderBy: { createdAt: "desc" },
      });
      expect(JSON.parse(note.body)).toEqual({ kind: "chain", seq: victim.seq.toString(), reason: "hash" });
    } finally {
      await asOwner((c) =>
        c.query(`UPDATE audit_entry SET data = '{"amount":"100"}' WHERE seq = $1`, [victim.seq.toString()]).then(() => undefined),
      );
    }
    expect(await auditVerifyJob.run({ reason: "manual" })).toMatchObject({ ok: true });
  });

  it("catches a checkpoint the platform never signed", async () => {
    const head = await db().auditEntry.findFirstOrThrow({ orderBy: { seq: "desc" }, select: { seq: true, hash: true } });
    const forged = randomUUID();
    // A forged checkpoint row (the app's role may insert checkpoints): the signature is not the platform's.
    await db().auditCheckpoint.create({
      data: {
        id: forged,
        seq: head.seq,
        hash: head.hash,
        at: new Date(),
        signature: Buffer.from("not a signature").toString("base64"),
      },
    });
    try {
      const result = await auditVerifyJob.run({ reason: "manual" });
      expect(result).toMatchObject({ ok: false, broken: { kind: "checkpoint", seq: head.seq.toString() }, reported: true });
    } finally {
      await asOwner((c) => c.query("DELETE FROM audit_checkpoint WHERE id = $1", [forged]).then(() => undefined));
    }
  });
});
