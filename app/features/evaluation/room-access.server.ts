// Who is who in the evaluation room, the one refusal path (audited), and the signature check
// every member's act goes through.
import { randomBytes } from "node:crypto";
import { fromBase64, verifyCms } from "../../../crypto/index.node.ts";
import { appendAudit } from "../../platform/audit/audit.server.ts";
import { AUDIT_SUBJECT } from "../../platform/audit/subjects.ts";
import type { SessionUser } from "../../platform/auth/auth.server.ts";
import { now } from "../../platform/clock.server.ts";
import { db } from "../../platform/db.server.ts";
import { refuse, type Refused } from "../../platform/refusal.ts";
import { loadCommittee, type CommitteeMemberForRoom } from "../experts/index.ts";
import { applyEvent } from "../tenders/index.ts";
import { openEvaluationWitness } from "../witness/index.ts";
import { platformCrls, trustStore } from "../pki/index.ts";
import { tenderRules } from "./rules.server.ts";
import { roomStatement, type RoomAct } from "./statement.ts";

export type RoomRole = "member" | "supervisor" | "agent";

export interface RoomAccess {
  role: RoomRole;
  tender: { id: string; code: string; title: string; status: string; createdById: string };
  committee: NonNullable<Awaited<ReturnType<typeof loadCommittee>>>;
  /** The member's own seat (role member). */
  member: CommitteeMemberForRoom | null;
}

/**
 * The room's people: the committee's active members, the tender's assigned supervisors and the
 * tender's agent (the signed report only). Anyone else (bidders, the public) gets null: the
 * routes answer 404, so nothing of the room exists for them (TBL Art 37, 44).
 */
export async function roomAccess(user: SessionUser | null, tenderId: string): Promise<RoomAccess | null> {
  if (!user || !/^[0-9a-f-]{36}$/i.test(tenderId)) return null;
  const tender = await db().tender.findUnique({
    where: { id: tenderId },
    select: { id: true, code: true, title: true, status: true, createdById: true, agentOrgId: true },
  });
  if (!tender) return null;
  const committee = await loadCommittee(tender.id);
  if (!committee) return null;
  const member = committee.members.find((m) => m.userId === user.id) ?? null;
  const base = {
    tender: { id: tender.id, code: tender.code, title: tender.title, status: tender.status, createdById: tender.createdById },
    committee,
  };
  if (member && user.role === "EXPERT") return { ...base, role: "member", member };
  if (member && committee.members.some((m) => m.role === "tenderer-representative" && m.userId === user.id))
    return { ...base, role: "member", member };
  // A member who recused is out of the committee but still sees that (and nothing else of the room).
  if (!member && user.role === "EXPERT") {
    const former = await db().evaluationMember.findFirst({
      where: { userId: user.id, endedAt: { not: null }, session: { tenderId: tender.id } },
      select: { id: true },
    });
    if (former) return { ...base, role: "member", member: null };
  }
  if (user.role === "SUPERVISOR") {
    const assigned = await db().tenderSupervisor.findUnique({
      where: { tenderId_userId: { tenderId: tender.id, userId: user.id } },
      select: { userId: true },
    });
    if (assigned) return { ...base, role: "supervisor", member: null };
  }
  if (
    user.role === "AGENT" &&
    (tender.createdById === user.id || (tender.agentOrgId !== null && tender.agentOrgId === user.organizationId))
  )
    return { ...base, role: "agent", member: null };
  return null;
}

/** Refused, with its audit entry (data.tenderId, so the evidence timeline and the feed show it). Nothing else is written. */
export async function refused(
  user: SessionUser | null,
  tenderId: string,
  what: string,
  code: string,
  status: number,
  article?: string,
): Promise<Refused> {
  await appendAudit({
    actorId: user?.id ?? null,
    action: "evaluation.refused",
    subjectType: AUDIT_SUBJECT.Tender,
    subjectId: tenderId,
    data: { tenderId, what, code, ...(article ? { article } : {}) },
  });
  return refuse(code, status, article ? { article } : {});
}

/**
 * Checks a member's detached CMS signature over the act's statement: valid under the platform's
 * CA at this moment, signing usage, and the certificate is the member's own (not revoked).
 * Returns the certificate's serial, or the refusal code.
 */
export async function verifyMemberSignature(
  userId: string,
  signature: string,
  act: RoomAct,
  tenderId: string,
  body: unknown,
): Promise<{ ok: true; serial: string } | { ok: false; code: string }> {
  let serial: string;
  try {
    const verified = verifyCms({
      der: fromBase64(signature),
      detachedContent: roomStatement(act, tenderId, userId, body),
      trust: await trustStore(await platformCrls()),
      at: now(),
      usage: "signing",
    });
    serial = verified.signer.serialNumber.toLowerCase();
  } catch {
    return { ok: false, code: "room.badSignature" };
  }
  const cert = await db().certificate.findFirst({
    where: { serialNumber: { equals: serial, mode: "insensitive" }, userId, usage: "SIGNING", revokedAt: null },
    select: { id: true },
  });
  if (!cert) return { ok: false, code: "room.notYourCertificate" };
  return { ok: true, serial };
}

/**
 * 评标开始: the session exists from the evaluation time on, once a member enters the room;
 * opening it starts the tender's witness room (decision 037 revised). Without the witness room
 * the session does not open. Members' rows follow the committee (a replacement joins).
 */
export async function ensureSession(access: RoomAccess, user: SessionUser) {
  const tenderId = access.tender.id;
  let session = await db().evaluationSession.findUnique({ where: { tenderId }, select: { id: true } });
  if (!session) {
    if (now() < access.committee.evaluationStartAt)
      return refused(user, tenderId, "open", "room.beforeEvaluationTime", 409, "Regs Art 48");
    const opening = await db().openingSession.findUnique({ where: { tenderId }, select: { step: true } });
    if (opening?.step !== "CLOSED") return refused(user, tenderId, "open", "room.notOpened", 409);
    const witness = await openEvaluationWitness(tenderId, user.id);
    if (!witness.ok) return refused(user, tenderId, "open", "room.witnessUnavailable", 503);
    // The planned length: the tender's, or bidding-core's default (decision 106).
    const { evaluationHours } = (await tenderRules(tenderId)).room;
    const at = now();
    session = await db().$transaction(async (tx) => {
      const existing = await tx.evaluationSession.findUnique({ where: { tenderId }, select: { id: true } });
      if (existing) return existing;
      const created = await tx.evaluationSession.create({
        data: { tenderId, openedAt: at, endsAt: new Date(at.getTime() + evaluationHours * 3_600_000) },
        select: { id: true },
      });
      // 评标中: from here bidders and the public see only this status (bidding-core's lifecycle).
      const row = await tx.tender.findUniqueOrThrow({
        where: { id: tenderId },
        select: {
          status: true,
          procedureType: true,
          mandatory: true,
          docsIssueAt: true,
          docsAvailableUntil: true,
          bidDeadline: true,
        },
      });
      const moved = applyEvent(row, { type: "start-evaluation", committeeValidated: true }, at);
      if (moved.ok && moved.status !== row.status) {
        await tx.tender.update({ where: { id: tenderId }, data: { status: moved.status } });
        await appendAudit(
          {
            actorId: user.id,
            action: "evaluation.started",
            subjectType: AUDIT_SUBJECT.Tender,
            subjectId: tenderId,
            data: { tenderId, from: row.status, to: moved.status },
          },
          tx,
        );
      }
      await appendAudit(
        {
          actorId: user.id,
          action: "evaluation.session_opened",
          subjectType: AUDIT_SUBJECT.Tender,
          subjectId: tenderId,
          data: { tenderId, sessionId: created.id },
        },
        tx,
      );
      return created;
    });
  }
  const rows = await db().evaluationMember.findMany({ where: { sessionId: session.id }, select: { userId: true } });
  const missing = access.committee.members.filter((m) => !rows.some((r) => r.userId === m.userId));
  if (missing.length > 0) {
    await db().evaluationMember.createMany({
      data: missing.map((m) => ({ sessionId: session.id, userId: m.userId, challenge: randomBytes(24).toString("base64url") })),
      skipDuplicates: true,
    });
  }
  return { ok: true as const, value: session };
}

/** Someone outside the room tried an act on it: audited (a member not on the committee is a refusal to record); the route answers 404. */
export async function outsiderRefused(user: SessionUser, tenderId: string, what: string): Promise<void> {
  if (!/^[0-9a-f-]{36}$/i.test(tenderId)) return;
  const tender = await db().tender.findUnique({ where: { id: tenderId }, select: { id: true } });
  if (tender) await refused(user, tender.id, what, "room.notMember", 404, "TBL Art 37");
}
