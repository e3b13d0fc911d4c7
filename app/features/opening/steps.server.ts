import { z } from "zod";
import { decryptionOutcome, sealedBidCause } from "../../../bidding-core/index.ts";
import type { OpeningStep } from "../../generated/prisma/enums.ts";
import { appendAudit } from "../../platform/audit/audit.server.ts";
import { AUDIT_SUBJECT } from "../../platform/audit/subjects.ts";
import type { SessionUser } from "../../platform/auth/auth.server.ts";
import { now } from "../../platform/clock.server.ts";
import { db, type Tx } from "../../platform/db.server.ts";
import { invalidatePublicTender } from "../../platform/public-cache.server.ts";
import { refuse, type HallAccess, type OpeningResult } from "./access.server.ts";
import { outagesOverlapping, type OutageView } from "../outages/index.ts";
import { applyEvent } from "../tenders/index.ts";
import { announce, participantUserIds } from "./live.server.ts";
import { publishRecord } from "./record.server.ts";

/**
 * The host's steps, in the one order the hall allows: publish the bidder list → open the
 * decryption window → (window ends) 唱标 confirmed or objected → answer objections → close.
 * Each is one transaction with its audit entry; a step out of order is refused.
 */

type SessionRow = { id: string; step: OpeningStep; windowOpenedAt: Date | null; windowEndsAt: Date | null };

async function lockSession(tx: Tx, tenderId: string): Promise<SessionRow | null> {
  const rows = await tx.$queryRaw<
    { id: string }[]
  >`SELECT id FROM opening_session WHERE tender_id = ${tenderId}::uuid FOR UPDATE`;
  if (rows.length === 0) return null;
  return tx.openingSession.findUnique({
    where: { tenderId },
    select: { id: true, step: true, windowOpenedAt: true, windowEndsAt: true },
  });
}

/** The decryption window as it ran: from its opening to its end (or `at`, if the host ended it early). */
function windowSpan(session: SessionRow, at: Date): { from: Date; to: Date } | null {
  if (!session.windowOpenedAt) return null;
  const end = session.windowEndsAt && session.windowEndsAt.getTime() < at.getTime() ? session.windowEndsAt : at;
  return { from: session.windowOpenedAt, to: end };
}

/** The platform's outages during the window (features/outages: heartbeat gaps and incidents). */
async function outagesDuring(tx: Tx, session: SessionRow, at: Date): Promise<OutageView[]> {
  const span = windowSpan(session, at);
  return span ? outagesOverlapping(span, tx) : [];
}

/**
 * E-Measures Art 31: the bidder of a bid withdrawn by the platform's cause is told, in its
 * notifications, that the bid is treated as withdrawn and that it may claim its direct losses.
 */
async function notifyWithdrawn(
  tx: Tx,
  tenderId: string,
  bids: { organizationId: string; detail: string; outages: OutageView[] }[],
): Promise<void> {
  if (bids.length === 0) return;
  const tender = await tx.tender.findUniqueOrThrow({ where: { id: tenderId }, select: { code: true, title: true } });
  for (const bid of bids) {
    const users = await tx.user.findMany({ where: { organizationId: bid.organizationId }, select: { id: true } });
    const body = JSON.stringify({
      code: tender.code,
      tenderTitle: tender.title,
      detail: bid.detail,
      outages: bid.outages.map((o) => ({ from: o.from, to: o.to })),
    });
    await tx.notification.createMany({
      data: users.map((u) => ({
        userId: u.id,
        kind: "opening.withdrawn",
        title: `${tender.code} 投标文件因非投标人原因未能解密，视为撤回`,
        body,
        link: `/opening/${tenderId}`,
      })),
    });
  }
}

async function hostStep(
  access: HallAccess,
  user: SessionUser,
  from: readonly OpeningStep[],
  work: (tx: Tx, session: SessionRow, at: Date) => Promise<OpeningResult<Record<string, unknown>>>,
  action: string,
): Promise<OpeningResult<{ sessionId: string }>> {
  if (access.role !== "host") return refuse("opening.notHost", 403);
  const at = now();
  const result = await db().$transaction(async (tx) => {
    const session = await lockSession(tx, access.tender.id);
    if (!session) return refuse("opening.noSession", 409);
    if (!from.includes(session.step)) return refuse("opening.stepOutOfOrder", 409);
    const done = await work(tx, session, at);
    if (!done.ok) return done;
    await appendAudit(
      {
        actorId: user.id,
        action,
        subjectType: AUDIT_SUBJECT.OpeningSession,
        subjectId: session.id,
        data: { tenderId: access.tender.id, at: at.toISOString(), ...done.value },
      },
      tx,
    );
    return { ok: true as const, value: { sessionId: session.id } };
  });
  if (result.ok) announce(await participantUserIds(access.tender.id), access.tender.id);
  return result;
}

/** Step 1: the list of bidders that submitted (name, version, received time) is published; 签到 opens. */
export function publishBidderList(access: HallAccess, user: SessionUser) {
  return hostStep(
    access,
    user,
    ["STARTED"],
    async (tx, session, at) => {
      await tx.openingSession.update({
        where: { id: session.id },
        data: { step: "LIST_PUBLISHED", listPublishedAt: at, hostId: user.id },
      });
      return { ok: true, value: { bids: await tx.openingBid.count({ where: { sessionId: session.id } }) } };
    },
    "opening.list_published",
  );
}

/** Step 2: the decryption window opens for the tender's set length (countdown by the server clock). */
export function openDecryptionWindow(access: HallAccess, user: SessionUser) {
  return hostStep(
    access,
    user,
    ["LIST_PUBLISHED"],
    async (tx, session, at) => {
      if (access.tender.bidDeadline && at < access.tender.bidDeadline)
        return refuse("opening.beforeOpeningTime", 409, "TBL Art 34");
      const tender = await tx.tender.findUniqueOrThrow({
        where: { id: access.tender.id },
        select: { decryptionWindowMinutes: true },
      });
      const windowEndsAt = new Date(at.getTime() + tender.decryptionWindowMinutes * 60_000);
      await tx.openingSession.update({
        where: { id: session.id },
        data: { step: "DECRYPTING", windowOpenedAt: at, windowEndsAt },
      });
      return { ok: true, value: { windowEndsAt: windowEndsAt.toISOString(), minutes: tender.decryptionWindowMinutes } };
    },
    "opening.window_opened",
  );
}

/**
 * Ends the window: by the host once every bid is decided, or by anyone's page / the sweep once
 * the countdown is over. Every bid still sealed is classified (E-Measures Art 31): the bidder's
 * cause (absent, wrong key, did not decrypt) → 撤销; the platform's (a correct key the server
 * failed to use) → 撤回, and the bidder may claim its losses. The opening goes on for the others.
 */
export async function endDecryptionWindow(
  access: HallAccess,
  user: SessionUser | null,
): Promise<OpeningResult<{ sessionId: string }>> {
  const at = now();
  const result = await db().$transaction(async (tx) => {
    const session = await lockSession(tx, access.tender.id);
    if (!session) return refuse("opening.noSession", 409);
    if (session.step !== "DECRYPTING") return refuse("opening.stepOutOfOrder", 409);
    const sealed = await tx.openingBid.findMany({
      where: { sessionId: session.id, status: "SEALED" },
      select: { id: true, signedInAt: true, attempts: true, lastFailure: true, organizationId: true },
    });
    const over = session.windowEndsAt !== null && at >= session.windowEndsAt;
    if (!over && (user === null || access.role !== "host" || sealed.length > 0)) return refuse("opening.windowStillOpen", 409);
    const outages = sealed.length > 0 ? await outagesDuring(tx, session, at) : [];
    const classified = [];
    const withdrawn = [];
    for (const bid of sealed) {
      const cause = sealedBidCause({
        signedIn: bid.signedInAt !== null,
        attempts: bid.attempts,
        lastFailure: bid.lastFailure,
        outageDuringWindow: outages.length > 0,
      });
      const outcome = decryptionOutcome({ kind: "failed", causedBy: cause.by, detail: cause.detail });
      await tx.openingBid.update({
        where: { id: bid.id },
        data: { status: outcome.status === "revoked" ? "REVOKED" : "WITHDRAWN", outcomeDetail: cause.detail },
      });
      classified.push({ openingBidId: bid.id, status: outcome.status, detail: cause.detail });
      if (outcome.status === "withdrawn")
        withdrawn.push({ organizationId: bid.organizationId, detail: cause.detail, outages: outages });
    }
    await notifyWithdrawn(tx, access.tender.id, withdrawn);
    await tx.openingSession.update({ where: { id: session.id }, data: { step: "READ_OUT", readOutAt: at } });
    await appendAudit(
      {
        actorId: user?.id ?? null,
        action: "opening.window_ended",
        subjectType: AUDIT_SUBJECT.OpeningSession,
        subjectId: session.id,
        data: {
          tenderId: access.tender.id,
          at: at.toISOString(),
          byCountdown: over,
          classified,
          outages: outages.map((o) => ({ id: o.id, source: o.source, from: o.from, to: o.to })),
        },
      },
      tx,
    );
    return { ok: true as const, value: { sessionId: session.id } };
  });
  if (result.ok) announce(await participantUserIds(access.tender.id), access.tender.id);
  return result;
}

/**
 * An outage put on record after the window ended (an incident the administrator records later,
 * during 唱标) still counts (E-Measures Art 31): before the record is made, a bid left 撤销 for
 * the bidder's cause after a window that overlapped an outage becomes 撤回, and its bidder is told.
 */
async function withdrawForLateOutages(tx: Tx, tenderId: string, session: SessionRow, at: Date) {
  const revoked = await tx.openingBid.findMany({
    where: { sessionId: session.id, status: "REVOKED" },
    select: { id: true, organizationId: true, outcomeDetail: true },
  });
  if (revoked.length === 0) return [];
  const end = session.windowEndsAt ?? at;
  const outages = await outagesDuring(tx, session, end);
  if (outages.length === 0) return [];
  const changed = [];
  for (const bid of revoked) {
    await tx.openingBid.update({ where: { id: bid.id }, data: { status: "WITHDRAWN", outcomeDetail: "platform-outage" } });
    changed.push({ openingBidId: bid.id, was: bid.outcomeDetail, status: "withdrawn", detail: "platform-outage" });
  }
  await notifyWithdrawn(
    tx,
    tenderId,
    revoked.map((b) => ({ organizationId: b.organizationId, detail: "platform-outage", outages })),
  );
  return changed;
}

export const AnswerSchema = z.object({ objectionId: z.string().uuid(), answer: z.string().trim().min(1).max(2000) });

/** Regs Art 44: the host answers an objection on the spot; the answer is recorded. */
export function answerObjection(access: HallAccess, user: SessionUser, input: z.infer<typeof AnswerSchema>) {
  return hostStep(
    access,
    user,
    ["DECRYPTING", "READ_OUT"],
    async (tx, session, at) => {
      const updated = await tx.openingObjection.updateMany({
        where: { id: input.objectionId, sessionId: session.id, answeredAt: null },
        data: { answer: input.answer, answeredById: user.id, answeredAt: at },
      });
      if (updated.count !== 1) return refuse("opening.noSuchObjection", 404);
      return { ok: true, value: { objectionId: input.objectionId, answer: input.answer } };
    },
    "opening.objection_answered",
  );
}

/** Closes the hall: every objection answered; the record is generated, signed and published. */
export async function closeOpening(access: HallAccess, user: SessionUser): Promise<OpeningResult<{ sessionId: string }>> {
  const closed = await hostStep(
    access,
    user,
    ["READ_OUT"],
    async (tx, session, at) => {
      const open = await tx.openingObjection.count({ where: { sessionId: session.id, answeredAt: null } });
      if (open > 0) return refuse("opening.objectionsOpen", 409, "Regs Art 44");
      const reclassified = await withdrawForLateOutages(tx, access.tender.id, session, at);
      await tx.openingSession.update({ where: { id: session.id }, data: { step: "CLOSED", closedAt: at } });
      const tender = await tx.tender.findUniqueOrThrow({
        where: { id: access.tender.id },
        select: {
          status: true,
          procedureType: true,
          mandatory: true,
          docsIssueAt: true,
          docsAvailableUntil: true,
          bidDeadline: true,
        },
      });
      const moved = applyEvent(
        {
          ...tender,
          docsIssueAt: tender.docsIssueAt ?? tender.bidDeadline,
          docsAvailableUntil: tender.docsAvailableUntil ?? tender.bidDeadline,
        },
        { type: "complete-opening" },
        at,
      );
      if (!moved.ok) return refuse(`opening.${moved.error.code}`, 409);
      await tx.tender.update({ where: { id: access.tender.id }, data: { status: moved.status } });
      return { ok: true, value: reclassified.length > 0 ? { reclassified } : {} };
    },
    "opening.closed",
  );
  if (!closed.ok) return closed;
  await publishRecord(closed.value.sessionId);
  await invalidatePublicTender(access.tender.id);
  announce(await participantUserIds(access.tender.id), access.tender.id);
  return closed;
}
