import { appendAudit, auditHead } from "~/platform/audit/audit.server.ts";
import { db, disconnectDb } from "~/platform/db.server.ts";
import { closeQueues, enqueue, startJobWorkers } from "~/services/jobs.server.ts";
import { closeRedis } from "~/platform/redis.server.ts";
import { platformPki } from "~/features/pki/platform-pki.server.ts";
import { AUDIT_LOG_NAME } from "~/features/audit/checkpoint.jobs.server.ts";
import { verifyCheckpoint } from "../../crypto/audit/checkpoint.ts";
import { fromBase64, utf8 } from "../../crypto/bytes.ts";
import { canonicalJson } from "../../crypto/canonical-json.ts";
import { createCrl } from "../../crypto/pki/crl.ts";

afterAll(async () => {
  await closeQueues();
  await closeRedis();
  await disconnectDb();
});

async function waitFor<T>(fn: () => Promise<T | null | undefined>, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("bull jobs on Redis", () => {
  it("checkpoints the audit chain head once, however often the job runs", async () => {
    await appendAudit({ action: "test.before_checkpoint", subjectType: "Test" });
    const head = await auditHead();
    await startJobWorkers();
    const job = await enqueue("audit.checkpoint", { reason: "manual" });
    await job.finished();
    const checkpoint = await waitFor(() => db().auditCheckpoint.findFirst({ where: { seq: head!.seq } }));
    expect(checkpoint.hash).toBe(head!.hash);
    // The platform's signature over the checkpoint verifies against the chain's entry.
    const pki = await platformPki();
    const now = new Date();
    const crls = [pki.issuing, pki.root].map((ca) =>
      createCrl(ca, { crlNumber: 1, thisUpdate: now, nextUpdate: new Date(now.getTime() + 3600_000), revoked: [] }),
    );
    const statement = {
      format: "MB-AUDIT-CHECKPOINT",
      version: 1,
      log: AUDIT_LOG_NAME,
      seq: Number(head!.seq),
      headHash: head!.hash,
      at: checkpoint.at.toISOString(),
    };
    const verified = verifyCheckpoint(
      { checkpoint: utf8(canonicalJson(statement)), signature: fromBase64(checkpoint.signature ?? "") },
      [{ seq: Number(head!.seq), prevHash: "", hash: head!.hash }],
      { roots: [pki.root.cert], intermediates: [pki.issuing.cert], crls },
      now,
    );
    expect(verified.headHash).toBe(head!.hash);

    // The checkpoint job itself appended an entry; checkpoint that, then run again: no new row.
    const second = await enqueue("audit.checkpoint", { reason: "manual" });
    await second.finished();
    const count = await db().auditCheckpoint.count();
    const third = await enqueue("audit.checkpoint", { reason: "manual" });
    expect(await third.finished()).toMatchObject({ skipped: "already checkpointed" });
    expect(await db().auditCheckpoint.count()).toBe(count);
  });

  it("refuses an invalid payload at enqueue time", async () => {
    await expect(enqueue("audit.checkpoint", { reason: "whenever" as never })).rejects.toThrow(/Invalid enum value/);
  });
});
