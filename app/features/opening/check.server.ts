import { z } from "zod";
import { toBase64 } from "../../../crypto/index.node.ts";
import { appendAudit } from "../../platform/audit/audit.server.ts";
import { AUDIT_SUBJECT } from "../../platform/audit/subjects.ts";
import type { SessionUser } from "../../platform/auth/auth.server.ts";
import { now } from "../../platform/clock.server.ts";
import { db } from "../../platform/db.server.ts";
import { refuse, type OpeningResult } from "./access.server.ts";
import { readHeaderRecord } from "./bidder.server.ts";
import { bidsRoot } from "./open-bid.server.ts";
import path from "node:path";

/**
 * The decryption check before the deadline (issue 13 item 7): after submitting, the bidder's page
 * checks that the encryption .p12 it holds unwraps the content key of the envelope it submitted.
 * The header holds only wrapped keys, so it may be read any time by its bidder; only the yes/no
 * reaches the server, audited. Most opening failures are the wrong certificate or a lost password.
 */
async function latestVersion(user: SessionUser, tenderId: string) {
  if (user.role !== "BIDDER" || !user.organizationId || !z.string().uuid().safeParse(tenderId).success) return null;
  const bid = await db().bid.findUnique({
    where: { tenderId_organizationId: { tenderId, organizationId: user.organizationId } },
    select: { status: true, versions: { orderBy: { number: "desc" }, take: 1, select: { id: true, storageKey: true } } },
  });
  return bid?.status === "SUBMITTED" ? (bid.versions[0] ?? null) : null;
}

export async function checkHeader(
  user: SessionUser,
  tenderId: string,
): Promise<OpeningResult<{ versionId: string; header: string }>> {
  const version = await latestVersion(user, tenderId);
  if (!version) return refuse("opening.noBidToCheck", 404);
  return {
    ok: true,
    value: { versionId: version.id, header: toBase64(await readHeaderRecord(path.join(bidsRoot(), version.storageKey))) },
  };
}

export const CheckResultSchema = z.object({
  versionId: z.string().uuid(),
  result: z.enum(["ok", "wrongCert", "wrongPassword", "unreadable"]),
});

export async function recordDecryptionCheck(
  user: SessionUser,
  tenderId: string,
  input: z.infer<typeof CheckResultSchema>,
): Promise<OpeningResult<{ recorded: true }>> {
  const version = await latestVersion(user, tenderId);
  if (!version || version.id !== input.versionId) return refuse("opening.noBidToCheck", 404);
  await appendAudit({
    actorId: user.id,
    action: "bid.decryption_checked",
    subjectType: AUDIT_SUBJECT.BidVersion,
    subjectId: version.id,
    data: { tenderId, result: input.result, at: now().toISOString() },
  });
  return { ok: true, value: { recorded: true } };
}
