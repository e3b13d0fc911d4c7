import type { SessionUser } from "../../platform/auth/auth.server.ts";
import { nowMs } from "../../platform/clock.server.ts";
import { db } from "../../platform/db.server.ts";
import { hallAccess, type HallAccess, type HallRole } from "./access.server.ts";
import { endDecryptionWindow } from "./steps.server.ts";
import { remedyState, type RemedyState } from "./remedy.server.ts";
import { startOpening } from "./session.server.ts";

export interface HallView {
  role: HallRole;
  serverNowMs: number;
  tender: { id: string; code: string; title: string; bidDeadline: string | null; status: string };
  session: {
    step: string;
    windowEndsAt: string | null;
    listPublished: boolean;
    recordPublished: boolean;
    pdfUrl: string | null;
  } | null;
  readOutItems: { key: string; label: string }[];
  bids: {
    id: string;
    seq: number;
    bidderName: string;
    version: number;
    receivedAt: string;
    signedIn: boolean;
    status: string;
    readOut: Record<string, string> | null;
    confirmed: boolean;
    outcomeDetail: string | null;
    own: boolean;
  }[];
  objections: {
    id: string;
    raisedBy: string;
    raisedAt: string;
    content: string;
    answer: string | null;
    answeredAt: string | null;
  }[];
  own: { id: string; challenge: string; signedIn: boolean; status: string; attempts: number; lastFailure: string | null } | null;
  /** Only for the host after 流标: the re-tender form is prefilled from this tender. */
  retender: boolean;
  /** For custodians (host, supervisors) when the escrow remedy step is open. */
  remedy: RemedyState | null;
}

/**
 * The hall as this person may see it, read afresh from the database on every load (a reload or
 * a dropped socket rejoins here). Also the lazy guard of the two clock-driven moves: a closed
 * tender without a session gets one, and a window whose countdown ended is ended.
 */
export async function hallView(user: SessionUser | null, tenderId: string): Promise<HallView | null> {
  let access = await hallAccess(user, tenderId);
  if (!access) return null;
  if (access.tender.status === "BIDDING_CLOSED") {
    await startOpening(tenderId);
    access = (await hallAccess(user, tenderId)) as HallAccess;
  }
  let session = await loadSession(tenderId);
  if (session?.step === "DECRYPTING" && session.windowEndsAt && nowMs() >= session.windowEndsAt.getTime()) {
    await endDecryptionWindow(access, null);
    session = await loadSession(tenderId);
  }
  const published = session?.step === "CLOSED" || session?.step === "FAILED";
  // The public, other bidders and experts see nothing before the record is published.
  if (access.role === "public" && !published) return null;
  const listVisible = access.role === "host" || (session !== null && session.step !== "STARTED");
  const orgs = session
    ? await db().organization.findMany({
        where: { id: { in: session.bids.map((b) => b.organizationId) } },
        select: { id: true, name: true },
      })
    : [];
  const versions = session
    ? await db().bidVersion.findMany({
        where: { id: { in: session.bids.map((b) => b.bidVersionId) } },
        select: { id: true, number: true, receivedAt: true },
      })
    : [];
  const tender = await db().tender.findUniqueOrThrow({ where: { id: tenderId }, select: { readOutItems: true, status: true } });
  const ownBid = session?.bids.find((b) => b.id === access.openingBidId) ?? null;
  return {
    role: access.role,
    serverNowMs: nowMs(),
    tender: {
      id: access.tender.id,
      code: access.tender.code,
      title: access.tender.title,
      bidDeadline: access.tender.bidDeadline?.toISOString() ?? null,
      status: tender.status,
    },
    session: session
      ? {
          step: session.step,
          windowEndsAt: session.windowEndsAt?.toISOString() ?? null,
          listPublished: session.step !== "STARTED",
          recordPublished: session.pdfSha256 !== null,
          pdfUrl: session.pdfSha256 ? `/opening/${tenderId}/record.pdf` : null,
        }
      : null,
    readOutItems: Array.isArray(tender.readOutItems)
      ? (tender.readOutItems as { key: string; label: string }[]).map((i) => ({ key: String(i.key), label: String(i.label) }))
      : [],
    bids:
      listVisible && session
        ? session.bids.map((b) => {
            const v = versions.find((x) => x.id === b.bidVersionId);
            return {
              id: b.id,
              seq: b.seq,
              bidderName: orgs.find((o) => o.id === b.organizationId)?.name ?? "",
              version: v?.number ?? 0,
              receivedAt: v?.receivedAt.toISOString() ?? "",
              signedIn: b.signedInAt !== null,
              status: b.status,
              // 唱标 is public in the hall once a bid is opened; the documents never are.
              readOut: b.status === "OPENED" ? ((b.readOut ?? {}) as Record<string, string>) : null,
              confirmed: b.confirmedAt !== null,
              outcomeDetail: b.outcomeDetail,
              own: b.id === access.openingBidId,
            };
          })
        : [],
    objections:
      session && access.role !== "public"
        ? session.objections.map((o) => ({
            id: o.id,
            raisedBy: o.raisedByName,
            raisedAt: o.raisedAt.toISOString(),
            content: o.content,
            answer: o.answer,
            answeredAt: o.answeredAt?.toISOString() ?? null,
          }))
        : (session?.objections ?? []).map((o) => ({
            id: o.id,
            raisedBy: o.raisedByName,
            raisedAt: o.raisedAt.toISOString(),
            content: o.content,
            answer: o.answer,
            answeredAt: o.answeredAt?.toISOString() ?? null,
          })),
    own: ownBid
      ? {
          id: ownBid.id,
          challenge: ownBid.challenge,
          signedIn: ownBid.signedInAt !== null,
          status: ownBid.status,
          attempts: ownBid.attempts,
          lastFailure: ownBid.lastFailure,
        }
      : null,
    retender: access.role === "host" && session?.step === "FAILED",
    remedy:
      (access.role === "host" || access.role === "supervisor") && session?.step === "READ_OUT"
        ? await remedyOrNull(access)
        : null,
  };
}

async function remedyOrNull(access: HallAccess): Promise<RemedyState | null> {
  const state = await remedyState(access);
  return state.available ? state : null;
}

function loadSession(tenderId: string) {
  return db().openingSession.findUnique({
    where: { tenderId },
    select: {
      id: true,
      step: true,
      windowEndsAt: true,
      pdfSha256: true,
      bids: {
        orderBy: { seq: "asc" },
        select: {
          id: true,
          seq: true,
          organizationId: true,
          bidVersionId: true,
          challenge: true,
          signedInAt: true,
          status: true,
          attempts: true,
          lastFailure: true,
          readOut: true,
          confirmedAt: true,
          outcomeDetail: true,
        },
      },
      objections: {
        orderBy: { raisedAt: "asc" },
        select: { id: true, raisedByName: true, raisedAt: true, content: true, answer: true, answeredAt: true },
      },
    },
  });
}

/** The published record PDF's storage hash, or null when there is none (yet). */
export async function recordPdf(tenderId: string): Promise<string | null> {
  const s = await db().openingSession.findUnique({ where: { tenderId }, select: { pdfSha256: true } });
  return s?.pdfSha256 ?? null;
}

/** The published record, its signature and timestamp (base64), or null before publication. */
export async function signedRecord(
  tenderId: string,
): Promise<{ record: unknown; signature: string; timestampToken: string } | null> {
  const s = await db().openingSession.findUnique({
    where: { tenderId },
    select: { record: true, recordSignature: true, recordTimestamp: true },
  });
  if (!s?.record || !s.recordSignature || !s.recordTimestamp) return null;
  return { record: s.record, signature: s.recordSignature, timestampToken: Buffer.from(s.recordTimestamp).toString("base64") };
}
