import type { IncomingMessage, ServerResponse } from "node:http";
import path from "node:path";
import fs from "node:fs/promises";
import { ERRORS, EXPOSED_HEADERS, MemoryLocker, Metadata, Server, TUS_RESUMABLE, TUS_VERSION, type Upload } from "@tus/server";
import { z } from "zod";
import { getUser, type SessionUser } from "./auth.server.ts";
import { bidContext, checkEnvelopeSize, finaliseSubmission, recordRefusal, type BidRefusal } from "./bids.server.ts";
import { env } from "./env.server.ts";
import { clientIp } from "./request.server.ts";
import { dropIntake, IntakeFileStore, isLimitExceeded, takeIntake } from "./envelope-intake.server.ts";
import { ingestGate } from "./ingest-gate.server.ts";

export const UPLOAD_PATH = "/uploads/bids";

/** What the bidder's page sends with a new upload (tus Upload-Metadata), validated here. */
const UploadMetadataSchema = z.object({
  tenderId: z.string().uuid(),
  filename: z.string().max(200).optional(),
  // Collusion indicators (Regs Art 40), computed in the browser from non-secret data: a device
  // fingerprint, and SHA-256 hashes of the bid documents' author/creator fields.
  deviceFingerprint: z.string().regex(/^[0-9a-f]{64}$/).optional(),
  documentMeta: z.string().max(4000).optional(),
});

class UploadError extends Error {
  constructor(readonly status_code: number, readonly body: string) {
    super(body);
  }
}

function refusalError(refusal: BidRefusal): UploadError {
  return new UploadError(refusal.status, JSON.stringify({ error: refusal.code, article: refusal.article, params: refusal.params }));
}

async function loadBidder(request: Request): Promise<SessionUser> {
  const user = await getUser(request);
  if (!user) throw new UploadError(401, JSON.stringify({ error: "bid.signInRequired" }));
  if (user.role !== "BIDDER") throw new UploadError(403, JSON.stringify({ error: "bid.notBidder" }));
  return user;
}

// The session is read once per request: the tus hooks of one request (incoming, create, finish)
// ask for it two or three times, two queries each.
const bidderOfRequest = new WeakMap<Request, Promise<SessionUser>>();

function requireBidder(request: Request): Promise<SessionUser> {
  let user = bidderOfRequest.get(request);
  if (!user) {
    user = loadBidder(request);
    bidderOfRequest.set(request, user);
  }
  return user;
}

/**
 * Upload bodies one bidder may send at once (its uploads for several tenders, plus a reconnect
 * that takes over from a request still draining). More are refused with 429 before any byte is
 * read, so one account cannot hold the ingest gate or the disk for everyone.
 */
export const MAX_CONCURRENT_UPLOADS_PER_USER = 3;
const uploadsInFlight = new Map<string, number>();

/** A slot for one upload body of this user, or null when it has its maximum in flight. */
function enterUploadSlot(userId: string): (() => void) | null {
  const active = uploadsInFlight.get(userId) ?? 0;
  if (active >= MAX_CONCURRENT_UPLOADS_PER_USER) return null;
  uploadsInFlight.set(userId, active + 1);
  let left = false;
  return () => {
    if (left) return;
    left = true;
    const now = (uploadsInFlight.get(userId) ?? 1) - 1;
    if (now <= 0) uploadsInFlight.delete(userId);
    else uploadsInFlight.set(userId, now);
  };
}

/** Upload bodies of this user being received now. */
export function uploadsInProgress(userId: string): number {
  return uploadsInFlight.get(userId) ?? 0;
}

/** tus's default: how long a request holding an upload's lock may drain after another asks for it. */
const LOCK_DRAIN_MS = 3000;

let server: Server | undefined;
let store: IntakeFileStore | undefined;
// One lock per upload, shared by the tus server and the PATCH path below.
const locker = new MemoryLocker();

function uploadsDir(): string {
  return path.resolve(env().UPLOADS_DIR);
}

function intakeStore(): IntakeFileStore {
  store ??= new IntakeFileStore({ directory: uploadsDir(), expirationPeriodInMilliseconds: 24 * 3600 * 1000 });
  return store;
}

/**
 * Every request on an existing upload: it belongs to the bidder who created it, and bytes are
 * accepted only while the tender takes bids by the server clock.
 */
async function authorise(request: Request, uploadId: string | undefined): Promise<void> {
  const user = await requireBidder(request);
  if (!uploadId) return;
  const upload = await intakeStore().getUpload(uploadId).catch(() => null);
  if (!upload) return;
  if (upload.metadata?.userId !== user.id) throw new UploadError(404, JSON.stringify({ error: "bid.noSuchUpload" }));
  if (request.method === "PATCH") {
    const ctx = await bidContext(user, upload.metadata.tenderId ?? "", new Date());
    if (!ctx.ok) {
      await recordRefusal(user, upload.metadata.tenderId ?? "", ctx.refusal, { stage: "upload", uploadId });
      throw refusalError(ctx.refusal);
    }
  }
}

/** The last byte arrived: verify, store, record and answer with the receipt (or the refusal). */
async function completeUpload(request: Request, upload: Upload): Promise<{ status_code: number; headers: Record<string, string>; body: string }> {
  const user = await requireBidder(request);
  const result = await finalise(user, upload).catch((error: unknown) => {
    // An unexpected failure is logged with its cause; the bidder gets a retryable 500.
    console.error("bid finalisation failed:", error);
    throw new UploadError(500, JSON.stringify({ error: "bid.uploadFailed" }));
  });
  if (!result.ok) throw refusalError(result.refusal);
  return {
    status_code: 200,
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ bidId: result.value.bidId, versionId: result.value.versionId, version: result.value.version, receipt: result.value.receipt.json }),
  };
}

/**
 * The tus 1.0 resumable-upload endpoint for sealed envelopes. Only ciphertext ever arrives here:
 * the page seals before it uploads. An upload belongs to the bidder who created it; an offset
 * that does not match (a duplicate or out-of-order chunk) is answered 409 by the protocol.
 * From Node's server, PATCH is served by handlePatch below (same rules, fewer stream layers).
 */
export function bidUploads(): Server {
  const datastore = intakeStore();
  server ??= new Server({
    path: UPLOAD_PATH,
    datastore,
    locker,
    lockDrainTimeout: LOCK_DRAIN_MS,
    maxSize: env().BID_MAX_BYTES,
    respectForwardedHeaders: false,
    disableTerminationForFinishedUploads: true,
    onIncomingRequest: authorise,
    async onUploadCreate(request, upload) {
      const user = await requireBidder(request);
      const parsed = UploadMetadataSchema.safeParse(upload.metadata ?? {});
      if (!parsed.success) throw new UploadError(400, JSON.stringify({ error: "bid.badMetadata" }));
      const ctx = await bidContext(user, parsed.data.tenderId, new Date());
      const size = ctx.ok ? checkEnvelopeSize(ctx.value, upload.size) : ctx;
      if (!size.ok) {
        await recordRefusal(user, parsed.data.tenderId, size.refusal, { stage: "create", size: upload.size });
        throw refusalError(size.refusal);
      }
      return {
        metadata: {
          ...parsed.data,
          userId: user.id,
          organizationId: user.organizationId ?? "",
          ip: clientIp(request) ?? "",
          userAgent: request.headers.get("user-agent")?.slice(0, 300) ?? "",
        },
      };
    },
    onUploadFinish: completeUpload,
  });
  return server;
}

async function finalise(user: SessionUser, upload: Upload) {
  const meta = upload.metadata ?? {};
  const tenderId = meta.tenderId ?? "";
  const file = path.join(uploadsDir(), upload.id);
  let documentMeta: Record<string, unknown> = {};
  try {
    documentMeta = meta.documentMeta ? (JSON.parse(meta.documentMeta) as Record<string, unknown>) : {};
  } catch {
    documentMeta = {};
  }
  const intake = takeIntake(upload.id, upload.size ?? -1);
  try {
    const result = await finaliseSubmission(user, tenderId, file, intake, {
      ip: meta.ip || undefined,
      userAgent: meta.userAgent || undefined,
      deviceFingerprint: meta.deviceFingerprint || undefined,
      documentMeta,
    });
    if (!result.ok) await recordRefusal(user, tenderId, result.refusal, { stage: "finish", uploadId: upload.id });
    return result;
  } finally {
    intake?.abandon();
    dropIntake(upload.id);
    // Accepted envelopes were moved into bid storage; refused ones are deleted. Either way the
    // upload's working copy and its metadata go.
    await fs.rm(file, { force: true });
    await fs.rm(`${file}.json`, { force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// PATCH straight from Node's request: the tus server's PatchHandler, step for step, without its
// stream conversions (Node stream → web stream → Node stream → PassThrough → limiter → the
// store's Transform → WriteStream: about 16 callbacks and promise hops per 64 KiB on the main
// thread). The body goes from the socket to the file with IntakeFileStore.receive.

/** Header syntax as the tus server checks it (its validators are not exported). */
const HEADER_RULES: Record<string, (value: string) => boolean> = {
  "upload-offset": (v) => /^(0|[1-9][0-9]*)$/.test(v) && Number.isSafeInteger(Number(v)),
  "upload-length": (v) => /^(0|[1-9][0-9]*)$/.test(v) && Number.isSafeInteger(Number(v)),
  "upload-defer-length": (v) => v === "1",
  "upload-metadata": (v) => {
    try {
      Metadata.parse(v);
      return true;
    } catch {
      return false;
    }
  },
  "x-forwarded-proto": (v) => v === "http" || v === "https",
  "tus-version": (v) => (TUS_VERSION as readonly string[]).includes(v),
  "tus-resumable": (v) => v === TUS_RESUMABLE,
  "content-type": (v) => v === "application/offset+octet-stream",
  "upload-concat": (v) => v === "partial" || v.startsWith("final;"),
};

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(", ") : v;
}

/** The upload id: the last path segment, as the tus server reads it. */
function uploadIdOf(url: string | undefined): string | undefined {
  const pathname = (url ?? "").split("?")[0] ?? "";
  const match = /([^/]+)\/?$/.exec(pathname);
  if (!match?.[1]) return undefined;
  let id: string;
  try {
    id = decodeURIComponent(match[1]);
  } catch {
    return undefined;
  }
  if (UPLOAD_PATH.includes(match[1]) || id.includes("/") || id.includes("\\") || id.includes("\0")) return undefined;
  return id;
}

/** A body-less web Request with the same headers, for the session and client-address helpers. */
function headersOnly(req: IncomingMessage): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else headers.set(name, value);
  }
  return new Request(new URL(req.url ?? "/", `http://${req.headers.host ?? "localhost"}`), { method: "PATCH", headers });
}

function isHttpError(error: unknown): error is { status_code: number; body: string } {
  return typeof error === "object" && error !== null && typeof (error as { status_code?: unknown }).status_code === "number";
}

function send(res: ServerResponse, status: number, headers: Record<string, string>, body = ""): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const payload = status === 204 ? "" : body;
  if (payload !== "") headers["Content-Length"] = String(Buffer.byteLength(payload, "utf8"));
  res.writeHead(status, headers);
  res.end(payload);
}

async function handlePatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const headers: Record<string, string> = {
    "Tus-Resumable": TUS_RESUMABLE,
    // What the tus server answers when no allowedOrigins are configured.
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": EXPOSED_HEADERS,
  };
  if (header(req, "tus-resumable") === undefined) {
    send(res, 412, headers, "Tus-Resumable Required\n");
    return;
  }
  const invalid = Object.keys(HEADER_RULES).filter((name) => {
    const value = header(req, name);
    return value !== undefined && !(HEADER_RULES[name] as (v: string) => boolean)(value);
  });
  if (invalid.length > 0) {
    send(res, 400, headers, `Invalid ${invalid.join(" ")}\n`);
    return;
  }
  // The client went away before its body was read: stop waiting for the lock or for admission.
  const stop = new AbortController();
  req.once("close", () => {
    if (!req.complete) stop.abort();
  });
  let leaveSlot: (() => void) | null = null;
  try {
    const id = uploadIdOf(req.url);
    if (!id) throw ERRORS.FILE_NOT_FOUND;
    const offsetHeader = header(req, "upload-offset");
    if (offsetHeader === undefined) throw ERRORS.MISSING_OFFSET;
    const offset = Number.parseInt(offsetHeader, 10);
    if (header(req, "content-type") === undefined) throw ERRORS.INVALID_CONTENT_TYPE;
    const request = headersOnly(req);
    await authorise(request, id);
    leaveSlot = enterUploadSlot((await requireBidder(request)).id);
    if (!leaveSlot) throw new UploadError(429, JSON.stringify({ error: "bid.tooManyUploads", max: MAX_CONCURRENT_UPLOADS_PER_USER }));

    const datastore = intakeStore();
    // A second request for this upload (a client that reconnected) asks for the lock: this one
    // stops reading after LOCK_DRAIN_MS, keeps what arrived, and lets go, as tus does.
    const release = new AbortController();
    let drain: NodeJS.Timeout | undefined;
    const lock = locker.newLock(id);
    await lock.lock(stop.signal, async () => {
      drain ??= setTimeout(() => release.abort(), LOCK_DRAIN_MS);
    });
    let upload: Upload;
    let written: { offset: number; aborted: boolean };
    try {
      upload = await datastore.getUpload(id);
      const expiry = datastore.getExpiration();
      if (expiry > 0 && upload.creation_date && Date.now() > new Date(upload.creation_date).getTime() + expiry) {
        throw ERRORS.FILE_NO_LONGER_EXISTS;
      }
      if (upload.offset !== offset) throw ERRORS.INVALID_OFFSET;
      // Sizes are fixed when the upload is created (creation refuses an unknown size).
      if (header(req, "upload-length") !== undefined || upload.size === undefined) throw ERRORS.INVALID_LENGTH;
      const lengthHeader = header(req, "content-length");
      const length = lengthHeader === undefined ? undefined : Number.parseInt(lengthHeader, 10);
      if (length !== undefined && offset + length > upload.size) throw ERRORS.ERR_SIZE_EXCEEDED;
      // Bodies are read a bounded number at a time while the server is saturated (ingest-gate).
      const leave = await ingestGate.enter(AbortSignal.any([stop.signal, release.signal])).catch(() => null);
      if (!leave) {
        written = { offset, aborted: true };
      } else {
        try {
          const options = { limit: length ?? upload.size - offset, stop: release.signal, onRead: ingestGate.noteRead };
          written = await datastore.receive(req, id, offset, options).catch((error: unknown) => {
            if (isLimitExceeded(error)) throw ERRORS.ERR_MAX_SIZE_EXCEEDED;
            console.error("bid upload write failed:", error);
            throw ERRORS.FILE_WRITE_ERROR;
          });
        } finally {
          leave();
        }
      }
    } finally {
      clearTimeout(drain);
      await lock.unlock();
    }
    upload.offset = written.offset;
    if (written.aborted) headers.Connection = "close";
    headers["Upload-Offset"] = String(written.offset);
    if (written.offset === upload.size) {
      const done = await completeUpload(request, upload);
      send(res, done.status_code, { ...headers, ...done.headers }, done.body);
      return;
    }
    if (upload.creation_date && datastore.getExpiration() > 0) {
      headers["Upload-Expires"] = new Date(new Date(upload.creation_date).getTime() + datastore.getExpiration()).toUTCString();
    }
    send(res, 204, headers);
  } catch (error) {
    if (!isHttpError(error)) console.error("bid upload failed:", error);
    const { status_code, body } = isHttpError(error) ? error : ERRORS.UNKNOWN_ERROR;
    // As the tus server does after a failed PATCH: the rest of the body is not read.
    send(res, status_code, { ...headers, Connection: "close", ...(status_code === 429 ? { "Retry-After": "5" } : {}) }, body);
  } finally {
    leaveSlot?.();
  }
}

/**
 * Served by the custom server straight from Node's request and response (server.ts), not through
 * a Remix route: uploads are the platform's heaviest traffic.
 */
export function handleBidUpload(req: IncomingMessage, res: ServerResponse): Promise<void> {
  // The tus server answers concatenation with 501; it is not offered (Tus-Extension), so a
  // request for it is the client's error.
  if (req.headers["upload-concat"] !== undefined) {
    send(res, 400, { "Tus-Resumable": TUS_RESUMABLE, "Content-Type": "text/plain; charset=utf-8" }, "Upload-Concat is not supported.\n");
    return Promise.resolve();
  }
  if (req.method === "PATCH") return handlePatch(req, res);
  return bidUploads().handle(req, res);
}

/** Drops incomplete uploads older than the expiry (job `bids.cleanup-uploads`). */
export async function deleteExpiredUploads(): Promise<number> {
  bidUploads();
  return store ? store.deleteExpired() : 0;
}
