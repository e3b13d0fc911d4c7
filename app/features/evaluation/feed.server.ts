// What the assigned supervisors watch live (item 9): the room's events from the audit chain
// (data.tenderId), and the alerts a person would want (alerts.server.ts, evidence only).
import { db } from "../../platform/db.server.ts";
import { supervisorAlerts, type RoomEvent } from "./alerts.server.ts";

export interface FeedEntry {
  seq: string;
  at: string;
  action: string;
  actorId: string | null;
  data: Record<string, unknown>;
}

export async function roomFeed(tenderId: string, limit = 500): Promise<FeedEntry[]> {
  const rows = await db().auditEntry.findMany({
    where: { action: { startsWith: "evaluation." }, data: { path: ["tenderId"], equals: tenderId } },
    orderBy: { seq: "asc" },
    take: limit,
    select: { seq: true, at: true, action: true, actorId: true, data: true },
  });
  return rows.map((r) => ({
    seq: r.seq.toString(),
    at: r.at.toISOString(),
    action: r.action,
    actorId: r.actorId,
    data: r.data as Record<string, unknown>,
  }));
}

/** The feed as the alert rules read it: file openings, sheets, and every other act of a member. */
export function roomEvents(feed: readonly FeedEntry[], memberIds: ReadonlySet<string>): RoomEvent[] {
  const events: RoomEvent[] = [];
  for (const e of feed) {
    const memberId = e.actorId;
    if (!memberId || !memberIds.has(memberId)) continue;
    const at = Date.parse(e.at);
    const bidderId = typeof e.data.bidderId === "string" ? e.data.bidderId : "";
    if (e.action === "evaluation.file_opened") events.push({ kind: "file.opened", memberId, bidderId, at });
    else if (e.action === "evaluation.sheet_submitted")
      events.push({ kind: "sheet.submitted", memberId, bidderId, at, points: (e.data.points ?? {}) as Record<string, number> });
    else if (e.action === "evaluation.adjustment_submitted")
      events.push({ kind: "sheet.submitted", memberId, bidderId, at, points: {}, quantified: true });
    else events.push({ kind: "action", memberId, at, action: e.action });
  }
  return events;
}

export function roomAlerts(
  feed: readonly FeedEntry[],
  memberIds: ReadonlySet<string>,
  bidderIds: readonly string[],
  session: { from: number; to: number | null },
) {
  return supervisorAlerts({ events: roomEvents(feed, memberIds), bidderIds, session });
}
