import type { IncomingMessage, ServerResponse } from "node:http";
import path from "node:path";
import { ERRORS, EXPOSED_HEADERS, MemoryLocker, Metadata, Server, TUS_RESUMABLE, TUS_VERSION, type Upload } from "@tus/server";
import { z } from "zod";
import { getUser, type SessionUser } from "../../../platform/auth/auth.server.ts";
import {
  arrivalOf,
  completeUnfinalised,
  deleteOldOutcomes,
  outcomeOf,
  recordArrival,
  expectFinalBody,
  type IncomingBodyHandle,
  recordOutcome,
  removeUploadFiles,
  uploadsDir,
  type UploadOutcome,
} from "../../../platform/upload-arrivals.server.ts";
import { bidContext, checkEnvelopeSize, finaliseSubmission, recordRefusal, storedReceipt } from "../bids.server.ts";
import type { Refusal } from "../../../platform/refusal.ts";
import { db } from "../../../platform/db.server.ts";
import { env } from "../../../platform/env.server.ts";
import { clientIp } from "../../../platform/request.server.ts";
import { dropIntake, IntakeFileStore, isLimitExceeded, takeIntake } from "./envelope-intake.server.ts";
import { ingestGate } from "./ingest-gate.server.ts";
import * as clock from "../../../platform/clock.server.ts";

export const UPLOAD_PATH = "/uploads/bids";

/** What the bidder's page sends with a new upload (tus Upload-Metadata), validated here. */
const UploadMetadataSchema = z.object({
  tenderId: z.string().uuid(),
  filename: z.string().max(200).optional(),
  // Collusion indicators (Regs Art 40), computed in the browser from non-secret data: a device
  // fingerprint, and SHA-256 hashes of the bid documents' author/creator fields.
  deviceFingerprint: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
  documentMeta: z.string().max(4000).optional(),
});

class UploadError extends Error {
  constructor(
    readonly status_code: number,
    readonly body: string,
  ) {
    super(body);
  }
}

function refusalError(refusal: Refusal): UploadError {
  return new UploadError(
    refusal.status,
    JSON.stringify({ error: refusal.code, article: refusal.article, params: refusal.params }),
  );
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

/** How long a client is asked to wait (Retry-After, seconds) while an upload is being finalised. */
const FINALISING_RETRY_AFTER_S = 2;

function intakeStore(): IntakeFileStore {
  store ??= new IntakeFileStore({ directory: uploadsDir(), expirationPeriodInMilliseconds: 24 * 3600 * 1000 });
  return store;
}

/**
 * Every request on an existing upload: it belongs to the bidder who created it, and bytes are
 * accepted only while the tender takes bids by the server clock. An upload whose last byte has
 * arrived is past that check: what remains (its finalisation) does not depend on the clock now.
 */
async function authorise(request: Request, uploadId: string | undefined): Promise<UploadState | null> {
  const user = await requireBidder(request);
  if (!uploadId) return null;
  const state = await uploadState(uploadId);
  if (state.kind === "none") return state;
  if (state.userId !== user.id) throw new UploadError(404, JSON.stringify({ error: "bid.noSuchUpload" }));
  if (request.method === "PATCH" && state.kind === "receiving") {
    const ctx = await bidContext(user, state.upload.metadata?.tenderId ?? "", clock.now(), { createEscrow: false });
    if (!ctx.ok) {
      await recordRefusal(user, state.upload.metadata?.tenderId ?? "", ctx.refusal, { stage: "upload", uploadId });
      throw refusalError(ctx.refusal);
    }
  }
  return state;
}

/**
 * Where an upload stands: bytes still arriving; every byte here and its finalisation not ended
 * (under way, or interrupted by a fault and waiting to run again); finalised (receipt or refusal);
 * or unknown.
 */
type UploadState =
  | { kind: "none" }
  | { kind: "receiving"; userId: string | undefined; upload: Upload }
  | { kind: "complete"; userId: string | undefined; upload: Upload }
  | { kind: "done"; userId: string; outcome: UploadOutcome };

async function uploadState(id: string): Promise<UploadState> {
  const outcome = await outcomeOf(id);
  if (outcome) return { kind: "done", userId: outcome.userId, outcome };
  const upload = await intakeStore()
    .getUpload(id)
    .catch(() => null);
  if (!upload) return { kind: "none" };
  const userId = upload.metadata?.userId ?? undefined;
  if (upload.size !== undefined && upload.offset === upload.size) return { kind: "complete", userId, upload };
  return { kind: "receiving", userId, upload };
}

/** What the PATCH that completes an upload answers: the receipt, or the refusal. */
function outcomeAnswer(
  outcome: UploadOutcome,
  receipt: unknown,
): { status_code: number; headers: Record<string, string>; body: string } {
  if (!outcome.ok) throw refusalError(outcome.refusal);
  return {
    status_code: 200,
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ bidId: outcome.bidId, versionId: outcome.versionId, version: outcome.version, receipt }),
  };
}

/** The last byte arrived: verify, store, record and answer with the receipt (or the refusal). */
async function completeUpload(
  request: Request,
  upload: Upload,
): Promise<{ status_code: number; headers: Record<string, string>; body: string }> {
  const user = await requireBidder(request);
  const done = await finaliseOnce(upload.id, user).catch((error: unknown) => {
    // A transient failure (database, disk): the bytes stay and the finalisation runs again at
    // the client's retry or at start; the client is told to come back, never that it is done.
    console.error("bid finalisation failed:", error);
    throw new UploadError(503, JSON.stringify({ error: "bid.finalisationPending" }));
  });
  return outcomeAnswer(done.outcome, done.receipt ?? (done.outcome.ok ? await storedReceipt(done.outcome.versionId) : null));
}

// Finalisations under way in this process, by upload id: a second caller (the client's HEAD,
// start-up recovery) joins the first instead of starting another.
const finalising = new Map<string, Promise<{ outcome: UploadOutcome; receipt?: unknown }>>();

async function userById(id: string | undefined): Promise<SessionUser> {
  const row = id
    ? await db().user.findUnique({
        where: { id },
        select: { id: true, email: true, name: true, role: true, organizationId: true, organization: { select: { name: true } } },
      })
    : null;
  if (!row) throw new Error(`the user ${id ?? "(none)"} of an upload does not exist`);
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    organizationId: row.organizationId,
    organizationName: row.organization?.name ?? null,
  };
}

/**
 * Finalises a complete upload once, idempotently: the outcome file says it is done; a killed or
 * failed finalisation leaves the bytes and runs again (recordVersion does not record the same
 * envelope twice). Only a refusal by rule (tampered, late, foreign tender) deletes the bytes.
 */
export function finaliseOnce(id: string, knownUser?: SessionUser): Promise<{ outcome: UploadOutcome; receipt?: unknown }> {
  const running = finalising.get(id);
  if (running) return running;
  const run = (async () => {
    const earlier = await outcomeOf(id);
    if (earlier) return { outcome: earlier };
    const upload = await intakeStore().getUpload(id);
    if (upload.size === undefined || upload.offset !== upload.size) throw new Error(`upload ${id} is not complete`);
    const user = knownUser ?? (await userById(upload.metadata?.userId ?? undefined));
    const receivedAt = (await arrivalOf(id)) ?? clock.now();
    const result = await finalise(user, upload, receivedAt);
    const base = { size: upload.size, tenderId: upload.metadata?.tenderId ?? "", userId: user.id };
    const outcome: UploadOutcome = result.ok
      ? { ...base, ok: true, bidId: result.value.bidId, versionId: result.value.versionId, version: result.value.version }
      : { ...base, ok: false, refusal: result.refusal };
    await recordOutcome(id, outcome);
    await removeUploadFiles(id);
    return { outcome, receipt: result.ok ? result.value.receipt.json : undefined };
  })().finally(() => finalising.delete(id));
  finalising.set(id, run);
  return run;
}

/**
 * At start: every upload whose bytes all arrived but whose finalisation never ended (the process
 * was killed, the database or disk failed) is finalised now, one at a time.
 */
export async function recoverUploads(): Promise<{ recovered: number; failed: number }> {
  bidUploads();
  let recovered = 0;
  let failed = 0;
  for (const pending of await completeUnfinalised()) {
    try {
      await finaliseOnce(pending.id);
      recovered++;
    } catch (error) {
      failed++;
      console.error(`recovery: upload ${pending.id} could not be finalised yet`, error);
    }
  }
  return { recovered, failed };
}

export type ReceiptAnswer =
  | { status: "accepted"; bidId: string; versionId: string; version: number; receipt: unknown }
  | { status: "finalising"; offset: number; size: number }
  | { status: "incomplete"; offset: number; size: number }
  | { status: "refused"; refusal: Refusal }
  | { status: "unknown" };

/**
 * The receipt of one of the bidder's uploads, for a page that did not get it in the upload's
 * answer (a lost connection, a finalisation that had to run again). An upload complete but not
 * finalised is finalised now (or joined, if under way).
 */
export async function uploadReceipt(user: SessionUser, id: string, tenderId: string): Promise<ReceiptAnswer> {
  bidUploads();
  if (!/^[0-9a-f]{32}$/i.test(id)) return { status: "unknown" };
  const state = await uploadState(id);
  if (state.kind === "none" || state.userId !== user.id) return { status: "unknown" };
  const ofTender = state.kind === "done" ? state.outcome.tenderId : state.upload.metadata?.tenderId;
  if (ofTender !== tenderId) return { status: "unknown" };
  if (state.kind === "done") {
    const { outcome } = state;
    if (!outcome.ok) return { status: "refused", refusal: outcome.refusal };
    return {
      status: "accepted",
      bidId: outcome.bidId,
      versionId: outcome.versionId,
      version: outcome.version,
      receipt: await storedReceipt(outcome.versionId),
    };
  }
  const size = state.upload.size ?? 0;
  if (state.kind === "receiving") return { status: "incomplete", offset: state.upload.offset, size };
  void finaliseOnce(id).catch((error: unknown) => console.error(`bid finalisation of ${id} failed:`, error));
  return { status: "finalising", offset: state.upload.offset, size };
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
    async onIncomingRequest(request, uploadId) {
      await authorise(request, uploadId);
    },
    async onUploadCreate(request, upload) {
      const user = await requireBidder(request);
      const parsed = UploadMetadataSchema.safeParse(upload.metadata ?? {});
      if (!parsed.success) throw new UploadError(400, JSON.stringify({ error: "bid.badMetadata" }));
      const ctx = await bidContext(user, parsed.data.tenderId, clock.now(), { createEscrow: false });
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
    async onUploadFinish(request, upload) {
      await recordArrival(upload.id, clock.now());
      return completeUpload(request, upload);
    },
  });
  return server;
}

async function finalise(user: SessionUser, upload: Upload, receivedAt: Date) {
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
    const result = await finaliseSubmission(
      user,
      tenderId,
      file,
      intake,
      {
        ip: meta.ip || undefined,
        userAgent: meta.userAgent || undefined,
        deviceFingerprint: meta.deviceFingerprint || undefined,
        documentMeta,
      },
      receivedAt,
    );
    if (!result.ok) await recordRefusal(user, tenderId, result.refusal, { stage: "finish", uploadId: upload.id });
    return result;
  } finally {
    // The upload's files stay until its outcome is recorded (finaliseOnce): a failure here keeps them.
    intake?.abandon();
    dropIntake(upload.id);
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
    // Finalised, or being finalised: answered from that state, never as a plain completion.
    const state = (await authorise(request, id)) ?? (await uploadState(id));
    if (state.kind === "done") {
      if (offset !== state.outcome.size) throw ERRORS.INVALID_OFFSET;
      const done = outcomeAnswer(state.outcome, state.outcome.ok ? await storedReceipt(state.outcome.versionId) : null);
      send(res, done.status_code, { ...headers, "Upload-Offset": String(state.outcome.size), ...done.headers }, done.body);
      return;
    }
    if (finalising.has(id)) {
      sendBusy(res, headers, state.kind === "complete" ? (state.upload.size ?? 0) : 0);
      return;
    }
    leaveSlot = enterUploadSlot((await requireBidder(request)).id);
    if (!leaveSlot)
      throw new UploadError(429, JSON.stringify({ error: "bid.tooManyUploads", max: MAX_CONCURRENT_UPLOADS_PER_USER }));

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
    // How long the server itself held this body unread (ingest gate): not the bidder's time.
    let heldUnread = 0;
    let finalBody: IncomingBodyHandle | undefined;
    try {
      upload = await datastore.getUpload(id);
      const expiry = datastore.getExpiration();
      if (expiry > 0 && upload.creation_date && clock.nowMs() > new Date(upload.creation_date).getTime() + expiry) {
        throw ERRORS.FILE_NO_LONGER_EXISTS;
      }
      if (upload.offset !== offset) throw ERRORS.INVALID_OFFSET;
      // Sizes are fixed when the upload is created (creation refuses an unknown size).
      if (header(req, "upload-length") !== undefined || upload.size === undefined) throw ERRORS.INVALID_LENGTH;
      const lengthHeader = header(req, "content-length");
      const length = lengthHeader === undefined ? undefined : Number.parseInt(lengthHeader, 10);
      if (length !== undefined && offset + length > upload.size) throw ERRORS.ERR_SIZE_EXCEEDED;
      // Bodies are read a bounded number at a time while the server is saturated (ingest-gate).
      const queuedAt = clock.nowMs();
      // A body that may complete the upload: bid closing waits while it can still be on time.
      const tenderId = upload.metadata?.tenderId;
      if (tenderId && (length === undefined || offset + length === upload.size)) finalBody = expectFinalBody(tenderId, queuedAt);
      const leave = await ingestGate.enter(AbortSignal.any([stop.signal, release.signal])).catch(() => null);
      heldUnread = clock.nowMs() - queuedAt;
      finalBody?.admitted(clock.nowMs());
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
      // The legal arrival time (Regs Art 36), on disk before anything else happens to the bid.
      if (written.offset === upload.size && written.offset > offset)
        await recordArrival(id, new Date(clock.nowMs() - heldUnread));
    } finally {
      finalBody?.done();
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

/** 423 Locked, as tus servers answer for an upload another request holds; tus clients retry it. */
function sendBusy(res: ServerResponse, headers: Record<string, string>, size: number): void {
  send(
    res,
    423,
    {
      ...headers,
      "Retry-After": String(FINALISING_RETRY_AFTER_S),
      "Upload-Offset": String(size),
      "Upload-Length": String(size),
      "Cache-Control": "no-store",
      "Content-Type": "application/json",
    },
    JSON.stringify({ error: "bid.finalising" }),
  );
}

/**
 * HEAD on an upload whose last byte arrived: "complete" (offset = length) only once its receipt
 * exists; while it is being finalised, or waits to be finalised again after a fault, 423 with
 * Retry-After (the finalisation is started if none runs). Otherwise the tus server answers.
 */
async function handleHead(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  const id = uploadIdOf(req.url);
  if (!id) return false;
  const headers: Record<string, string> = {
    "Tus-Resumable": TUS_RESUMABLE,
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": EXPOSED_HEADERS,
  };
  try {
    const user = await requireBidder(headersOnly(req));
    const state = await uploadState(id);
    if (state.kind === "none" || state.kind === "receiving") return false;
    if (state.userId !== user.id) throw new UploadError(404, JSON.stringify({ error: "bid.noSuchUpload" }));
    if (state.kind === "done") {
      const { outcome } = state;
      if (!outcome.ok) {
        send(
          res,
          410,
          { ...headers, "Content-Type": "application/json" },
          JSON.stringify({ error: outcome.refusal.code, article: outcome.refusal.article, params: outcome.refusal.params }),
        );
        return true;
      }
      send(res, 200, {
        ...headers,
        "Upload-Offset": String(outcome.size),
        "Upload-Length": String(outcome.size),
        "Cache-Control": "no-store",
      });
      return true;
    }
    void finaliseOnce(id).catch((error: unknown) => console.error(`bid finalisation of ${id} failed:`, error));
    sendBusy(res, headers, state.upload.size ?? 0);
    return true;
  } catch (error) {
    const { status_code, body } = isHttpError(error) ? error : ERRORS.UNKNOWN_ERROR;
    if (!isHttpError(error)) console.error("bid upload HEAD failed:", error);
    send(res, status_code, headers, body);
    return true;
  }
}

/**
 * Served by the custom server straight from Node's request and response (server.ts), not through
 * a Remix route: uploads are the platform's heaviest traffic.
 */
export async function handleBidUpload(req: IncomingMessage, res: ServerResponse): Promise<void> {
  // The tus server answers concatenation with 501; it is not offered (Tus-Extension), so a
  // request for it is the client's error.
  if (req.headers["upload-concat"] !== undefined) {
    send(
      res,
      400,
      { "Tus-Resumable": TUS_RESUMABLE, "Content-Type": "text/plain; charset=utf-8" },
      "Upload-Concat is not supported.\n",
    );
    return;
  }
  if (req.method === "PATCH") return handlePatch(req, res);
  if (req.method === "HEAD" && (await handleHead(req, res))) return;
  return bidUploads().handle(req, res);
}

/** Drops incomplete uploads older than the expiry (job `bids.cleanup-uploads`). */
export async function deleteExpiredUploads(): Promise<number> {
  bidUploads();
  const expired = store ? await store.deleteExpired() : 0;
  await deleteOldOutcomes(intakeStore().getExpiration());
  return expired;
}
