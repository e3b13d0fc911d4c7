// The evaluation room's acts (issue 15 items 1-5, 7): sign-in, pledge, recusal, chair, file
// openings, qualification sheets and their consolidation, score sheets, withdrawal, outlier
// reasons, more time, collusion findings, the summary. Each act: checked, then written with its
// audit entry in one transaction, or refused and audited with nothing written.
import { z } from "zod";
import {
  checkAdjustment,
  checkCriterionPoints,
  evaluationTimeMustBeExtended,
  parseSignedYuan,
  parseYuan,
} from "../../../bidding-core/index";
import { appendAudit } from "../../platform/audit/audit.server.ts";
import { AUDIT_SUBJECT } from "../../platform/audit/subjects.ts";
import type { SessionUser } from "../../platform/auth/auth.server.ts";
import { now } from "../../platform/clock.server.ts";
import { db, type Tx } from "../../platform/db.server.ts";
import type { Outcome } from "../../platform/refusal.ts";
import { replaceMember } from "../experts/index.ts";
import { openedBidsForCommittee } from "../opening/index.ts";
import { ensureSession, refused, type RoomAccess, verifyMemberSignature } from "./room-access.server.ts";
import {
  consolidateQualification,
  type EvaluatedBid,
  summariseComprehensive,
  summariseLowestEvaluatedPrice,
} from "./scoring-pipeline.server.ts";
import { tenderRules } from "./rules.server.ts";
import { PLEDGE_TEXT } from "./statement.ts";

export { tenderRules };

const signature = z.string().min(16).max(20_000);
export const SignatureSchema = z.object({ signature });
export const RecusalSchema = z.object({ recuse: z.enum(["none", "recused"]), reason: z.string().trim().max(500).optional() });
export const ChairVoteSchema = z.object({ candidateUserId: z.string().uuid() });
export const QualificationSchema = z.object({
  bidderId: z.string().uuid(),
  findings: z
    .array(
      z.object({ criterionId: z.string().min(1).max(100), passed: z.boolean(), reason: z.string().trim().max(1000).optional() }),
    )
    .max(100),
  signature,
});
export const ScoreSchema = z.object({
  bidderId: z.string().uuid(),
  points: z.record(z.string().max(100), z.number().finite()),
  signature,
});
export const AdjustmentSchema = z.object({
  bidderId: z.string().uuid(),
  /** Per adjustment rule of the tender: the amount in yuan as typed (signed), e.g. "-30000.00". */
  amounts: z.record(z.string().max(100), z.string().trim().max(30)),
  signature,
});
export const WithdrawSchema = z.object({ sheetId: z.string().uuid(), reason: z.string().trim().min(1).max(500) });
export const OutlierReasonSchema = z.object({
  bidderId: z.string().uuid(),
  part: z.enum(["technical", "commercial"]),
  reason: z.string().trim().min(1).max(1000),
});
export const CollusionSchema = z.object({
  bidderIds: z.array(z.string().uuid()).min(2).max(50),
  reason: z.string().trim().min(1).max(1000),
});

type Session = {
  id: string;
  chairUserId: string | null;
  qualificationClosedAt: Date | null;
  summaryClosedAt: Date | null;
  reportDraftedAt: Date | null;
  reportSignedAt: Date | null;
  endsAt: Date;
  extendedAt: Date | null;
  qualification: unknown;
  collusionFindings: unknown;
};
const SESSION_SELECT = {
  id: true,
  chairUserId: true,
  qualificationClosedAt: true,
  summaryClosedAt: true,
  reportDraftedAt: true,
  reportSignedAt: true,
  endsAt: true,
  extendedAt: true,
  qualification: true,
  collusionFindings: true,
} as const;

/** Loads the session and the acting member's row; refuses a non-member, a replaced member, acts after the report is signed. */
async function memberContext(access: RoomAccess, user: SessionUser, what: string) {
  const tenderId = access.tender.id;
  if (access.role !== "member")
    return { ok: false as const, r: await refused(user, tenderId, what, "room.notMember", 403, "TBL Art 37") };
  const opened = await ensureSession(access, user);
  if (!opened.ok) return { ok: false as const, r: opened };
  const session = (await db().evaluationSession.findUniqueOrThrow({
    where: { id: opened.value.id },
    select: SESSION_SELECT,
  })) as Session;
  if (session.reportSignedAt)
    return { ok: false as const, r: await refused(user, tenderId, what, "room.reportSigned", 409, "Regs Art 53") };
  const me = await db().evaluationMember.findUniqueOrThrow({
    where: { sessionId_userId: { sessionId: session.id, userId: user.id } },
  });
  if (me.endedAt) return { ok: false as const, r: await refused(user, tenderId, what, "room.notMember", 403, "Regs Art 48") };
  return { ok: true as const, session, me };
}

/**
 * The start of every member's act: the member's context (memberContext), then the input checked
 * against its schema (`invalid` is the refusal for input that does not parse), and `refuse`
 * bound to the act so each later check is one line. Every refusal is audited, nothing written.
 */
async function beginAct<T = undefined>(
  access: RoomAccess,
  user: SessionUser,
  what: string,
  input?: unknown,
  schema?: z.ZodType<T>,
  invalid: { code: string; article?: string } = { code: "room.badInput" },
) {
  const tenderId = access.tender.id;
  const refuse = (code: string, status: number, article?: string) => refused(user, tenderId, what, code, status, article);
  const ctx = await memberContext(access, user, what);
  if (!ctx.ok) return ctx;
  let data = undefined as T;
  if (schema) {
    const parsed = schema.safeParse(input);
    if (!parsed.success) return { ok: false as const, r: await refuse(invalid.code, 422, invalid.article) };
    data = parsed.data;
  }
  return { ok: true as const, session: ctx.session, me: ctx.me, input: data, tenderId, refuse };
}

/** An act's write and its audit entry in one transaction: both or neither. */
async function recorded<R>(
  user: SessionUser,
  tenderId: string,
  action: string,
  write: (tx: Tx) => Promise<R>,
  data: Record<string, unknown> | ((written: R) => Record<string, unknown>),
): Promise<R> {
  return db().$transaction(async (tx) => {
    const written = await write(tx);
    await audit(user, tenderId, action, typeof data === "function" ? data(written) : data, tx);
    return written;
  });
}

/** The members still in the room (a replaced member is out). */
export async function activeMembers(sessionId: string) {
  return db().evaluationMember.findMany({ where: { sessionId, endedAt: null }, orderBy: { id: "asc" } });
}

async function audit(user: SessionUser, tenderId: string, action: string, data: Record<string, unknown>, tx?: Tx) {
  await appendAudit(
    { actorId: user.id, action, subjectType: AUDIT_SUBJECT.Tender, subjectId: tenderId, data: { tenderId, ...data } },
    tx,
  );
}

/** 签到: the member's signing certificate over the server's challenge. */
export async function signInMember(
  access: RoomAccess,
  user: SessionUser,
  input: unknown,
): Promise<Outcome<{ signedInAt: string }>> {
  const act = await beginAct(access, user, "sign-in", input, SignatureSchema);
  if (!act.ok) return act.r;
  const { me, tenderId } = act;
  if (me.signedInAt) return { ok: true, value: { signedInAt: me.signedInAt.toISOString() } };
  const v = await verifyMemberSignature(user.id, act.input.signature, "sign-in", tenderId, { challenge: me.challenge });
  if (!v.ok) return act.refuse(v.code, 422);
  const at = now();
  await recorded(
    user,
    tenderId,
    "evaluation.signed_in",
    (tx) => tx.evaluationMember.update({ where: { id: me.id }, data: { signedInAt: at, certificateSerial: v.serial } }),
    { memberId: user.id, certificateSerial: v.serial },
  );
  return { ok: true, value: { signedInAt: at.toISOString() } };
}

/** 诚信承诺书, signed by the member after sign-in. */
export async function signPledge(access: RoomAccess, user: SessionUser, input: unknown): Promise<Outcome<null>> {
  const act = await beginAct(access, user, "pledge", input, SignatureSchema);
  if (!act.ok) return act.r;
  const { me, tenderId } = act;
  if (!me.signedInAt) return act.refuse("room.signInFirst", 409);
  if (me.pledgedAt) return { ok: true, value: null };
  const v = await verifyMemberSignature(user.id, act.input.signature, "pledge", tenderId, { text: PLEDGE_TEXT });
  if (!v.ok) return act.refuse(v.code, 422);
  await recorded(
    user,
    tenderId,
    "evaluation.pledged",
    (tx) =>
      tx.evaluationMember.update({ where: { id: me.id }, data: { pledgeSignature: act.input.signature, pledgedAt: now() } }),
    { memberId: user.id, certificateSerial: v.serial },
  );
  return { ok: true, value: null };
}

/**
 * 回避 or none (Eval-Rules Art 12), after the bidder list is shown. A recusal ends the member's
 * seat and calls the committee's replacement (Regs Art 48); the room waits for the replacement.
 */
export async function declareRecusal(
  access: RoomAccess,
  user: SessionUser,
  input: unknown,
): Promise<Outcome<{ replacementExpertId: string | null }>> {
  const act = await beginAct(access, user, "recusal", input, RecusalSchema);
  if (!act.ok) return act.r;
  const { me, tenderId, input: declared } = act;
  if (!me.pledgedAt) return act.refuse("room.pledgeFirst", 409, "Eval-Rules Art 13");
  if (me.recusal) return act.refuse("room.alreadyDeclared", 409);
  if (declared.recuse === "recused" && !declared.reason) return act.refuse("room.reasonRequired", 422, "Eval-Rules Art 12");
  const at = now();
  if (declared.recuse === "none") {
    await recorded(
      user,
      tenderId,
      "evaluation.no_recusal",
      (tx) => tx.evaluationMember.update({ where: { id: me.id }, data: { recusal: "none", recusalAt: at } }),
      { memberId: user.id },
    );
    return { ok: true, value: { replacementExpertId: null } };
  }
  if (!access.member?.expertId) return act.refuse("room.representativeCannotBeReplaced", 409);
  const reason = declared.reason ?? "";
  await recorded(
    user,
    tenderId,
    "evaluation.recused",
    (tx) =>
      tx.evaluationMember.update({
        where: { id: me.id },
        data: { recusal: "recused", recusalReason: reason, recusalAt: at, endedAt: at },
      }),
    { memberId: user.id, reason },
  );
  const replaced = await replaceMember({ tenderId, expertId: access.member.expertId, reason: "recused", actorId: user.id });
  return { ok: true, value: { replacementExpertId: replaced.ok ? replaced.replacementExpertId : null } };
}

/** Everyone still in the room has signed in, pledged and declared no recusal (the room waits otherwise). */
export async function roomReady(access: RoomAccess, sessionId: string): Promise<boolean> {
  const active = await activeMembers(sessionId);
  const seats = access.committee.members.length;
  return active.length === seats && active.every((m) => m.signedInAt && m.pledgedAt && m.recusal === "none");
}

/** 组长: elected by the members, among the drawn experts; a majority of the committee elects. */
export async function voteChair(
  access: RoomAccess,
  user: SessionUser,
  input: unknown,
): Promise<Outcome<{ chairUserId: string | null }>> {
  const ctx = await beginAct(access, user, "chair", input, ChairVoteSchema);
  if (!ctx.ok) return ctx.r;
  const { tenderId } = ctx;
  if (ctx.session.chairUserId) return ctx.refuse("room.chairElected", 409);
  if (!(await roomReady(access, ctx.session.id))) return ctx.refuse("room.roomNotReady", 409, "Eval-Rules Art 12");
  const candidate = access.committee.members.find((m) => m.userId === ctx.input.candidateUserId);
  if (!candidate?.chairEligible) return ctx.refuse("room.notEligibleChair", 422);
  const chair = await db().$transaction(async (tx) => {
    await tx.evaluationMember.update({ where: { id: ctx.me.id }, data: { chairVoteUserId: candidate.userId } });
    await audit(user, tenderId, "evaluation.chair_vote", { memberId: user.id, candidateUserId: candidate.userId }, tx);
    const votes = await tx.evaluationMember.findMany({
      where: { sessionId: ctx.session.id, endedAt: null, chairVoteUserId: candidate.userId },
      select: { id: true },
    });
    if (votes.length * 2 <= access.committee.members.length) return null;
    await tx.evaluationSession.update({ where: { id: ctx.session.id }, data: { chairUserId: candidate.userId } });
    await audit(user, tenderId, "evaluation.chair_elected", { chairUserId: candidate.userId, votes: votes.length }, tx);
    return candidate.userId;
  });
  return { ok: true, value: { chairUserId: chair } };
}

/** The opened bids as the room sees them: bidder id = the organisation; price from the 唱标. */
export async function roomBids(tenderId: string) {
  const { bids, collusion } = await openedBidsForCommittee(tenderId);
  return {
    bids: bids.map((b) => ({
      bidderId: b.organizationId,
      bidderName: b.bidderName,
      seq: b.seq,
      readOut: b.readOut,
      documents: b.documents,
      price: parseYuan(b.readOut.price ?? ""),
    })),
    collusion,
  };
}

/** A member opens one of a bid's decrypted files: recorded (who, which file, when); the caller streams it. */
export async function openBidFile(
  access: RoomAccess,
  user: SessionUser,
  bidderId: string,
  index: number,
): Promise<Outcome<{ path: string; name: string }>> {
  const ctx = await beginAct(access, user, "file");
  if (!ctx.ok) return ctx.r;
  const { tenderId } = ctx;
  if (!ctx.me.signedInAt || !ctx.me.pledgedAt) return ctx.refuse("room.pledgeFirst", 409, "Eval-Rules Art 13");
  const { bids } = await roomBids(tenderId);
  const bid = bids.find((b) => b.bidderId === bidderId);
  const file = bid?.documents[index];
  if (!bid || !file) return ctx.refuse("room.noSuchFile", 404);
  const name = file.split("/").pop() ?? "file";
  await audit(user, tenderId, "evaluation.file_opened", { memberId: user.id, bidderId, file: name, index });
  return { ok: true, value: { path: file, name } };
}

type SheetKind = "QUALIFICATION" | "SCORE" | "ADJUSTMENT";

async function activeSheet(sessionId: string, memberUserId: string, bidderId: string, kind: SheetKind) {
  return db().evaluationSheet.findFirst({
    where: { sessionId, memberUserId, bidderId, kind, withdrawnAt: null },
    select: { id: true },
  });
}

/** 资格审查: a member's signed pass/fail per criterion of the tender, a reason for each fail. */
export async function submitQualification(
  access: RoomAccess,
  user: SessionUser,
  input: unknown,
): Promise<Outcome<{ sheetId: string }>> {
  const act = await beginAct(access, user, "qualification", input, QualificationSchema);
  if (!act.ok) return act.r;
  const { session, tenderId, input: sheetIn } = act;
  if (!session.chairUserId) return act.refuse("room.roomNotReady", 409);
  if (session.qualificationClosedAt) return act.refuse("room.qualificationClosed", 409);
  const { bids } = await roomBids(tenderId);
  if (!bids.some((b) => b.bidderId === sheetIn.bidderId)) return act.refuse("room.noSuchBid", 404);
  const rules = await tenderRules(tenderId);
  const given = new Map(sheetIn.findings.map((f) => [f.criterionId, f]));
  if (given.size !== rules.qualification.length || rules.qualification.some((q) => !given.has(q.id)))
    return act.refuse("room.incompleteSheet", 422, "Eval-Rules Art 20");
  if (sheetIn.findings.some((f) => !f.passed && !f.reason)) return act.refuse("room.reasonRequired", 422, "Eval-Rules Art 20");
  if (await activeSheet(session.id, user.id, sheetIn.bidderId, "QUALIFICATION")) return act.refuse("room.sheetSubmitted", 409);
  const body = {
    bidderId: sheetIn.bidderId,
    findings: sheetIn.findings.map((f) => ({ criterionId: f.criterionId, passed: f.passed, reason: f.reason ?? "" })),
  };
  const v = await verifyMemberSignature(user.id, sheetIn.signature, "qualification", tenderId, body);
  if (!v.ok) return act.refuse(v.code, 422);
  const sheet = await recorded(
    user,
    tenderId,
    "evaluation.qualification_submitted",
    (tx) => createSheet(tx, session.id, user.id, "QUALIFICATION", body, sheetIn.signature, v.serial),
    (s) => ({
      memberId: user.id,
      bidderId: body.bidderId,
      sheetId: s.id,
      failed: body.findings.filter((f) => !f.passed).map((f) => f.criterionId),
    }),
  );
  return { ok: true, value: { sheetId: sheet.id } };
}

/** A member's signed sheet, as submitted. */
function createSheet(
  tx: Tx,
  sessionId: string,
  memberUserId: string,
  kind: SheetKind,
  body: { bidderId: string } & Record<string, unknown>,
  signature: string,
  certificateSerial: string,
) {
  return tx.evaluationSheet.create({
    data: {
      sessionId,
      memberUserId,
      bidderId: body.bidderId,
      kind,
      body: body as object,
      signature,
      certificateSerial,
      submittedAt: now(),
    },
    select: { id: true },
  });
}

async function sheetsOf(sessionId: string, kind: SheetKind) {
  return db().evaluationSheet.findMany({ where: { sessionId, kind, withdrawnAt: null }, orderBy: { submittedAt: "asc" } });
}

/** The chair consolidates the review: bidding-core's majority per criterion, the minority kept. */
export async function closeQualification(access: RoomAccess, user: SessionUser): Promise<Outcome<{ failed: string[] }>> {
  const act = await beginAct(access, user, "qualification.close");
  if (!act.ok) return act.r;
  const { session, tenderId } = act;
  if (session.chairUserId !== user.id) return act.refuse("room.chairOnly", 403);
  if (session.qualificationClosedAt) return act.refuse("room.qualificationClosed", 409);
  const members = (await activeMembers(session.id)).map((m) => m.userId);
  const { bids } = await roomBids(tenderId);
  const rules = await tenderRules(tenderId);
  const sheets = (await sheetsOf(session.id, "QUALIFICATION")).map((s) => ({
    memberId: s.memberUserId,
    bidderId: s.bidderId,
    findings: (s.body as { findings: { criterionId: string; passed: boolean; reason: string }[] }).findings,
  }));
  const result = consolidateQualification({
    criteria: rules.qualification,
    memberIds: members,
    bids: bids.map((b) => ({ bidderId: b.bidderId, price: b.price.ok ? b.price.value : 0n })),
    sheets,
  });
  if (!result.ok) return act.refuse(`room.errors.${result.error.code}`, 409, result.error.article);
  const failed = result.value.filter((q) => !q.passed).map((q) => q.bidderId);
  await recorded(
    user,
    tenderId,
    "evaluation.qualification_closed",
    (tx) =>
      tx.evaluationSession.update({
        where: { id: session.id },
        data: { qualification: result.value as unknown as object, qualificationClosedAt: now() },
      }),
    { failed },
  );
  return { ok: true, value: { failed } };
}

/** The bids still in: passed the review and not found colluding. */
export async function remainingBids(
  session: Pick<Session, "qualification" | "collusionFindings">,
  tenderId: string,
): Promise<(EvaluatedBid & { bidderName: string })[]> {
  const { bids } = await roomBids(tenderId);
  const passed = new Set(
    ((session.qualification ?? []) as { bidderId: string; passed: boolean }[]).filter((q) => q.passed).map((q) => q.bidderId),
  );
  const colluding = new Set(((session.collusionFindings ?? []) as { bidderIds: string[] }[]).flatMap((f) => f.bidderIds));
  return bids
    .filter((b) => passed.has(b.bidderId) && !colluding.has(b.bidderId))
    .map((b) => ({ bidderId: b.bidderId, bidderName: b.bidderName, price: b.price.ok ? b.price.value : 0n }));
}

/** 详细评审: a member's signed points per criterion, each within 0..maxPoints (bidding-core); the price score is never typed. */
export async function submitScore(access: RoomAccess, user: SessionUser, input: unknown): Promise<Outcome<{ sheetId: string }>> {
  const act = await beginAct(access, user, "score", input, ScoreSchema);
  if (!act.ok) return act.r;
  const { session, tenderId, input: sheetIn } = act;
  const rules = await tenderRules(tenderId);
  if (rules.method !== "COMPREHENSIVE") return act.refuse("room.wrongMethod", 409);
  if (!session.qualificationClosedAt) return act.refuse("room.qualificationOpen", 409);
  if (session.summaryClosedAt) return act.refuse("room.summaryClosed", 409);
  const remaining = await remainingBids(session, tenderId);
  if (!remaining.some((b) => b.bidderId === sheetIn.bidderId)) return act.refuse("room.bidRejected", 422, "Eval-Rules Art 26");
  const keys = Object.keys(sheetIn.points);
  if (keys.length !== rules.criteria.length || rules.criteria.some((c) => !(c.id in sheetIn.points)))
    return act.refuse("room.incompleteSheet", 422);
  for (const c of rules.criteria) {
    const checked = checkCriterionPoints(c, sheetIn.points[c.id] ?? Number.NaN);
    if (!checked.ok) return act.refuse("room.scoreOutOfRange", 422, checked.error.article);
  }
  if (await activeSheet(session.id, user.id, sheetIn.bidderId, "SCORE")) return act.refuse("room.sheetSubmitted", 409);
  const body = {
    bidderId: sheetIn.bidderId,
    points: Object.fromEntries(rules.criteria.map((c) => [c.id, sheetIn.points[c.id] ?? 0])),
  };
  const v = await verifyMemberSignature(user.id, sheetIn.signature, "score", tenderId, body);
  if (!v.ok) return act.refuse(v.code, 422);
  const sheet = await recorded(
    user,
    tenderId,
    "evaluation.sheet_submitted",
    (tx) => createSheet(tx, session.id, user.id, "SCORE", body, sheetIn.signature, v.serial),
    (s) => ({ memberId: user.id, bidderId: body.bidderId, sheetId: s.id, points: body.points }),
  );
  return { ok: true, value: { sheetId: sheet.id } };
}

/**
 * 详细评审, lowest evaluated price method: a member's signed adjustments on one remaining bid, an
 * amount (yuan, signed) for each of the tender's adjustment rules, each within its rule's bounds
 * (bidding-core's `checkAdjustment`, Eval-Rules Art 31); the evaluated price is only ever computed.
 */
export async function submitAdjustment(
  access: RoomAccess,
  user: SessionUser,
  input: unknown,
): Promise<Outcome<{ sheetId: string }>> {
  const act = await beginAct(access, user, "adjustment", input, AdjustmentSchema);
  if (!act.ok) return act.r;
  const { session, tenderId, input: sheetIn } = act;
  const rules = await tenderRules(tenderId);
  if (rules.method !== "LOWEST_EVALUATED_PRICE") return act.refuse("room.wrongMethod", 409);
  if (!session.qualificationClosedAt) return act.refuse("room.qualificationOpen", 409);
  if (session.summaryClosedAt) return act.refuse("room.summaryClosed", 409);
  const remaining = await remainingBids(session, tenderId);
  const bid = remaining.find((b) => b.bidderId === sheetIn.bidderId);
  if (!bid) return act.refuse("room.bidRejected", 422, "Eval-Rules Art 26");
  const keys = Object.keys(sheetIn.amounts);
  if (keys.length !== rules.adjustments.length || rules.adjustments.some((r) => !(r.id in sheetIn.amounts)))
    return act.refuse("room.incompleteSheet", 422);
  for (const rule of rules.adjustments) {
    const amount = parseSignedYuan(sheetIn.amounts[rule.id] ?? "");
    if (!amount.ok) return act.refuse("room.badAmount", 422);
    const checked = checkAdjustment(rule, amount.value, bid.price);
    if (!checked.ok) return act.refuse("room.adjustmentOutOfRange", 422, checked.error.article);
  }
  if (await activeSheet(session.id, user.id, sheetIn.bidderId, "ADJUSTMENT")) return act.refuse("room.sheetSubmitted", 409);
  const body = {
    bidderId: sheetIn.bidderId,
    amounts: Object.fromEntries(rules.adjustments.map((r) => [r.id, sheetIn.amounts[r.id] ?? ""])),
  };
  const v = await verifyMemberSignature(user.id, sheetIn.signature, "adjustment", tenderId, body);
  if (!v.ok) return act.refuse(v.code, 422);
  const sheet = await recorded(
    user,
    tenderId,
    "evaluation.adjustment_submitted",
    (tx) => createSheet(tx, session.id, user.id, "ADJUSTMENT", body, sheetIn.signature, v.serial),
    (s) => ({ memberId: user.id, bidderId: body.bidderId, sheetId: s.id, amounts: body.amounts }),
  );
  return { ok: true, value: { sheetId: sheet.id } };
}

/** A submitted sheet changes only by a recorded withdrawal (then a new signed sheet), before its stage closes. */
export async function withdrawSheet(access: RoomAccess, user: SessionUser, input: unknown): Promise<Outcome<null>> {
  const act = await beginAct(access, user, "withdraw", input, WithdrawSchema);
  if (!act.ok) return act.r;
  const { session, tenderId, input: asked } = act;
  const sheet = await db().evaluationSheet.findFirst({
    where: { id: asked.sheetId, sessionId: session.id, memberUserId: user.id, withdrawnAt: null },
    select: { id: true, kind: true, bidderId: true },
  });
  if (!sheet) return act.refuse("room.noSuchSheet", 404);
  const qualification = sheet.kind === "QUALIFICATION";
  if (qualification ? session.qualificationClosedAt : session.summaryClosedAt)
    return act.refuse(qualification ? "room.qualificationClosed" : "room.summaryClosed", 409);
  await recorded(
    user,
    tenderId,
    "evaluation.sheet_withdrawn",
    (tx) => tx.evaluationSheet.update({ where: { id: sheet.id }, data: { withdrawnAt: now(), withdrawnReason: asked.reason } }),
    { memberId: user.id, bidderId: sheet.bidderId, sheetId: sheet.id, kind: sheet.kind, reason: asked.reason },
  );
  return { ok: true, value: null };
}

/** The written reason for one's own score far from the median (outlier rule), before the summary closes. */
export async function explainOutlier(access: RoomAccess, user: SessionUser, input: unknown): Promise<Outcome<null>> {
  const act = await beginAct(access, user, "outlier", input, OutlierReasonSchema, { code: "room.reasonRequired" });
  if (!act.ok) return act.r;
  const { session, tenderId, input: given } = act;
  if (session.summaryClosedAt) return act.refuse("room.summaryClosed", 409);
  const sheet = await db().evaluationSheet.findFirst({
    where: { sessionId: session.id, memberUserId: user.id, bidderId: given.bidderId, kind: "SCORE", withdrawnAt: null },
    select: { id: true, outlierReasons: true },
  });
  if (!sheet) return act.refuse("room.noSuchSheet", 404);
  await recorded(
    user,
    tenderId,
    "evaluation.outlier_explained",
    (tx) =>
      tx.evaluationSheet.update({
        where: { id: sheet.id },
        data: { outlierReasons: { ...((sheet.outlierReasons ?? {}) as object), [given.part]: given.reason } },
      }),
    { memberId: user.id, bidderId: given.bidderId, part: given.part },
  );
  return { ok: true, value: null };
}

/** Regs Art 48: more than a third of the members asking for more time extends the evaluation (by its planned length). */
export async function askForMoreTime(access: RoomAccess, user: SessionUser): Promise<Outcome<{ extended: boolean }>> {
  const ctx = await beginAct(access, user, "more-time");
  if (!ctx.ok) return ctx.r;
  const { tenderId } = ctx;
  if (ctx.session.summaryClosedAt) return ctx.refuse("room.summaryClosed", 409);
  const extended = await db().$transaction(async (tx) => {
    await tx.evaluationMember.update({ where: { id: ctx.me.id }, data: { moreTimeAt: ctx.me.moreTimeAt ?? now() } });
    await audit(user, tenderId, "evaluation.more_time_asked", { memberId: user.id }, tx);
    const asking = await tx.evaluationMember.count({
      where: { sessionId: ctx.session.id, endedAt: null, moreTimeAt: { not: null } },
    });
    if (ctx.session.extendedAt || !evaluationTimeMustBeExtended(asking, access.committee.members.length)) return false;
    const s = await tx.evaluationSession.findUniqueOrThrow({
      where: { id: ctx.session.id },
      select: { openedAt: true, endsAt: true },
    });
    const endsAt = new Date(s.endsAt.getTime() + (s.endsAt.getTime() - s.openedAt.getTime()));
    await tx.evaluationSession.update({ where: { id: ctx.session.id }, data: { extendedAt: now(), endsAt } });
    await audit(
      user,
      tenderId,
      "evaluation.extended",
      { asking, committee: access.committee.members.length, endsAt: endsAt.toISOString(), article: "Regs Art 48" },
      tx,
    );
    return true;
  });
  return { ok: true, value: { extended } };
}

/** The chair records the committee's finding of collusion (Regs Art 40): those bids are out, with the reason. */
export async function findCollusion(access: RoomAccess, user: SessionUser, input: unknown): Promise<Outcome<null>> {
  const act = await beginAct(access, user, "collusion", input, CollusionSchema, {
    code: "room.reasonRequired",
    article: "Regs Art 40",
  });
  if (!act.ok) return act.r;
  const { session, tenderId, input: finding } = act;
  if (session.chairUserId !== user.id) return act.refuse("room.chairOnly", 403);
  if (session.summaryClosedAt) return act.refuse("room.summaryClosed", 409);
  const { bids } = await roomBids(tenderId);
  if (finding.bidderIds.some((id) => !bids.some((b) => b.bidderId === id))) return act.refuse("room.noSuchBid", 404);
  const findings = [
    ...((session.collusionFindings ?? []) as object[]),
    { bidderIds: finding.bidderIds, reason: finding.reason, article: "Regs Art 40" },
  ];
  await recorded(
    user,
    tenderId,
    "evaluation.collusion_found",
    (tx) => tx.evaluationSession.update({ where: { id: session.id }, data: { collusionFindings: findings } }),
    { bidderIds: finding.bidderIds, reason: finding.reason },
  );
  return { ok: true, value: null };
}

/** 汇总 on what is in the database now: bidding-core's summary over the remaining bids' sheets, by the tender's method. */
export async function currentSummary(session: Session, tenderId: string) {
  const rules = await tenderRules(tenderId);
  const members = (await activeMembers(session.id)).map((m) => m.userId);
  const bids = await remainingBids(session, tenderId);
  if (rules.method === "LOWEST_EVALUATED_PRICE") {
    const rows = await sheetsOf(session.id, "ADJUSTMENT");
    const sheets = rows.map((s) => ({
      memberId: s.memberUserId,
      bidderId: s.bidderId,
      amounts: Object.fromEntries(
        Object.entries((s.body as { amounts: Record<string, string> }).amounts).map(([id, yuan]) => {
          const fen = parseSignedYuan(yuan);
          // Checked when submitted; a stored amount that no longer parses is a bug, not a zero.
          if (!fen.ok) throw new Error(`stored adjustment ${s.id}/${id} does not parse`);
          return [id, fen.value];
        }),
      ),
    }));
    const summary = summariseLowestEvaluatedPrice({
      rules: rules.adjustments,
      aggregation: rules.room.aggregation,
      memberIds: members,
      bids,
      sheets,
    });
    return { method: rules.method, summary, bids, members, rules, rows };
  }
  const rows = await sheetsOf(session.id, "SCORE");
  const sheets = rows.map((s) => ({
    memberId: s.memberUserId,
    bidderId: s.bidderId,
    points: (s.body as { points: Record<string, number> }).points,
  }));
  const outlierReasons = rows.flatMap((s) =>
    Object.entries((s.outlierReasons ?? {}) as Record<string, string>).map(([part, reason]) => ({
      memberId: s.memberUserId,
      bidderId: s.bidderId,
      part,
      reason,
    })),
  );
  const summary = summariseComprehensive({
    table: rules.criteria,
    weights: rules.weights,
    priceScoring: rules.priceScoring as Parameters<typeof summariseComprehensive>[0]["priceScoring"],
    aggregation: rules.room.aggregation,
    memberIds: members,
    bids,
    sheets,
    outlierThresholdPercent: rules.room.outlierThresholdPercent,
    outlierReasons,
  });
  return { method: rules.method, summary, bids, members, rules, rows };
}
