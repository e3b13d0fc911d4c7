import type { Tx } from "../../platform/db.server.ts";

/** The agent's staff on a tender: its creator and the active agent users of its agent organisation. */
export async function agentUserIds(tx: Tx, tenderId: string): Promise<string[]> {
  const tender = await tx.tender.findUnique({ where: { id: tenderId }, select: { createdById: true, agentOrgId: true } });
  if (!tender) return [];
  const users = await tx.user.findMany({
    where: {
      OR: [{ id: tender.createdById }, ...(tender.agentOrgId ? [{ organizationId: tender.agentOrgId }] : [])],
      role: "AGENT",
      disabledAt: null,
    },
    select: { id: true },
  });
  return users.map((u) => u.id);
}

/** The supervisors the trading centre assigned to the tender (监督人员指派). */
export async function supervisorUserIds(tx: Tx, tenderId: string): Promise<string[]> {
  const rows = await tx.tenderSupervisor.findMany({ where: { tenderId, user: { disabledAt: null } }, select: { userId: true } });
  return rows.map((r) => r.userId);
}

export interface NotificationDraft {
  kind: string;
  title: string;
  params: Record<string, string | number | boolean>;
  link: string | null;
}

/** Writes one notification per user inside the caller's transaction; returns who to push to. */
export async function writeNotifications(tx: Tx, userIds: readonly string[], draft: NotificationDraft): Promise<string[]> {
  const unique = [...new Set(userIds)];
  if (unique.length === 0) return [];
  await tx.notification.createMany({
    data: unique.map((userId) => ({
      userId,
      kind: draft.kind,
      title: draft.title,
      body: JSON.stringify(draft.params),
      link: draft.link,
    })),
  });
  return unique;
}
