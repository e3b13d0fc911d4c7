import { db } from "../../platform/db.server.ts";
import { notifyUser } from "../../platform/realtime.server.ts";

/**
 * The hall is live over socket.io `/notify` (platform/realtime): every change is announced to
 * the host(s), the participating bidders and the assigned supervisors as an `opening` event;
 * their pages re-read the hall state from the server, so a reload or a dropped connection
 * rejoins where the session stands and nothing is trusted from the browser.
 */
export function announce(userIds: readonly string[], tenderId: string): void {
  for (const id of userIds) notifyUser(id, "opening", { tenderId });
}

export async function participantUserIds(tenderId: string): Promise<string[]> {
  const tender = await db().tender.findUnique({
    where: { id: tenderId },
    select: {
      createdById: true,
      agentOrgId: true,
      tendererOrgId: true,
      supervisors: { select: { userId: true } },
      opening: { select: { bids: { select: { organizationId: true } } } },
    },
  });
  if (!tender) return [];
  const orgs = [tender.agentOrgId, tender.tendererOrgId, ...(tender.opening?.bids.map((b) => b.organizationId) ?? [])].filter(
    (o): o is string => !!o,
  );
  const users = await db().user.findMany({
    where: { organizationId: { in: orgs }, role: { in: ["AGENT", "BIDDER"] }, disabledAt: null },
    select: { id: true },
  });
  return [...new Set([tender.createdById, ...users.map((u) => u.id), ...tender.supervisors.map((s) => s.userId)])];
}
