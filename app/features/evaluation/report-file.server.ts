import fs from "node:fs/promises";
import { db } from "../../platform/db.server.ts";
import { storagePath } from "../../platform/storage.server.ts";
import type { RoomAccess } from "./room-access.server.ts";

/** The signed report's PDF: for the committee, the assigned supervisors and the agent, once signed; null otherwise. */
export async function reportPdf(access: RoomAccess): Promise<Buffer | null> {
  const s = await db().evaluationSession.findUnique({
    where: { tenderId: access.tender.id },
    select: { reportSignedAt: true, reportPdfSha256: true },
  });
  if (!s?.reportSignedAt || !s.reportPdfSha256) return null;
  return fs.readFile(storagePath(s.reportPdfSha256));
}
