// The PATCH path the custom server uses (server.ts → handleBidUpload): a real HTTP server on a
// free port, raw Node requests, the tus rules of the tus server's own PatchHandler, and the
// upload checks of bid-submission.test.ts (which goes through the tus server's web handler).
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { MAX_CONCURRENT_UPLOADS_PER_USER, uploadsInProgress } from "~/features/bids/upload/tus-upload.server.ts";
import { getUser } from "~/platform/auth/auth.server.ts";
import { db, disconnectDb } from "~/platform/db.server.ts";
import { env } from "~/platform/env.server.ts";
import { closeRedis } from "~/platform/redis.server.ts";
import { startUploadServer } from "../support/upload-server.ts";
import {
  createBidder,
  createOpenTender,
  holdDocuments,
  sealTestBid,
  type TestBidder,
  type TestTender,
} from "../support/bidder.ts";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "bids-node-"));
let server: http.Server;
let port = 0;
let bidder: TestBidder;
let tender: TestTender;

beforeAll(async () => {
  ({ server, port } = await startUploadServer());
  bidder = await createBidder();
  tender = await createOpenTender();
  await holdDocuments(tender.id, bidder);
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  fs.rmSync(tmp, { recursive: true, force: true });
  await closeRedis();
  await disconnectDb();
});

let sealedCount = 0;
async function seal(tenderId = tender.id, by = bidder): Promise<Buffer> {
  const file = path.join(tmp, `bid-${++sealedCount}.mbseal`);
  await sealTestBid(file, {
    bidder: by,
    tender,
    tenderId,
    readOut: { price: "12345678.00" },
    document: Uint8Array.from({ length: 700_000 }, (_, i) => (i * 31) & 0xff),
  });
  return fs.readFileSync(file);
}

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One request; `body` is sent in `pieces` writes (default one), or left unfinished with `abortAfter`. */
function call(
  method: string,
  url: string,
  headers: Record<string, string>,
  body?: Buffer,
  opts: { pieces?: number; abortAfter?: number; as?: TestBidder } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const cookie = (opts.as ?? bidder).cookie;
    const req = http.request(
      { host: "127.0.0.1", port, method, path: url, headers: { "Tus-Resumable": "1.0.0", Cookie: cookie, ...headers } },
      (res) => {
        const parts: Buffer[] = [];
        res.on("data", (c: Buffer) => parts.push(c));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts).toString("utf8") }),
        );
      },
    );
    req.on("error", (e) => (opts.abortAfter !== undefined ? resolve({ status: 0, headers: {}, body: String(e) }) : reject(e)));
    if (!body) {
      req.end();
      return;
    }
    if (opts.abortAfter !== undefined) {
      req.write(body.subarray(0, opts.abortAfter), () => setTimeout(() => req.destroy(), 200));
      return;
    }
    const n = opts.pieces ?? 1;
    const size = Math.ceil(body.length / n);
    for (let at = 0; at < body.length; at += size) req.write(body.subarray(at, at + size));
    req.end();
  });
}

async function create(length: number, as = bidder): Promise<string> {
  const meta = `tenderId ${Buffer.from(tender.id).toString("base64")}`;
  const res = await call(
    "POST",
    "/uploads/bids",
    { "Upload-Length": String(length), "Upload-Metadata": meta, "Content-Length": "0" },
    undefined,
    { as },
  );
  expect(res.status).toBe(201);
  return new URL(res.headers.location as string, `http://127.0.0.1:${port}`).pathname;
}

function patch(
  url: string,
  offset: number,
  bytes: Buffer,
  opts: { pieces?: number; abortAfter?: number; chunked?: boolean; as?: TestBidder } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { "Upload-Offset": String(offset), "Content-Type": "application/offset+octet-stream" };
  if (!opts.chunked) headers["Content-Length"] = String(bytes.length);
  return call("PATCH", url, headers, bytes, opts);
}

const sha256sum = (file: string) => execFileSync("sha256sum", [file]).toString().split(" ")[0];

describe("bid upload PATCH from Node's server (server.ts path)", () => {
  it("takes a whole envelope in one PATCH and answers with the receipt", async () => {
    const bytes = await seal();
    const url = await create(bytes.length);
    const res = await patch(url, 0, bytes, { pieces: 37 });
    expect(res.status).toBe(200);
    expect(res.headers["tus-resumable"]).toBe("1.0.0");
    expect(res.headers["upload-offset"]).toBe(String(bytes.length));
    const body = JSON.parse(res.body) as {
      versionId: string;
      receipt: { statement: { envelope: { sha256: string; sizeBytes: number } } };
    };
    const version = await db().bidVersion.findUniqueOrThrow({ where: { id: body.versionId } });
    const stored = path.join(env().BIDS_DIR, version.storageKey);
    expect(body.receipt.statement.envelope.sha256).toBe(sha256sum(stored));
    expect(fs.readFileSync(stored).equals(bytes)).toBe(true);
    expect(body.receipt.statement.envelope.sizeBytes).toBe(bytes.length);
    expect(await db().auditEntry.count({ where: { action: "bid.submitted", subjectId: version.bidId } })).toBeGreaterThanOrEqual(
      1,
    );
  });

  it("resumes across PATCHes cut anywhere, and after a client that went away mid-body", async () => {
    const bytes = await seal();
    const url = await create(bytes.length);
    expect((await patch(url, 0, bytes.subarray(0, 3))).status).toBe(204);
    const second = await patch(url, 3, bytes.subarray(3, 100_001), { pieces: 5 });
    expect(second.status).toBe(204);
    expect(second.headers["upload-offset"]).toBe("100001");
    // The client disconnects after sending part of the next body: what arrived is kept.
    await patch(url, 100_001, bytes.subarray(100_001), { abortAfter: 250_000 });
    await new Promise((r) => setTimeout(r, 300));
    const head = await call("HEAD", url, {});
    const offset = Number(head.headers["upload-offset"]);
    expect(offset).toBeGreaterThan(100_001);
    expect(offset).toBeLessThanOrEqual(350_001);
    const done = await patch(url, offset, bytes.subarray(offset));
    expect(done.status).toBe(200);
    const { versionId } = JSON.parse(done.body) as { versionId: string };
    const version = await db().bidVersion.findUniqueOrThrow({ where: { id: versionId } });
    expect(fs.readFileSync(path.join(env().BIDS_DIR, version.storageKey)).equals(bytes)).toBe(true);
  });

  it("keeps the tus rules: 412 without Tus-Resumable, 409 on a wrong offset, 413 past the size, 404 for another bidder", async () => {
    const bytes = await seal();
    const url = await create(bytes.length);
    const noVersion = await new Promise<number>((resolve, reject) => {
      const req = http.request(
        {
          host: "127.0.0.1",
          port,
          method: "PATCH",
          path: url,
          headers: {
            Cookie: bidder.cookie,
            "Upload-Offset": "0",
            "Content-Type": "application/offset+octet-stream",
            "Content-Length": "0",
          },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on("error", reject);
      req.end();
    });
    expect(noVersion).toBe(412);
    expect((await patch(url, 0, bytes.subarray(0, 1000))).status).toBe(204);
    expect((await patch(url, 0, bytes.subarray(0, 1000))).status).toBe(409);
    expect((await patch(url, 1000, Buffer.concat([bytes.subarray(1000), Buffer.alloc(10)]))).status).toBe(413);
    // Without Content-Length the limit is the rest of the upload, checked as bytes arrive.
    expect((await patch(url, 1000, Buffer.concat([bytes.subarray(1000), Buffer.alloc(70_000)]), { chunked: true })).status).toBe(
      413,
    );
    const badType = await call(
      "PATCH",
      url,
      { "Upload-Offset": "1000", "Content-Type": "text/plain", "Content-Length": "1" },
      Buffer.from("x"),
    );
    expect(badType.status).toBe(400);
    const intruder = await createBidder();
    const stolen = await new Promise<number>((resolve, reject) => {
      const req = http.request(
        {
          host: "127.0.0.1",
          port,
          method: "PATCH",
          path: url,
          headers: {
            "Tus-Resumable": "1.0.0",
            Cookie: intruder.cookie,
            "Upload-Offset": "1000",
            "Content-Type": "application/offset+octet-stream",
            "Content-Length": "1",
          },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on("error", reject);
      req.end("x");
    });
    expect(stolen).toBe(404);
  });

  it("refuses a tampered or truncated envelope and keeps nothing of it", async () => {
    const before = await db().bidVersion.count();
    const bidsBefore = (fs.readdirSync(env().BIDS_DIR, { recursive: true }) as string[]).length;
    const tampered = await seal();
    tampered[Math.floor(tampered.length / 2)]! ^= 0x01;
    const url = await create(tampered.length);
    const refused = await patch(url, 0, tampered);
    expect(refused.status).toBe(422);
    expect((JSON.parse(refused.body) as { error: string }).error).toBe("bid.CRYPTO.TAMPERED_CHUNK");
    const whole = await seal();
    const cutShort = whole.subarray(0, whole.length - 700);
    const url2 = await create(cutShort.length);
    const truncated = await patch(url2, 0, cutShort);
    expect(truncated.status).toBe(422);
    expect((JSON.parse(truncated.body) as { error: string }).error).toBe("bid.CRYPTO.TRUNCATED");
    expect(await db().bidVersion.count()).toBe(before);
    expect((fs.readdirSync(env().BIDS_DIR, { recursive: true }) as string[]).length).toBe(bidsBefore);
    for (const u of [url, url2]) expect(fs.existsSync(path.join(env().UPLOADS_DIR, path.basename(u)))).toBe(false);
  });

  it("refuses a bidder more upload bodies at once than the cap (429), and takes them again once one ends", async () => {
    const bytes = await seal();
    const urls = await Promise.all(Array.from({ length: MAX_CONCURRENT_UPLOADS_PER_USER + 1 }, () => create(bytes.length)));
    // Bodies that are started and then held open occupy the bidder's slots.
    const held = urls.slice(0, MAX_CONCURRENT_UPLOADS_PER_USER).map((url) => {
      const req = http.request({
        host: "127.0.0.1",
        port,
        method: "PATCH",
        path: url,
        headers: {
          "Tus-Resumable": "1.0.0",
          Cookie: bidder.cookie,
          "Upload-Offset": "0",
          "Content-Type": "application/offset+octet-stream",
          "Content-Length": String(bytes.length),
        },
      });
      req.on("error", () => {});
      req.write(bytes.subarray(0, 1000));
      return req;
    });
    const extra = urls[MAX_CONCURRENT_UPLOADS_PER_USER]!;
    const userId = (await getUser(new Request(`http://127.0.0.1:${port}/`, { headers: { Cookie: bidder.cookie } })))!.id;
    while (uploadsInProgress(userId) < MAX_CONCURRENT_UPLOADS_PER_USER) await new Promise((r) => setTimeout(r, 20));
    const refused = await patch(extra, 0, bytes);
    expect(refused.status).toBe(429);
    expect(JSON.parse(refused.body)).toMatchObject({ error: "bid.tooManyUploads" });
    // One held body goes away: its slot is free again.
    held[0]!.destroy();
    while (uploadsInProgress(userId) >= MAX_CONCURRENT_UPLOADS_PER_USER) await new Promise((r) => setTimeout(r, 20));
    expect((await patch(extra, 0, bytes)).status).toBe(200);
    for (const req of held) req.destroy();
  });

  it("takes many bidders' envelopes at once", async () => {
    // Six bidders (one bidder may send at most MAX_CONCURRENT_UPLOADS_PER_USER bodies at once).
    const uploads = await Promise.all(
      Array.from({ length: 6 }, async () => {
        const as = await createBidder();
        await holdDocuments(tender.id, as);
        const bytes = await seal(tender.id, as);
        return { bytes, as, url: await create(bytes.length, as) };
      }),
    );
    const answers = await Promise.all(uploads.map((u) => patch(u.url, 0, u.bytes, { pieces: 9, as: u.as })));
    expect(answers.map((a) => a.status)).toEqual(uploads.map(() => 200));
  });
});
