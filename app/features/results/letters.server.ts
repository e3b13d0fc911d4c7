// The letters of the award (TBL Art 45): a 中标通知书 to the winner and a 中标结果通知书 to every
// other bidder that submitted, signed PDFs stored by content hash with an RFC 3161 token over
// each. Each bidder downloads only its own; the tender's agent downloads any; anyone else is
// refused, and every download and refusal is audited. The bidder's first download is recorded.
import fs from "node:fs/promises";
import { z } from "zod";
import { issueTimestamp, sha256, timestampRequestFor } from "../../../crypto/index.node.ts";
import { appendAudit } from "../../platform/audit/audit.server.ts";
import { AUDIT_SUBJECT } from "../../platform/audit/subjects.ts";
import type { SessionUser } from "../../platform/auth/auth.server.ts";
import { now } from "../../platform/clock.server.ts";
import { db, type Tx } from "../../platform/db.server.ts";
import { refuse, type Outcome } from "../../platform/refusal.ts";
import { putBuffer, storagePath } from "../../platform/storage.server.ts";
import { agentUserIds } from "../clocks/index.ts";
import { platformPki } from "../pki/index.ts";
import { signedLetterPdf, type LetterKind } from "./letter-pdf.server.ts";

export const PLATFORM_NAME = "明标电子招标投标交易平台";

/** Every organisation that submitted a bid: the opening's bidders and any bid still standing (not withdrawn). */
export async function submittedBidders(tenderId: string): Promise<{ id: string; name: string }[]> {
  const [opened, bids] = await Promise.all([
    db().openingBid.findMany({
      where: { session: { tenderId } },
      select: { organizationId: true, seq: true },
      orderBy: { seq: "asc" },
    }),
    db().bid.findMany({
      where: { tenderId, status: "SUBMITTED" },
      select: { organizationId: true },
      orderBy: { createdAt: "asc" },
    }),
  ]);
  const ids = [...new Set([...opened.map((o) => o.organizationId), ...bids.map((b) => b.organizationId)])];
  const orgs = await db().organization.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } });
  return ids.flatMap((id) => orgs.filter((o) => o.id === id));
}

export interface PreparedLetter {
  bidderOrgId: string;
  kind: LetterKind;
  pdfSha256: string;
  timestamp: Uint8Array;
}

/**
 * Renders, signs and stores one letter per bidder (the winner's first). Done before the award's
 * transaction: a stored file no row points to is harmless (storage is by content hash).
 */
export async function prepareLetters(
  tender: { id: string; code: string; title: string; tendererOrg: { name: string }; agentOrg: { name: string } | null },
  winner: { bidderOrgId: string; name: string; rank: number; priceCents: string | null },
  at: Date,
): Promise<PreparedLetter[]> {
  const bidders = await submittedBidders(tender.id);
  if (!bidders.some((b) => b.id === winner.bidderOrgId)) bidders.unshift({ id: winner.bidderOrgId, name: winner.name });
  const ordered = [...bidders.filter((b) => b.id === winner.bidderOrgId), ...bidders.filter((b) => b.id !== winner.bidderOrgId)];
  const pki = await platformPki();
  const letters: PreparedLetter[] = [];
  for (const [i, bidder] of ordered.entries()) {
    const kind: LetterKind = bidder.id === winner.bidderOrgId ? "notice-of-award" : "result-letter";
    const pdf = await signedLetterPdf(
      {
        kind,
        number: `${tender.code}-${kind === "notice-of-award" ? "ZB" : "JG"}-${String(i + 1).padStart(2, "0")}`,
        tender: {
          code: tender.code,
          title: tender.title,
          tenderer: tender.tendererOrg.name,
          agent: tender.agentOrg?.name ?? null,
        },
        recipient: bidder.name,
        winner: {
          name: winner.name,
          rank: winner.rank,
          priceCents: winner.priceCents === null ? null : BigInt(winner.priceCents),
        },
        awardedAt: at,
        platform: PLATFORM_NAME,
      },
      pki.signer,
      pki.tsa,
      at,
    );
    const pdfSha256 = await putBuffer(pdf);
    const stamp = issueTimestamp({ signer: pki.tsa }, timestampRequestFor(sha256(pdf)), at);
    letters.push({ bidderOrgId: bidder.id, kind, pdfSha256, timestamp: stamp.token });
  }
  return letters;
}

export async function writeLetters(tx: Tx, awardId: string, tenderId: string, letters: readonly PreparedLetter[], at: Date) {
  await tx.awardLetter.createMany({
    data: letters.map((l) => ({
      awardId,
      tenderId,
      bidderOrgId: l.bidderOrgId,
      kind: l.kind,
      pdfSha256: l.pdfSha256,
      timestamp: Buffer.from(l.timestamp),
      issuedAt: at,
    })),
  });
  return letters;
}

/** A bidder's own letters on a tender (its bid page). */
export async function lettersOfBidder(user: SessionUser, tenderId: string) {
  if (user.role !== "BIDDER" || !user.organizationId || !z.string().uuid().safeParse(tenderId).success) return [];
  const rows = await db().awardLetter.findMany({
    where: { tenderId, bidderOrgId: user.organizationId },
    select: { kind: true, issuedAt: true, firstDownloadedAt: true, pdfSha256: true },
  });
  return rows.map((r) => ({
    kind: r.kind,
    issuedAt: r.issuedAt.toISOString(),
    firstDownloadedAt: r.firstDownloadedAt?.toISOString() ?? null,
    pdfSha256: r.pdfSha256,
  }));
}

export interface LetterFile {
  pdf: Buffer;
  fileName: string;
}

async function audited(
  user: SessionUser | null,
  tenderId: string,
  action: "results.letter_downloaded" | "results.letter_refused",
  data: Record<string, string | number | boolean | null>,
): Promise<void> {
  await appendAudit({
    actorId: user?.id ?? null,
    action,
    subjectType: AUDIT_SUBJECT.Tender,
    subjectId: tenderId,
    data: { tenderId, ...data },
  });
}

/**
 * A letter's PDF. A bidder gets its own (`bidderOrgId` absent or its own); the tender's agent
 * names the bidder; anyone else, or a bidder with no letter, is refused and audited.
 */
export async function letterDownload(
  user: SessionUser | null,
  tenderId: string,
  bidderOrgId: string | null,
): Promise<Outcome<LetterFile>> {
  if (!z.string().uuid().safeParse(tenderId).success) return refuse("award.refusal.notFound", 404);
  const tender = await db().tender.findUnique({ where: { id: tenderId }, select: { code: true } });
  if (!tender) return refuse("award.refusal.notFound", 404);
  const deny = async (status: 403 | 404, reason: string) => {
    await audited(user, tenderId, "results.letter_refused", { reason, bidderOrgId, role: user?.role ?? null });
    return refuse(status === 404 ? "award.refusal.notFound" : "award.refusal.letterForbidden", status);
  };
  if (!user) return deny(404, "anonymous");
  let target: string;
  let own = false;
  if (user.role === "BIDDER") {
    if (!user.organizationId) return deny(404, "noOrganisation");
    if (bidderOrgId && bidderOrgId !== user.organizationId) return deny(404, "otherBidder");
    target = user.organizationId;
    own = true;
  } else if (user.role === "AGENT" && (await db().$transaction((tx) => agentUserIds(tx, tenderId))).includes(user.id)) {
    if (!bidderOrgId || !z.string().uuid().safeParse(bidderOrgId).success) return deny(404, "noBidder");
    target = bidderOrgId;
  } else return deny(403, "notAllowed");
  const letter = await db().awardLetter.findFirst({
    where: { tenderId, bidderOrgId: target },
    select: { id: true, kind: true, pdfSha256: true, firstDownloadedAt: true },
  });
  if (!letter) return deny(404, "noLetter");
  const pdf = await fs.readFile(storagePath(letter.pdfSha256));
  if (own && !letter.firstDownloadedAt)
    await db().awardLetter.updateMany({ where: { id: letter.id, firstDownloadedAt: null }, data: { firstDownloadedAt: now() } });
  await audited(user, tenderId, "results.letter_downloaded", {
    letterId: letter.id,
    bidderOrgId: target,
    kind: letter.kind,
    pdfSha256: letter.pdfSha256,
    byBidder: own,
  });
  const title = letter.kind === "notice-of-award" ? "中标通知书" : "中标结果通知书";
  return { ok: true, value: { pdf, fileName: `${title}-${tender.code}.pdf` } };
}
