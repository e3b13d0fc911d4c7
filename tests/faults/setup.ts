// What every fault scenario does around its fault: private services, bidders with sealed
// envelopes, and afterwards the checks of issue 11 item 3 (every upload has its receipt, nothing
// half-stored, the audit chain verifies), with the numbers for the closing note.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { BidClient } from "./client.ts";
import { faultEnv, startPostgres, startRedis, type AppServer, type FaultEnv, type Postgres, type Redis } from "./harness.ts";

export interface Services {
  pg: Postgres;
  redis: Redis;
  env: FaultEnv;
  tmp: string;
}

/** Starts the private services and points this process at them (before any app module loads). */
export async function startServices(): Promise<Services> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "mb-faults-"));
  const [pgc, redis] = await Promise.all([startPostgres(), startRedis()]);
  const env: FaultEnv = {
    databaseUrl: pgc.url,
    redisUrl: redis.url,
    uploadsDir: path.join(tmp, "uploads"),
    bidsDir: path.join(tmp, "bids"),
  };
  fs.mkdirSync(env.uploadsDir, { recursive: true });
  fs.mkdirSync(env.bidsDir, { recursive: true });
  Object.assign(process.env, faultEnv(env));
  return { pg: pgc, redis, env, tmp };
}

export async function stopServices(s: Services, apps: AppServer[]): Promise<void> {
  for (const app of apps) await app.stop().catch(() => undefined);
  const { disconnectDb } = await import("~/platform/db.server.ts");
  const { closeRedis } = await import("~/platform/redis.server.ts");
  await closeRedis().catch(() => undefined);
  await disconnectDb().catch(() => undefined);
  s.redis.stop();
  s.pg.stop();
  fs.rmSync(s.tmp, { recursive: true, force: true });
}

/** `bidders` × `tenders` uploads, one per bidder and tender, each a sealed envelope of ~1 MB. */
export async function makeClients(app: AppServer, bidders: number, tenders: number): Promise<BidClient[]> {
  const { createBidder, createOpenTender, holdDocuments, sealTestBid } = await import("../support/bidder.ts");
  const people = await Promise.all(Array.from({ length: bidders }, () => createBidder()));
  const open = await Promise.all(Array.from({ length: tenders }, () => createOpenTender()));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mb-faults-seal-"));
  const clients: BidClient[] = [];
  for (const tender of open) {
    for (const bidder of people) {
      await holdDocuments(tender.id, bidder);
      const file = path.join(dir, `${tender.id}-${bidder.organizationId}.mbseal`);
      await sealTestBid(file, {
        bidder,
        tender,
        readOut: { price: "1234567.00" },
        document: new Uint8Array(randomBytes(1_000_000)),
      });
      clients.push(new BidClient(app.url, bidder.cookie, tender.id, fs.readFileSync(file)));
    }
  }
  fs.rmSync(dir, { recursive: true, force: true });
  await Promise.all(clients.map((c) => c.create()));
  return clients;
}

const AUDIT_LOCK_KEY = 0x6d62_6175;

/**
 * Holds the audit chain's advisory lock from a connection of the test: every finalisation then
 * waits inside its recording transaction (envelope linked, version inserted, not committed),
 * the moment at which a fault hurts most.
 */
export async function holdAuditLock(url: string): Promise<{ waiting(): Promise<number>; release(): Promise<void> }> {
  const client = new pg.Client({ connectionString: url });
  client.on("error", () => undefined);
  await client.connect();
  await client.query("BEGIN");
  await client.query("SELECT pg_advisory_xact_lock($1)", [AUDIT_LOCK_KEY]);
  return {
    async waiting() {
      const { rows } = await client.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted",
      );
      return rows[0]?.n ?? 0;
    },
    async release() {
      await client.query("COMMIT").catch(() => undefined);
      await client.end().catch(() => undefined);
    },
  };
}

export interface Integrity {
  uploads: number;
  receipts: number;
  receiptsMatchingTheirBytes: number;
  versionsPerUpload: number[];
  completeWithoutReceipt: number;
  storedFilesMissingOrWrong: number;
  orphanStoredFiles: number;
  workingCopiesLeft: number;
  auditChain: { ok: boolean; count: number };
  bidSubmittedAuditEntries: number;
}

/** The checks after a fault: one version per upload with the bytes the client sent, nothing else stored. */
export async function checkIntegrity(
  s: Services,
  clients: BidClient[],
  receipts: { versionId: string; receipt: { statement: { envelope: { sha256: string } } } }[],
): Promise<Integrity> {
  const { db } = await import("~/platform/db.server.ts");
  const { verifyAuditChain } = await import("~/platform/audit/audit.server.ts");
  const tenders = [...new Set(clients.map((c) => c.tenderId))];
  const versions = await db().bidVersion.findMany({
    where: { bid: { tenderId: { in: tenders } } },
    select: { id: true, bidId: true, envelopeSha256: true, storageKey: true, sizeBytes: true },
  });
  let wrong = 0;
  for (const v of versions) {
    const file = path.join(s.env.bidsDir, v.storageKey);
    if (!fs.existsSync(file) || fs.statSync(file).size !== Number(v.sizeBytes)) wrong++;
  }
  const referenced = new Set(versions.map((v) => path.join(s.env.bidsDir, v.storageKey)));
  const stored = tenders.flatMap((t) => {
    const dir = path.join(s.env.bidsDir, t);
    return fs.existsSync(dir) ? fs.readdirSync(dir).map((n) => path.join(dir, n)) : [];
  });
  const working = fs.readdirSync(s.env.uploadsDir).filter((n) => !n.endsWith(".outcome"));
  const chain = await verifyAuditChain();
  const submitted = await db().auditEntry.count({
    where: { action: "bid.submitted", subjectId: { in: [...new Set(versions.map((v) => v.bidId))] } },
  });
  const bySha = new Map<string, number>();
  for (const v of versions) bySha.set(v.envelopeSha256, (bySha.get(v.envelopeSha256) ?? 0) + 1);
  return {
    uploads: clients.length,
    receipts: receipts.length,
    receiptsMatchingTheirBytes: receipts.filter(
      (r, i) => r.receipt.statement.envelope.sha256 === clients[i]!.sha256 && versions.some((v) => v.id === r.versionId),
    ).length,
    versionsPerUpload: clients.map((c) => bySha.get(c.sha256) ?? 0),
    completeWithoutReceipt: clients.reduce((n, c) => n + c.completeWithoutReceipt, 0),
    storedFilesMissingOrWrong: wrong,
    orphanStoredFiles: stored.filter((f) => !referenced.has(f)).length,
    workingCopiesLeft: working.length,
    auditChain: { ok: chain.ok, count: chain.count },
    bidSubmittedAuditEntries: submitted,
  };
}

/** Every check of item 3 at once. */
export function expectIntact(result: Integrity): void {
  expect(result.receipts).toBe(result.uploads);
  expect(result.receiptsMatchingTheirBytes).toBe(result.uploads);
  expect(result.versionsPerUpload).toEqual(Array.from({ length: result.uploads }, () => 1));
  expect(result.completeWithoutReceipt).toBe(0);
  expect(result.storedFilesMissingOrWrong).toBe(0);
  expect(result.orphanStoredFiles).toBe(0);
  expect(result.workingCopiesLeft).toBe(0);
  expect(result.auditChain.ok).toBe(true);
  expect(result.bidSubmittedAuditEntries).toBe(result.uploads);
}

/** The scenario's numbers, printed and kept in tests/.output/faults/ for the closing note. */
export function report(name: string, numbers: Record<string, unknown>): void {
  const dir = path.resolve("tests/.output/faults");
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, `${name}.json`), `${JSON.stringify(numbers, null, 2)}\n`);
  console.log(`fault ${name}: ${JSON.stringify(numbers)}`);
}
