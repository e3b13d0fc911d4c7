// What the room's page shows, by role: a member sees the room (bids, files, own sheets, the
// summary once it exists); a supervisor sees the feed and the alerts; the agent sees only that
// the report is signed and its PDF. Bidders and the public never get here (roomAccess is null).
import type { SessionUser } from "../../platform/auth/auth.server.ts";
import { now } from "../../platform/clock.server.ts";
import { db } from "../../platform/db.server.ts";
import { roomAlerts, roomFeed } from "./feed.server.ts";
import { finishIfDue, reportSha256 } from "./report.server.ts";
import { ensureSession, type RoomAccess } from "./room-access.server.ts";
import { activeMembers, currentSummary, remainingBids, roomBids, tenderRules } from "./room.server.ts";
import { PLEDGE_TEXT } from "./statement.ts";
import { roomClarifications } from "./clarification.server.ts";

/** A member's own submitted sheet as the page shows it. */
export interface OwnSheet {
  id: string;
  bidderId: string;
  kind: "QUALIFICATION" | "SCORE" | "ADJUSTMENT";
  body: {
    bidderId: string;
    points?: Record<string, number>;
    amounts?: Record<string, string>;
    findings?: { criterionId: string; passed: boolean; reason: string }[];
  };
  outlierReasons: Record<string, string>;
}

export async function roomView(access: RoomAccess, user: SessionUser) {
  const tenderId = access.tender.id;
  await finishIfDue(tenderId);
  const base = {
    role: access.role,
    tender: access.tender,
    serverNow: now().toISOString(),
    evaluationStartAt: access.committee.evaluationStartAt.toISOString(),
  };
  if (access.role === "agent") {
    const s = await db().evaluationSession.findUnique({ where: { tenderId }, select: { reportSignedAt: true } });
    return { ...base, reportSigned: s?.reportSignedAt != null, refusal: null, session: null };
  }
  let refusal = null;
  if (access.role === "member") {
    const opened = await ensureSession(access, user);
    if (!opened.ok) refusal = opened.refusal;
  }
  const session = await db().evaluationSession.findUnique({ where: { tenderId } });
  if (!session) return { ...base, reportSigned: false, refusal, session: null };
  if (access.role === "member" && !access.member) return { ...base, reportSigned: false, refusal, session: null, recused: true };
  const rows = await db().evaluationMember.findMany({ where: { sessionId: session.id }, orderBy: { id: "asc" } });
  const users = await db().user.findMany({ where: { id: { in: rows.map((r) => r.userId) } }, select: { id: true, name: true } });
  const nameOf = (id: string) => users.find((u) => u.id === id)?.name ?? "";
  const members = rows.map((m) => ({
    userId: m.userId,
    name: nameOf(m.userId),
    signedIn: m.signedInAt !== null,
    pledged: m.pledgedAt !== null,
    recusal: m.recusal,
    ended: m.endedAt !== null,
    chairVote: m.chairVoteUserId,
    reportSigned: m.reportSignedAt !== null,
    dissent: m.dissent,
    deemedAgreed: m.deemedAgreed,
    chairEligible: access.committee.members.some((c) => c.userId === m.userId && c.chairEligible),
  }));
  const { bids, collusion } = await roomBids(tenderId);
  const rules = await tenderRules(tenderId);
  const me = rows.find((r) => r.userId === user.id) ?? null;
  const sheets = await db().evaluationSheet.findMany({
    where: { sessionId: session.id, withdrawnAt: null },
    select: { id: true, memberUserId: true, bidderId: true, kind: true, body: true, outlierReasons: true },
  });
  const summary = session.qualificationClosedAt ? await currentSummary(session, tenderId) : null;
  const remaining = session.qualificationClosedAt ? await remainingBids(session, tenderId) : [];
  const active = await activeMembers(session.id);
  const common = {
    ...base,
    refusal,
    reportSigned: session.reportSignedAt !== null,
    session: {
      openedAt: session.openedAt.toISOString(),
      endsAt: session.endsAt.toISOString(),
      extended: session.extendedAt !== null,
      chairUserId: session.chairUserId,
      qualificationClosed: session.qualificationClosedAt !== null,
      summaryClosed: session.summaryClosedAt !== null,
      reportDrafted: session.report !== null,
      reportSha256: session.report ? reportSha256(session.report) : null,
      reportDeadline: session.reportDeadline?.toISOString() ?? null,
      qualification: session.qualification,
      collusionFindings: session.collusionFindings,
    },
    members,
    bids: bids.map((b) => ({
      bidderId: b.bidderId,
      bidderName: b.bidderName,
      seq: b.seq,
      readOut: b.readOut,
      files: b.documents.map((d) => d.split("/").pop() ?? ""),
    })),
    collusion,
    rules: {
      method: rules.method,
      qualification: rules.qualification,
      criteria: rules.criteria,
      weights: rules.weights,
      adjustments: rules.adjustments,
    },
    remaining: remaining.map((b) => b.bidderId),
    summary: summary?.summary.ok
      ? (JSON.parse(
          JSON.stringify(summary.summary.value, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v)),
        ) as unknown)
      : null,
    summaryError: summary && !summary.summary.ok ? summary.summary.error.code : null,
    activeCount: active.length,
    pledgeText: PLEDGE_TEXT,
    clarifications: await roomClarifications(tenderId),
  };
  if (access.role === "member") {
    return {
      ...common,
      me: me
        ? {
            userId: me.userId,
            challenge: me.challenge,
            signedIn: me.signedInAt !== null,
            pledged: me.pledgedAt !== null,
            recusal: me.recusal,
            ended: me.endedAt !== null,
            moreTime: me.moreTimeAt !== null,
            reportSigned: me.reportSignedAt !== null,
          }
        : null,
      mySheets: sheets
        .filter((s) => s.memberUserId === user.id)
        .map((s): OwnSheet => ({
          id: s.id,
          bidderId: s.bidderId,
          kind: s.kind,
          body: s.body as OwnSheet["body"],
          outlierReasons: (s.outlierReasons ?? {}) as Record<string, string>,
        })),
      allQualificationIn: sheets.filter((s) => s.kind === "QUALIFICATION").length >= active.length * bids.length,
      feed: null,
      alerts: null,
    };
  }
  const feed = await roomFeed(tenderId);
  const alerts = roomAlerts(
    feed,
    new Set(rows.map((r) => r.userId)),
    remaining.map((b) => b.bidderId),
    { from: session.openedAt.getTime(), to: session.reportSignedAt?.getTime() ?? null },
  );
  return {
    ...common,
    me: null,
    mySheets: [] as OwnSheet[],
    allQualificationIn: false,
    feed: feed.map((f) => ({ ...f, actorName: f.actorId ? nameOf(f.actorId) : "" })),
    alerts,
  };
}
