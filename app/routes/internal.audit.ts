import type { ActionFunctionArgs } from "@remix-run/node";
import { AUDIT_SUBJECT } from "~/platform/audit/subjects.ts";
import { json } from "@remix-run/node";
import { z } from "zod";
import { appendAudit, lockAuditChain } from "~/platform/audit/audit.server.ts";
import { db } from "~/platform/db.server.ts";
import { requireInternalCaller } from "~/platform/auth/internal-auth.server.ts";
import { INTERNAL_BODY_BYTES } from "~/platform/http-guards.server.ts";

const SubjectSchema = z.union([
  z.object({ type: z.string().min(1).max(64), id: z.string().max(200).optional() }),
  z
    .string()
    .min(1)
    .max(264)
    .transform((s) => {
      const [type, ...rest] = s.split(":");
      return { type: type ?? s, id: rest.length ? rest.join(":") : undefined };
    }),
]);

/**
 * The only entries the media server writes (media-server/recording/manifest.ts and the worker
 * pool in media-server/media-server.ts), each with the subject type it names. A holder of the
 * internal secret can append these and nothing else: no `tender.*` or `bid.*` entry can be
 * forged through this door (issue 11, item 8).
 */
export const MEDIA_AUDIT_ACTIONS: Readonly<Record<string, string>> = {
  "witness.recording.started": AUDIT_SUBJECT.WitnessRoom,
  "witness.segment.closed": AUDIT_SUBJECT.WitnessRoom,
  "witness.recording.gap": AUDIT_SUBJECT.WitnessRoom,
  "witness.recording.ended": AUDIT_SUBJECT.WitnessRoom,
  "witness.worker.replaced": AUDIT_SUBJECT.MediaWorker,
};

const BodySchema = z
  .object({
    // A retried delivery carries the same eventId and is recorded once.
    eventId: z.string().min(8).max(200).optional(),
    action: z.string().refine((a) => Object.hasOwn(MEDIA_AUDIT_ACTIONS, a), {
      message: `action must be one of the media server's: ${Object.keys(MEDIA_AUDIT_ACTIONS).join(", ")}`,
    }),
    subject: SubjectSchema,
    data: z.record(z.unknown()).default({}),
  })
  .superRefine((body, ctx) => {
    const expected = MEDIA_AUDIT_ACTIONS[body.action];
    if (expected && body.subject.type !== expected) {
      ctx.addIssue({
        code: "custom",
        path: ["subject"],
        message: `${body.action} is about a ${expected}, not a ${body.subject.type}`,
      });
    }
  });

export async function loader() {
  throw new Response("Method Not Allowed", { status: 405 });
}

/** Appends an entry from another platform service (the media server) to the audit chain. */
export async function action({ request }: ActionFunctionArgs) {
  requireInternalCaller(request);
  // The server refuses a longer body before it is read (http-guards); this holds for every caller.
  const text = await request.text().catch(() => "");
  if (Buffer.byteLength(text) > INTERNAL_BODY_BYTES) return json({ error: "audit entry too large" }, { status: 413 });
  let body: unknown = null;
  try {
    body = JSON.parse(text);
  } catch {
    body = null;
  }
  const parsed = BodySchema.safeParse(body);
  if (!parsed.success) {
    const message = parsed.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; ");
    return json({ error: `invalid audit entry: ${message}`, issues: parsed.error.issues }, { status: 400 });
  }
  const { eventId, action: auditAction, subject, data } = parsed.data;
  const record = await db().$transaction(async (tx) => {
    if (eventId) {
      // The duplicate check must happen under the chain lock, or two retries could both pass it.
      await lockAuditChain(tx);
      const seen = await tx.auditEntry.findUnique({ where: { eventId }, select: { seq: true } });
      if (seen) return { seq: seen.seq, duplicate: true };
    }
    const entry = await appendAudit(
      { action: auditAction, subjectType: subject.type, subjectId: subject.id ?? null, data, eventId },
      tx,
    );
    return { seq: entry.seq, duplicate: false };
  });
  return json({ seq: record.seq.toString(), duplicate: record.duplicate }, { status: record.duplicate ? 200 : 201 });
}
