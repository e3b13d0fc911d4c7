// 澄清 (Regs Art 52; issue 15 item 6): the committee asks one bidder a question; an assigned
// supervisor approves it before the bidder sees it; the bidder answers in its own page before the
// deadline; the answer reaches the committee. Nothing else passes between the room and bidders.
import { z } from "zod";
import { appendAudit } from "../../platform/audit/audit.server.ts";
import { AUDIT_SUBJECT } from "../../platform/audit/subjects.ts";
import type { SessionUser } from "../../platform/auth/auth.server.ts";
import { now } from "../../platform/clock.server.ts";
import { db } from "../../platform/db.server.ts";
import type { Outcome } from "../../platform/refusal.ts";
import { refused, type RoomAccess } from "./room-access.server.ts";
import { roomBids } from "./room.server.ts";

export const AskSchema = z.object({
  bidderId: z.string().uuid(),
  question: z.string().trim().min(1).max(2000),
  hours: z.number().int().min(1).max(72),
});
export const DecideSchema = z.object({ clarificationId: z.string().uuid(), approve: z.boolean() });
export const AnswerClarificationSchema = z.object({
  clarificationId: z.string().uuid(),
  answer: z.string().trim().min(1).max(4000),
});

const audit = (
  actorId: string,
  tenderId: string,
  action: string,
  data: Record<string, unknown>,
  tx?: Parameters<typeof appendAudit>[1],
) => appendAudit({ actorId, action, subjectType: AUDIT_SUBJECT.Tender, subjectId: tenderId, data: { tenderId, ...data } }, tx);

/** The chair puts the committee's question (the bidder does not see it until a supervisor approves). */
export async function askClarification(
  access: RoomAccess,
  user: SessionUser,
  input: unknown,
): Promise<Outcome<{ clarificationId: string }>> {
  const tenderId = access.tender.id;
  if (access.role !== "member" || !access.member)
    return refused(user, tenderId, "clarification.ask", "room.notMember", 403, "TBL Art 37");
  const parsed = AskSchema.safeParse(input);
  if (!parsed.success) return refused(user, tenderId, "clarification.ask", "room.badInput", 422);
  const session = await db().evaluationSession.findUnique({
    where: { tenderId },
    select: { id: true, chairUserId: true, summaryClosedAt: true },
  });
  if (!session) return refused(user, tenderId, "clarification.ask", "room.notOpened", 409);
  if (session.chairUserId !== user.id) return refused(user, tenderId, "clarification.ask", "room.chairOnly", 403);
  if (session.summaryClosedAt) return refused(user, tenderId, "clarification.ask", "room.summaryClosed", 409);
  const { bids } = await roomBids(tenderId);
  if (!bids.some((b) => b.bidderId === parsed.data.bidderId))
    return refused(user, tenderId, "clarification.ask", "room.noSuchBid", 404);
  const row = await db().$transaction(async (tx) => {
    const c = await tx.evaluationClarification.create({
      data: {
        sessionId: session.id,
        bidderId: parsed.data.bidderId,
        question: parsed.data.question,
        hours: parsed.data.hours,
        askedById: user.id,
        askedAt: now(),
      },
      select: { id: true },
    });
    await audit(
      user.id,
      tenderId,
      "evaluation.clarification_asked",
      { clarificationId: c.id, bidderId: parsed.data.bidderId },
      tx,
    );
    return c;
  });
  return { ok: true, value: { clarificationId: row.id } };
}

/** An assigned supervisor approves (the bidder is told, the deadline runs from now) or rejects the question. */
export async function decideClarification(access: RoomAccess, user: SessionUser, input: unknown): Promise<Outcome<null>> {
  const tenderId = access.tender.id;
  if (access.role !== "supervisor")
    return refused(user, tenderId, "clarification.decide", "room.supervisorOnly", 403, "Regs Art 52");
  const parsed = DecideSchema.safeParse(input);
  if (!parsed.success) return refused(user, tenderId, "clarification.decide", "room.badInput", 422);
  const c = await db().evaluationClarification.findFirst({
    where: { id: parsed.data.clarificationId, session: { tenderId } },
    select: { id: true, bidderId: true, hours: true, approvedAt: true, rejectedAt: true },
  });
  if (!c) return refused(user, tenderId, "clarification.decide", "room.noSuchClarification", 404);
  if (c.approvedAt || c.rejectedAt) return refused(user, tenderId, "clarification.decide", "room.clarificationDecided", 409);
  const at = now();
  const bidderUsers = await db().user.findMany({
    where: { organizationId: c.bidderId, role: "BIDDER", disabledAt: null },
    select: { id: true },
  });
  await db().$transaction(async (tx) => {
    await tx.evaluationClarification.update({
      where: { id: c.id },
      data: parsed.data.approve
        ? { approvedAt: at, decidedById: user.id, answerBy: new Date(at.getTime() + c.hours * 3_600_000) }
        : { rejectedAt: at, decidedById: user.id },
    });
    await audit(
      user.id,
      tenderId,
      parsed.data.approve ? "evaluation.clarification_approved" : "evaluation.clarification_rejected",
      { clarificationId: c.id, bidderId: c.bidderId },
      tx,
    );
    if (parsed.data.approve && bidderUsers.length > 0) {
      await tx.notification.createMany({
        data: bidderUsers.map((u) => ({
          userId: u.id,
          kind: "evaluation.clarification",
          title: `评标委员会澄清要求 ${access.tender.code}`,
          body: "{}",
          link: `/clarifications/${tenderId}`,
        })),
      });
    }
  });
  return { ok: true, value: null };
}

/** The bidder's own page: only approved questions addressed to its organisation, nothing else of the room. */
export async function bidderClarifications(user: SessionUser | null, tenderId: string) {
  if (!user || user.role !== "BIDDER" || !user.organizationId || !/^[0-9a-f-]{36}$/i.test(tenderId)) return null;
  const rows = await db().evaluationClarification.findMany({
    where: { bidderId: user.organizationId, approvedAt: { not: null }, session: { tenderId } },
    orderBy: { approvedAt: "asc" },
    select: { id: true, question: true, answerBy: true, answer: true, answeredAt: true },
  });
  if (rows.length === 0) return null;
  const tender = await db().tender.findUniqueOrThrow({ where: { id: tenderId }, select: { code: true, title: true } });
  return {
    tender: { id: tenderId, ...tender },
    serverNow: now().toISOString(),
    items: rows.map((r) => ({
      id: r.id,
      question: r.question,
      answerBy: r.answerBy?.toISOString() ?? null,
      answer: r.answer,
      answeredAt: r.answeredAt?.toISOString() ?? null,
    })),
  };
}

/** The bidder answers before the deadline; once. */
export async function answerClarification(user: SessionUser, tenderId: string, input: unknown): Promise<Outcome<null>> {
  const parsed = AnswerClarificationSchema.safeParse(input);
  const fail = (code: string, status: number, article?: string) =>
    refused(user, tenderId, "clarification.answer", code, status, article);
  if (!parsed.success) return fail("room.badInput", 422);
  const c = await db().evaluationClarification.findFirst({
    where: { id: parsed.data.clarificationId, session: { tenderId } },
    select: { id: true, bidderId: true, approvedAt: true, answerBy: true, answeredAt: true },
  });
  if (!c || !c.approvedAt || user.role !== "BIDDER" || c.bidderId !== user.organizationId)
    return fail("room.noSuchClarification", 404);
  if (c.answeredAt) return fail("room.clarificationAnswered", 409);
  if (!c.answerBy || now() > c.answerBy) return fail("room.clarificationLate", 409, "Regs Art 52");
  await db().$transaction(async (tx) => {
    await tx.evaluationClarification.update({
      where: { id: c.id },
      data: { answer: parsed.data.answer, answeredById: user.id, answeredAt: now() },
    });
    await audit(user.id, tenderId, "evaluation.clarification_answered", { clarificationId: c.id, bidderId: c.bidderId }, tx);
  });
  return { ok: true, value: null };
}

/** What the committee and the supervisors see of the clarifications. */
export async function roomClarifications(tenderId: string) {
  const rows = await db().evaluationClarification.findMany({ where: { session: { tenderId } }, orderBy: { askedAt: "asc" } });
  return rows.map((r) => ({
    id: r.id,
    bidderId: r.bidderId,
    question: r.question,
    askedAt: r.askedAt.toISOString(),
    status: r.rejectedAt ? "rejected" : r.answeredAt ? "answered" : r.approvedAt ? "approved" : "pending",
    answerBy: r.answerBy?.toISOString() ?? null,
    answer: r.answer,
    answeredAt: r.answeredAt?.toISOString() ?? null,
  }));
}
