import { z } from "zod";
import type { SessionUser } from "../../platform/auth/auth.server.ts";
import { appendAudit } from "../../platform/audit/audit.server.ts";
import { db } from "../../platform/db.server.ts";
import { ownedBy } from "./agent.server.ts";
import { checkDocumentAccess } from "../../../bidding-core/index.ts";
import { OPEN_STATUSES, PUBLIC_STATUSES } from "./enums.ts";
import * as clock from "../../platform/clock.server.ts";
import { refuse, type Refused } from "../../platform/refusal.ts";
import { AUDIT_SUBJECT } from "../../platform/audit/subjects.ts";

/**
 * Tender document downloads. Bidders obtain the documents here, and each download is recorded
 * per organisation: the holder list (potential bidders, confidential until opening, TBL Art 22)
 * and the list of who a clarification must reach (Regs Art 21).
 */

export type DownloadDecision =
  | {
      ok: true;
      document: { id: string; fileName: string; sizeBytes: bigint; storageKey: string; mediaType: string };
      recorded: boolean;
    }
  | Refused;

/** Refused downloads, with their message (`tender` namespace, `download.refused.<status>`). */
const refused = (status: 403 | 404 | 410): Refused => refuse(`tender.download.refused.${status}`, status);

const isUuid = (value: string) => z.string().uuid().safeParse(value).success;

export async function authoriseDownload(
  user: SessionUser,
  tenderId: string,
  documentId: string,
  meta: { ip?: string },
  now = clock.now(),
): Promise<DownloadDecision> {
  if (!isUuid(tenderId) || !isUuid(documentId)) return refused(404);
  const document = await db().tenderDocument.findFirst({
    where: { id: documentId, tenderId },
    select: {
      id: true,
      fileName: true,
      sizeBytes: true,
      storageKey: true,
      mediaType: true,
      kind: true,
      tender: { select: { status: true, docsAvailableUntil: true } },
    },
  });
  if (!document) return refused(404);
  const file = {
    id: document.id,
    fileName: document.fileName,
    sizeBytes: document.sizeBytes,
    storageKey: document.storageKey,
    mediaType: document.mediaType,
  };

  if (user.role === "AGENT") {
    const owns = await db().tender.count({ where: { AND: [{ id: tenderId }, ownedBy(user)] } });
    if (!owns) return refused(403);
    await appendAudit({
      actorId: user.id,
      action: "tender.document_viewed",
      subjectType: AUDIT_SUBJECT.Tender,
      subjectId: tenderId,
      data: { documentId },
    });
    return { ok: true, document: file, recorded: false };
  }
  if (user.role !== "BIDDER" || !user.organizationId) return refused(403);
  if (!(PUBLIC_STATUSES as readonly string[]).includes(document.tender.status)) return refused(404);
  const organizationId = user.organizationId;
  const alreadyHolder = (await db().documentDownload.count({ where: { tenderId, organizationId } })) > 0;
  const access = checkDocumentAccess({
    now,
    documentsUntil: document.tender.docsAvailableUntil,
    biddingOpen: (OPEN_STATUSES as readonly string[]).includes(document.tender.status),
    alreadyHolder,
  });
  if (!access.ok) return refused(410);
  await db().$transaction(async (tx) => {
    const download = await tx.documentDownload.create({
      data: { tenderId, documentId, organizationId, userId: user.id, at: now, ip: meta.ip ?? null },
      select: { id: true },
    });
    await appendAudit(
      {
        actorId: user.id,
        action: "tender.document_downloaded",
        subjectType: AUDIT_SUBJECT.Tender,
        subjectId: tenderId,
        data: { downloadId: download.id, documentId, organizationId, kind: document.kind, ip: meta.ip },
      },
      tx,
    );
  });
  return { ok: true, document: file, recorded: true };
}

/** Content-Disposition with an ASCII fallback and the UTF-8 name (RFC 6266 / RFC 5987). */
export function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
