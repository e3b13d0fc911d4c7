// A submitted bid is never lost, and never reported complete without a receipt (issue 11 item 2,
// docs/decisions/056): the upload's finalisation is held, made to fail or "crash" through a
// wrapper around finaliseSubmission, and the Node PATCH/HEAD path (server.ts) is asked meanwhile.
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { finaliseOnce, recoverUploads, uploadReceipt } from "~/features/bids/upload/tus-upload.server.ts";
import type { SessionUser } from "~/platform/auth/auth.server.ts";
import { db, disconnectDb } from "~/platform/db.server.ts";
import { env } from "~/platform/env.server.ts";
import { closeBidding } from "~/features/tenders/close-bidding.jobs.server.ts";
import { closeRedis } from "~/platform/redis.server.ts";
import { resetClockForTests, setClockForTests } from "~/platform/clock.server.ts";
import { ingestGate } from "~/features/bids/upload/ingest-gate.server.ts";
import { startUploadServer } from "../support/upload-server.ts";
import {
  createBidder,
  createOpenTender,
  holdDocuments,
  sealTestBid,
  type TestBidder,
  type TestTender,
} from "../support/bidder.ts";

const hooks = vi.hoisted(() => ({
  calls: 0,
  before: null as null | (() => Promise<void>),
  after: null as null | (() => Promise<void>),
}));

vi.mock("~/features/bids/bids.server.ts", async (importOriginal) => {
  const real = await importOriginal<typeof import("~/features/bids/bids.server.ts")>();
  return {
    ...real,
    async finaliseSubmission(...args: Parameters<typeof real.finaliseSubmission>) {
      hooks.calls++;
      if (hooks.before) await hooks.before();
      const result = await real.finaliseSubmission(...args);
      if (hooks.after) await hooks.after();
      return result;
    },
  };
});

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "bids-finalise-"));
let server: http.Server;
let port = 0;

beforeAll(async () => {
  ({ server, port } = await startUploadServer());
});

afterEach(() => {
  hooks.before = null;
  hooks.after = null;
  resetClockForTests();
  vi.restoreAllMocks();
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  fs.rmSync(tmp, { recursive: true, force: true });
  await closeRedis();
  await disconnectDb();
});

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function call(bidder: TestBidder, method: string, url: string, headers: Record<string, string>, body?: Buffer): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: "127.0.0.1", port, method, path: url, headers: { "Tus-Resumable": "1.0.0", Cookie: bidder.cookie, ...headers } },
      (res) => {
        const parts: Buffer[] = [];
        res.on("data", (c: Buffer) => parts.push(c));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts).toString("utf8") }),
        );
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

interface Scene {
  bidder: TestBidder;
  user: SessionUser;
  tender: TestTender;
  bytes: Buffer;
  url: string;
  id: string;
}

/** A bidder, an open tender, a sealed envelope and its created (empty) upload. */
async function scene(): Promise<Scene> {
  const bidder = await createBidder();
  const tender = await createOpenTender();
  await holdDocuments(tender.id, bidder);
  const file = path.join(tmp, `${tender.id}.mbseal`);
  await sealTestBid(file, {
    bidder,
    tender,
    readOut: { price: "880000.00" },
    document: Uint8Array.from({ length: 300_000 }, (_, i) => (i * 7) & 0xff),
  });
  const bytes = fs.readFileSync(file);
  const meta = `tenderId ${Buffer.from(tender.id).toString("base64")}`;
  const created = await call(bidder, "POST", "/uploads/bids", {
    "Upload-Length": String(bytes.length),
    "Upload-Metadata": meta,
    "Content-Length": "0",
  });
  expect(created.status).toBe(201);
  const url = new URL(created.headers.location as string, `http://127.0.0.1:${port}`).pathname;
  const row = await db().user.findFirstOrThrow({
    where: { organizationId: bidder.organizationId },
    select: { id: true, email: true, name: true },
  });
  const user: SessionUser = { ...row, role: "BIDDER", organizationId: bidder.organizationId, organizationName: null };
  return { bidder, user, tender, bytes, url, id: path.basename(url) };
}

const patchAll = (s: Scene) =>
  call(
    s.bidder,
    "PATCH",
    s.url,
    { "Upload-Offset": "0", "Content-Type": "application/offset+octet-stream", "Content-Length": String(s.bytes.length) },
    s.bytes,
  );
const head = (s: Scene) => call(s.bidder, "HEAD", s.url, {});
const uploadFile = (s: Scene) => path.join(env().UPLOADS_DIR, s.id);

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = () => {};
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** Holds the next finalisation until released; resolves `started` when it is held. */
function holdFinalisation(): { started: Promise<void>; release: () => void } {
  const started = deferred();
  const gate = deferred();
  hooks.before = async () => {
    started.resolve();
    await gate.promise;
  };
  return { started: started.promise, release: gate.resolve };
}

/** Holds the next body at the ingest gate (as a saturated server would) until released. */
function holdIngestGate(): { entered: Promise<void>; release: () => void } {
  const entered = deferred();
  const open = deferred();
  const enter = ingestGate.enter.bind(ingestGate);
  vi.spyOn(ingestGate, "enter").mockImplementationOnce(async (signal) => {
    entered.resolve();
    await open.promise;
    return enter(signal);
  });
  return { entered: entered.promise, release: open.resolve };
}

async function versionsOf(s: Scene): Promise<{ id: string; receivedAt: Date }[]> {
  return db().bidVersion.findMany({
    where: { bid: { tenderId: s.tender.id, organizationId: s.bidder.organizationId } },
    select: { id: true, receivedAt: true },
  });
}

describe("a submitted bid is never lost, nor reported complete without its receipt", () => {
  it("answers HEAD and PATCH with 423 Locked (Retry-After) while the last byte's finalisation runs, then the receipt", async () => {
    const s = await scene();
    const hold = holdFinalisation();
    const last = patchAll(s);
    await hold.started;
    const busy = await head(s);
    expect(busy.status).toBe(423);
    expect(busy.headers["retry-after"]).toBeDefined();
    // Upload-Offset stays truthful: every byte is here.
    expect(busy.headers["upload-offset"]).toBe(String(s.bytes.length));
    const again = await call(s.bidder, "PATCH", s.url, {
      "Upload-Offset": String(s.bytes.length),
      "Content-Type": "application/offset+octet-stream",
      "Content-Length": "0",
    });
    expect(again.status).toBe(423);
    expect(await uploadReceipt(s.user, s.id, s.tender.id)).toMatchObject({ status: "finalising" });
    hold.release();
    const done = await last;
    expect(done.status).toBe(200);
    const { versionId } = JSON.parse(done.body) as { versionId: string };
    const after = await head(s);
    expect(after.status).toBe(200);
    expect(after.headers["upload-offset"]).toBe(String(s.bytes.length));
    expect(await uploadReceipt(s.user, s.id, s.tender.id)).toMatchObject({ status: "accepted", versionId });
    // Another bidder learns nothing of it; another tender's endpoint neither.
    const other = await createBidder();
    expect((await call(other, "HEAD", s.url, {})).status).toBe(404);
    expect(await uploadReceipt(s.user, s.id, (await createOpenTender()).id)).toEqual({ status: "unknown" });
  });

  it("keeps the bytes of a finalisation that failed for a transient reason, answers 503/423, and finalises it again", async () => {
    const s = await scene();
    let failures = 1;
    hooks.before = async () => {
      if (failures-- > 0) throw new Error("Connection terminated unexpectedly");
    };
    const failed = await patchAll(s);
    expect(failed.status).toBe(503);
    expect(fs.statSync(uploadFile(s)).size).toBe(s.bytes.length);
    expect(await versionsOf(s)).toHaveLength(0);
    // The client's retry asks HEAD: busy (it starts the finalisation again), never "complete".
    const busy = await head(s);
    expect(busy.status).toBe(423);
    let answer = await uploadReceipt(s.user, s.id, s.tender.id);
    for (let i = 0; i < 200 && answer.status === "finalising"; i++) {
      await new Promise((r) => setTimeout(r, 50));
      answer = await uploadReceipt(s.user, s.id, s.tender.id);
    }
    expect(answer.status).toBe("accepted");
    expect(await versionsOf(s)).toHaveLength(1);
    expect((await head(s)).status).toBe(200);
    expect(fs.existsSync(uploadFile(s))).toBe(false);
  });

  it("finalises at start an upload whose process died after recording it, to the same single version", async () => {
    const s = await scene();
    let crashes = 1;
    // The version is committed, then the "process dies" before the outcome is written.
    hooks.after = async () => {
      if (crashes-- > 0) throw new Error("killed");
    };
    expect((await patchAll(s)).status).toBe(503);
    const recorded = await versionsOf(s);
    expect(recorded).toHaveLength(1);
    expect(fs.existsSync(uploadFile(s))).toBe(true);
    const calls = hooks.calls;
    const recovery = await recoverUploads();
    expect(recovery.recovered).toBeGreaterThanOrEqual(1);
    expect(hooks.calls).toBeGreaterThan(calls);
    expect(await versionsOf(s)).toEqual(recorded);
    expect(await uploadReceipt(s.user, s.id, s.tender.id)).toMatchObject({ status: "accepted", versionId: recorded[0]!.id });
    const done = await finaliseOnce(s.id);
    expect(done.outcome).toMatchObject({ ok: true, versionId: recorded[0]!.id });
    expect(await versionsOf(s)).toEqual(recorded);
    expect(fs.existsSync(uploadFile(s))).toBe(false);
  });

  it("dates the bid by its last byte: a deadline passing while it is queued does not make it late, and bidding does not close over it (Regs Art 36)", async () => {
    const s = await scene();
    const hold = holdFinalisation();
    const last = patchAll(s);
    await hold.started;
    // The deadline passes while the finalisation waits: it is now, after the last byte.
    const deadline = new Date();
    await db().tender.update({ where: { id: s.tender.id }, data: { bidDeadline: deadline } });
    expect(await closeBidding(s.tender.id)).toMatchObject({ closed: false, reason: "bids-finalising", pending: 1 });
    hold.release();
    const done = await last;
    expect(done.status).toBe(200);
    const { receipt } = JSON.parse(done.body) as { receipt: { statement: { receivedAt: string } } };
    expect(new Date(receipt.statement.receivedAt).getTime()).toBeLessThanOrEqual(deadline.getTime());
    const [version] = await versionsOf(s);
    expect(version!.receivedAt.toISOString()).toBe(receipt.statement.receivedAt);
    expect(await closeBidding(s.tender.id)).toMatchObject({ closed: true, bids: 1 });
  });

  it("does not close bidding over a final body the ingest gate still holds from before the deadline, and dates it by its queueing (Regs Art 36)", async () => {
    const s = await scene();
    const gate = holdIngestGate();
    const last = patchAll(s);
    await gate.entered;
    // The deadline falls while the body waits unread in the gate: the server's wait, not the bidder's.
    const deadline = new Date(Date.now() + 2_000);
    await db().tender.update({ where: { id: s.tender.id }, data: { bidDeadline: deadline } });
    setClockForTests({ nowMs: () => Date.now() + 5_000 });
    expect(await closeBidding(s.tender.id)).toMatchObject({ closed: false, reason: "bids-finalising", pending: 1 });
    gate.release();
    const done = await last;
    expect(done.status).toBe(200);
    const { receipt } = JSON.parse(done.body) as { receipt: { statement: { receivedAt: string } } };
    expect(new Date(receipt.statement.receivedAt).getTime()).toBeLessThanOrEqual(deadline.getTime());
    expect(await closeBidding(s.tender.id)).toMatchObject({ closed: true, bids: 1 });
  });

  it("does not let a body read past the deadline hold bidding open: it is late whatever comes next", async () => {
    const s = await scene();
    const deadline = new Date(Date.now() + 3_000);
    await db().tender.update({ where: { id: s.tender.id }, data: { bidDeadline: deadline } });
    const admitted = deferred();
    const enter = ingestGate.enter.bind(ingestGate);
    vi.spyOn(ingestGate, "enter").mockImplementationOnce(async (signal) => {
      const leave = await enter(signal);
      admitted.resolve();
      return leave;
    });
    // A client that sends half its last body and stalls (a trickle), past the deadline.
    let answered!: (a: Answer) => void;
    const answer = new Promise<Answer>((resolve) => (answered = resolve));
    const headers = {
      "Tus-Resumable": "1.0.0",
      Cookie: s.bidder.cookie,
      "Upload-Offset": "0",
      "Content-Type": "application/offset+octet-stream",
      "Content-Length": String(s.bytes.length),
    };
    const req = http.request({ host: "127.0.0.1", port, method: "PATCH", path: s.url, headers }, (res) => {
      const parts: Buffer[] = [];
      res.on("data", (c: Buffer) => parts.push(c));
      res.on("end", () =>
        answered({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts).toString("utf8") }),
      );
    });
    req.write(s.bytes.subarray(0, s.bytes.length >> 1));
    await admitted.promise;
    // Reading has begun (the handler noted its admission); then the deadline passes during it.
    await new Promise((r) => setTimeout(r, 200));
    setClockForTests({ nowMs: () => Date.now() + 10_000 });
    expect(await closeBidding(s.tender.id)).toMatchObject({ closed: true, bids: 0 });
    req.end(s.bytes.subarray(s.bytes.length >> 1));
    const done = await answer;
    expect(done.status).toBeGreaterThanOrEqual(400);
    expect(done.status).toBeLessThan(500);
    expect(await versionsOf(s)).toHaveLength(0);
  });

  it("tells a page whose upload is not complete to resume it", async () => {
    const s = await scene();
    const part = await call(
      s.bidder,
      "PATCH",
      s.url,
      { "Upload-Offset": "0", "Content-Type": "application/offset+octet-stream", "Content-Length": "1000" },
      s.bytes.subarray(0, 1000),
    );
    expect(part.status).toBe(204);
    expect(await uploadReceipt(s.user, s.id, s.tender.id)).toEqual({ status: "incomplete", offset: 1000, size: s.bytes.length });
    expect(await uploadReceipt(s.user, "not-an-upload", s.tender.id)).toEqual({ status: "unknown" });
  });
});
