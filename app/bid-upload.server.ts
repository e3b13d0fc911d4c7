import type { IncomingMessage, ServerResponse } from "node:http";
import path from "node:path";
import fs from "node:fs/promises";
import { Server, type Upload } from "@tus/server";
import { z } from "zod";
import { getUser, type SessionUser } from "./auth.server.ts";
import { bidContext, checkEnvelopeSize, finaliseSubmission, recordRefusal, type BidRefusal } from "./bids.server.ts";
import { env } from "./env.server.ts";
import { clientIp } from "./request.server.ts";
import { dropIntake, IntakeFileStore, takeIntake } from "./envelope-intake.server.ts";

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

async function requireBidder(request: Request): Promise<SessionUser> {
  const user = await getUser(request);
  if (!user) throw new UploadError(401, JSON.stringify({ error: "bid.signInRequired" }));
  if (user.role !== "BIDDER") throw new UploadError(403, JSON.stringify({ error: "bid.notBidder" }));
  return user;
}

let server: Server | undefined;
let store: IntakeFileStore | undefined;

function uploadsDir(): string {
  return path.resolve(env().UPLOADS_DIR);
}

/**
 * The tus 1.0 resumable-upload endpoint for sealed envelopes. Only ciphertext ever arrives here:
 * the page seals before it uploads. An upload belongs to the bidder who created it; an offset
 * that does not match (a duplicate or out-of-order chunk) is answered 409 by the protocol.
 */
export function bidUploads(): Server {
  store ??= new IntakeFileStore({ directory: uploadsDir(), expirationPeriodInMilliseconds: 24 * 3600 * 1000 });
  const datastore = store;
  server ??= new Server({
    path: UPLOAD_PATH,
    datastore,
    maxSize: env().BID_MAX_BYTES,
    respectForwardedHeaders: false,
    disableTerminationForFinishedUploads: true,
    async onIncomingRequest(request, uploadId) {
      const user = await requireBidder(request);
      if (!uploadId) return;
      const upload = await datastore.getUpload(uploadId).catch(() => null);
      if (!upload) return;
      if (upload.metadata?.userId !== user.id) throw new UploadError(404, JSON.stringify({ error: "bid.noSuchUpload" }));
      if (request.method === "PATCH") {
        const ctx = await bidContext(user, upload.metadata.tenderId ?? "", new Date());
        if (!ctx.ok) {
          await recordRefusal(user, upload.metadata.tenderId ?? "", ctx.refusal, { stage: "upload", uploadId });
          throw refusalError(ctx.refusal);
        }
      }
    },
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
    async onUploadFinish(request, upload) {
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
    },
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
  try {
    const intake = takeIntake(upload.id, upload.size ?? -1);
    const result = await finaliseSubmission(user, tenderId, file, intake, {
      ip: meta.ip || undefined,
      userAgent: meta.userAgent || undefined,
      deviceFingerprint: meta.deviceFingerprint || undefined,
      documentMeta,
    });
    if (!result.ok) await recordRefusal(user, tenderId, result.refusal, { stage: "finish", uploadId: upload.id });
    return result;
  } finally {
    dropIntake(upload.id);
    // Accepted envelopes were moved into bid storage; refused ones are deleted. Either way the
    // upload's working copy and its metadata go.
    await fs.rm(file, { force: true });
    await fs.rm(`${file}.json`, { force: true });
  }
}

/**
 * Served by the custom server straight from Node's request and response (server.ts), not through
 * a Remix route: uploads are the platform's heaviest traffic and skip one stream conversion.
 */
export function handleBidUpload(req: IncomingMessage, res: ServerResponse): Promise<void> {
  return bidUploads().handle(req, res);
}

/** Drops incomplete uploads older than the expiry (job `bids.cleanup-uploads`). */
export async function deleteExpiredUploads(): Promise<number> {
  bidUploads();
  return store ? store.deleteExpired() : 0;
}
