import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { bidUploads } from "~/features/bids/upload/tus-upload.server.ts";
import { dropIntake } from "~/features/bids/upload/envelope-intake.server.ts";
import { db, disconnectDb } from "~/platform/db.server.ts";
import { env } from "~/platform/env.server.ts";
import { closeRedis, redis } from "~/platform/redis.server.ts";
import { platformPki } from "~/features/pki/platform-pki.server.ts";
import { receiptBytes, type ReceiptStatement } from "~/features/bids/receipts.server.ts";
import { fromBase64 } from "../../crypto/bytes.ts";
import { sha256 } from "../../crypto/hash.ts";
import { verifyCms } from "../../crypto/cms/verify.ts";
import { verifyTimestamp } from "../../crypto/tsa/verify.ts";
import { createCrl } from "../../crypto/pki/crl.ts";
import { openEnvelopeToDirectory } from "../../crypto/envelope/files.node.ts";
import {
  createBidder,
  createOpenTender,
  holdDocuments,
  sealTestBid,
  type TestBidder,
  type TestTender,
} from "../support/bidder.ts";
import { action as bidAction, loader as bidLoader } from "~/routes/bids.$tenderId.tsx";
import { loader as receiptLoader } from "~/routes/bids.$tenderId.receipts.$versionId.ts";
import { cleanupUploadsJob } from "~/features/bids/upload/cleanup-uploads.jobs.server.ts";
import { formRequest, ORIGIN, respond } from "../support/requests.ts";

// Plaintext that must never appear anywhere on the server before the opening.
const MARKER = "MINGBIAO-PLAINTEXT-MARKER-7f3a9c";
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "bids-"));

afterAll(async () => {
  fs.rmSync(tmp, { recursive: true, force: true });
  await closeRedis();
  await disconnectDb();
});

async function seal(bidder: TestBidder, tender: TestTender, name = "bid.mbseal", tenderId = tender.id): Promise<string> {
  const file = path.join(tmp, `${Date.now()}-${name}`);
  const body = new TextEncoder().encode(`${MARKER} 投标报价 12,345,678.00 元 `.repeat(20_000));
  await sealTestBid(file, { bidder, tender, tenderId, readOut: { price: "12345678.00", note: MARKER }, document: body });
  return file;
}

function tus(method: string, url: string, bidder: TestBidder, headers: Record<string, string> = {}, body?: Uint8Array) {
  return bidUploads().handleWeb(
    new Request(`${ORIGIN}${url}`, {
      method,
      headers: { "Tus-Resumable": "1.0.0", Cookie: bidder.cookie, ...headers },
      body,
      duplex: "half",
    } as RequestInit),
  );
}

function metadata(fields: Record<string, string>): string {
  return Object.entries(fields)
    .map(([k, v]) => `${k} ${Buffer.from(v).toString("base64")}`)
    .join(",");
}

async function create(bidder: TestBidder, tenderId: string, length: number) {
  return tus("POST", "/uploads/bids", bidder, {
    "Upload-Length": String(length),
    "Upload-Metadata": metadata({ tenderId, deviceFingerprint: "a".repeat(64) }),
  });
}

async function patch(bidder: TestBidder, location: string, offset: number, bytes: Uint8Array) {
  return tus(
    "PATCH",
    new URL(location, ORIGIN).pathname,
    bidder,
    { "Upload-Offset": String(offset), "Content-Type": "application/offset+octet-stream" },
    bytes,
  );
}

/** Uploads in two halves, as a resumed upload would. */
async function upload(bidder: TestBidder, tenderId: string, file: string) {
  const bytes = new Uint8Array(fs.readFileSync(file));
  const created = await create(bidder, tenderId, bytes.length);
  if (created.status !== 201) return created;
  const location = created.headers.get("Location")!;
  const half = Math.floor(bytes.length / 2);
  const first = await patch(bidder, location, 0, bytes.subarray(0, half));
  expect(first.status).toBe(204);
  return patch(bidder, location, half, bytes.subarray(half));
}

describe("sealed bid submission (tus upload → verification → receipt)", () => {
  let bidder: TestBidder;
  let tender: TestTender;

  beforeAll(async () => {
    bidder = await createBidder();
    tender = await createOpenTender();
    await holdDocuments(tender.id, bidder);
  });

  it("accepts a sealed envelope and returns a signed, timestamped receipt (E-Measures Arts 26-28)", async () => {
    const file = await seal(bidder, tender);
    const res = await upload(bidder, tender.id, file);
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      versionId: string;
      receipt: { statement: ReceiptStatement; signature: string; timestampToken: string };
    };
    const { statement } = body.receipt;
    expect(statement.tender.id).toBe(tender.id);
    expect(statement.envelope.sha256).toBe(execFileSync("sha256sum", [file]).toString().split(" ")[0]);

    const pki = await platformPki();
    const now = new Date();
    const trust = {
      roots: [pki.root.cert],
      intermediates: [pki.issuing.cert],
      crls: [
        createCrl(pki.issuing, { crlNumber: 1, thisUpdate: now, nextUpdate: new Date(now.getTime() + 3600_000), revoked: [] }),
        createCrl(pki.root, { crlNumber: 1, thisUpdate: now, nextUpdate: new Date(now.getTime() + 3600_000), revoked: [] }),
      ],
    };
    const bytes = receiptBytes(statement);
    const signed = verifyCms({
      der: fromBase64(body.receipt.signature),
      detachedContent: bytes,
      trust,
      at: now,
      usage: "signing",
    });
    expect(signed.signer.serialNumber).toBe(pki.signer.cert.serialNumber);
    const stamp = verifyTimestamp({ der: fromBase64(body.receipt.timestampToken), digest: sha256(bytes), trust });
    expect(Math.abs(stamp.genTime.getTime() - Date.parse(statement.receivedAt))).toBeLessThan(1000);

    const version = await db().bidVersion.findUniqueOrThrow({ where: { id: body.versionId } });
    expect(version.deviceFingerprint).toBe("a".repeat(64));
    const stored = path.join(env().BIDS_DIR, version.storageKey);
    expect(fs.existsSync(stored)).toBe(true);
    // Whoever holds the escrow key (after the opening time) gets the bid back intact.
    const out = fs.mkdtempSync(path.join(tmp, "open-"));
    const opened = await openEnvelopeToDirectory(stored, out, { trust, at: now, recipientKey: tender.escrow.keys.privateKey });
    expect(opened.files.length).toBe(2);
    expect(fs.readFileSync(opened.files[1] ?? "", "utf8")).toContain(MARKER);
    expect(await db().auditEntry.count({ where: { action: "bid.submitted", subjectId: version.bidId } })).toBe(1);
  });

  it("keeps every version and counts the last; withdrawal before the deadline is allowed (TBL Art 29)", async () => {
    const res = await upload(bidder, tender.id, await seal(bidder, tender, "v2.mbseal"));
    expect(res.status).toBe(200);
    const bid = await db().bid.findFirstOrThrow({
      where: { tenderId: tender.id, organizationId: bidder.organizationId },
      select: { status: true, versions: { select: { number: true } } },
    });
    expect(bid.versions.map((v) => v.number).sort()).toEqual([1, 2]);

    const withdrawn = await respond(() =>
      bidAction({
        request: formRequest(`/bids/${tender.id}`, { intent: "withdraw", csrf: bidder.token }, bidder.cookie),
        params: { tenderId: tender.id },
        context: {},
      }),
    );
    expect(withdrawn.status).toBe(200);
    expect(
      (await db().bid.findFirstOrThrow({ where: { tenderId: tender.id, organizationId: bidder.organizationId } })).status,
    ).toBe("WITHDRAWN");
    const again = await respond(() =>
      bidAction({
        request: formRequest(`/bids/${tender.id}`, { intent: "withdraw", csrf: bidder.token }, bidder.cookie),
        params: { tenderId: tender.id },
        context: {},
      }),
    );
    expect(again.status).toBe(409);
    // Submitting again before the deadline reinstates the bid with a new version.
    expect((await upload(bidder, tender.id, await seal(bidder, tender, "v3.mbseal"))).status).toBe(200);
    expect(
      (await db().bid.findFirstOrThrow({ where: { tenderId: tender.id, organizationId: bidder.organizationId } })).status,
    ).toBe("SUBMITTED");
  });

  it("verifies from disk when the upload was not seen whole in memory (a resumed upload after a restart)", async () => {
    const bytes = new Uint8Array(fs.readFileSync(await seal(bidder, tender, "resumed.mbseal")));
    const created = await create(bidder, tender.id, bytes.length);
    const location = created.headers.get("Location")!;
    const half = Math.floor(bytes.length / 2);
    expect((await patch(bidder, location, 0, bytes.subarray(0, half))).status).toBe(204);
    dropIntake(path.basename(new URL(location, ORIGIN).pathname));
    const done = await patch(bidder, location, half, bytes.subarray(half));
    expect(done.status).toBe(200);
    const body = (await done.json()) as { versionId: string };
    const version = await db().bidVersion.findUniqueOrThrow({ where: { id: body.versionId } });
    expect(version.envelopeSha256).toBe(
      execFileSync("sha256sum", [path.join(env().BIDS_DIR, version.storageKey)])
        .toString()
        .split(" ")[0],
    );
  });

  it("answers a duplicate or out-of-order chunk with 409 and keeps the upload consistent", async () => {
    const bytes = new Uint8Array(fs.readFileSync(await seal(bidder, tender, "dup.mbseal")));
    const created = await create(bidder, tender.id, bytes.length);
    const location = created.headers.get("Location")!;
    expect((await patch(bidder, location, 0, bytes.subarray(0, 1000))).status).toBe(204);
    expect((await patch(bidder, location, 0, bytes.subarray(0, 1000))).status).toBe(409);
    expect((await patch(bidder, location, 5000, bytes.subarray(5000, 6000))).status).toBe(409);
    const head = await tus("HEAD", new URL(location, ORIGIN).pathname, bidder);
    expect(head.headers.get("Upload-Offset")).toBe("1000");
  });

  it("refuses a tampered envelope and a truncated one, storing nothing", async () => {
    const before = await db().bidVersion.count();
    // An upload's outcome (here its refusal) stays for the receipt endpoint; its bytes go.
    const workingCopies = () => fs.readdirSync(env().UPLOADS_DIR).filter((name) => !name.endsWith(".outcome")).length;
    const uploadsBefore = workingCopies();
    const bidsBefore = (fs.readdirSync(env().BIDS_DIR, { recursive: true }) as string[]).length;
    const file = await seal(bidder, tender, "tampered.mbseal");
    const bytes = fs.readFileSync(file);
    const middle = Math.floor(bytes.length / 2);
    bytes[middle] = (bytes[middle] ?? 0) ^ 0x01;
    fs.writeFileSync(file, bytes);
    const tampered = await upload(bidder, tender.id, file);
    expect(tampered.status).toBe(422);
    expect(((await tampered.json()) as { error: string }).error).toMatch(/^bid\.CRYPTO\./);

    const whole = fs.readFileSync(await seal(bidder, tender, "short.mbseal"));
    const shortFile = path.join(tmp, "short-cut.mbseal");
    fs.writeFileSync(shortFile, whole.subarray(0, whole.length - 700));
    const truncated = await upload(bidder, tender.id, shortFile);
    expect(truncated.status).toBe(422);
    expect(((await truncated.json()) as { error: string }).error).toBe("bid.CRYPTO.TRUNCATED");
    expect(await db().bidVersion.count()).toBe(before);
    // Neither the working copies nor anything in bid storage remain.
    expect(workingCopies()).toBe(uploadsBefore);
    expect((fs.readdirSync(env().BIDS_DIR, { recursive: true }) as string[]).length).toBe(bidsBefore);
  });

  it("refuses an envelope sealed for another tender, an empty upload and an oversize one", async () => {
    const other = await createOpenTender();
    await holdDocuments(other.id, bidder);
    const wrong = await upload(bidder, other.id, await seal(bidder, tender, "wrong.mbseal"));
    expect(wrong.status).toBe(422);
    expect((await create(bidder, tender.id, 0)).status).toBe(400);
    const big = await create(bidder, tender.id, 9 * 1024 * 1024);
    expect(big.status).toBe(413);
    expect(await big.text()).toContain("bid.tooLarge");
  });

  it("refuses a bidder who has not obtained the documents, and records the refusal", async () => {
    const stranger = await createBidder();
    const res = await create(stranger, tender.id, 1000);
    expect(res.status).toBe(422);
    expect(await res.text()).toContain("BID.NO_DOCUMENTS");
  });

  it("refuses a late submission by the server clock and records the attempt (Regs Art 36)", async () => {
    const late = await createOpenTender(1500);
    await holdDocuments(late.id, bidder);
    const bytes = new Uint8Array(fs.readFileSync(await seal(bidder, late, "late.mbseal", late.id)));
    const created = await create(bidder, late.id, bytes.length);
    expect(created.status).toBe(201);
    await new Promise((r) => setTimeout(r, 1600));
    const res = await patch(bidder, created.headers.get("Location")!, 0, bytes);
    expect(res.status).toBe(409);
    expect(await res.text()).toContain("BID.AFTER_DEADLINE");
    expect(await db().auditEntry.count({ where: { action: "bid.refused", subjectId: late.id } })).toBeGreaterThan(0);
    expect(await db().bid.count({ where: { tenderId: late.id } })).toBe(0);
  });

  it("answers malformed ids with 404, never a 500", async () => {
    const page = await respond(() =>
      bidLoader({
        request: new Request(`${ORIGIN}/bids/x`, { headers: { Cookie: bidder.cookie } }),
        params: { tenderId: "not-a-uuid" },
        context: {},
      }),
    );
    expect(page.status).toBe(404);
    const receipt = await respond(() =>
      receiptLoader({
        request: new Request(`${ORIGIN}/bids/x/receipts/y`, { headers: { Cookie: bidder.cookie } }),
        params: { tenderId: tender.id, versionId: "../../etc" },
        context: {},
      }),
    );
    expect(receipt.status).toBe(404);
    const dashes = await respond(() =>
      bidLoader({
        request: new Request(`${ORIGIN}/bids/x`, { headers: { Cookie: bidder.cookie } }),
        params: { tenderId: "-".repeat(36) },
        context: {},
      }),
    );
    expect(dashes.status).toBe(404);
    const upload = await create(bidder, "not-a-uuid", 1000);
    expect(upload.status).toBe(400);
  });

  it("the hourly job deletes incomplete uploads nobody resumed within a day", async () => {
    const created = await create(bidder, tender.id, 5000);
    const id = path.basename(new URL(created.headers.get("Location")!, ORIGIN).pathname);
    const meta = path.join(env().UPLOADS_DIR, `${id}.json`);
    const record = JSON.parse(fs.readFileSync(meta, "utf8")) as { creation_date: string };
    record.creation_date = new Date(Date.now() - 2 * 86_400_000).toISOString();
    fs.writeFileSync(meta, JSON.stringify(record));
    const result = (await cleanupUploadsJob.run({})) as { deleted: number };
    expect(result.deleted).toBeGreaterThanOrEqual(1);
    expect(fs.existsSync(path.join(env().UPLOADS_DIR, id))).toBe(false);
  });

  it("another bidder cannot touch someone else's upload", async () => {
    const created = await create(bidder, tender.id, 5000);
    const intruder = await createBidder();
    const res = await tus("HEAD", new URL(created.headers.get("Location")!, ORIGIN).pathname, intruder);
    expect(res.status).toBe(404);
  });

  it("leaves no plaintext byte of any bid on the server: database, disk, Redis", async () => {
    const marker = Buffer.from(MARKER);
    const dump = execFileSync(
      "pg_dump",
      ["--data-only", "-h", "127.0.0.1", "-U", "postgres", new URL(env().DATABASE_URL).pathname.slice(1)],
      { maxBuffer: 1 << 30 },
    );
    expect(dump.includes(marker)).toBe(false);
    for (const dir of [env().BIDS_DIR, env().UPLOADS_DIR]) {
      for (const file of fs.readdirSync(dir, { recursive: true }) as string[]) {
        const full = path.join(dir, file);
        if (fs.statSync(full).isFile()) expect(fs.readFileSync(full).includes(marker)).toBe(false);
      }
    }
    for (const key of await redis().keys("*")) {
      const type = await redis().type(key);
      const value =
        type === "string" ? await redis().get(key) : JSON.stringify(type === "hash" ? await redis().hgetall(key) : "");
      expect(String(value).includes(MARKER)).toBe(false);
    }
  });
});
