import { db, type Tx } from "../../platform/db.server.ts";
import { notifyUser } from "../../platform/realtime.server.ts";

/**
 * How an invited expert hears of an invitation. In the app now; an SMS or voice gateway plugs
 * in as another `ExpertGateway` (the logging one stands in for it). The message never names the
 * bidders (TBL Art 37): the tender, the time, where to respond.
 */
export interface ExpertInvitationMessage {
  readonly userId: string;
  readonly phone: string;
  readonly tenderCode: string;
  readonly tenderTitle: string;
  readonly evaluationStartAt: Date;
  readonly respondBy: Date;
}

export interface ExpertGateway {
  readonly name: string;
  send(message: ExpertInvitationMessage): Promise<void>;
}

/** Stands in for an SMS / voice gateway: logs the message with the number masked. */
export const loggingGateway: ExpertGateway = {
  name: "log",
  async send(m) {
    console.info(
      `[expert-gateway] to ${m.phone.slice(0, 3)}****${m.phone.slice(-4)}: ${m.tenderCode} 评标邀请, 请于 ${m.respondBy.toISOString()} 前在平台确认`,
    );
  },
};

let gateways: ExpertGateway[] = [loggingGateway];

/** Replace the outside gateways (tests; a real SMS gateway at start). */
export function setExpertGateways(next: ExpertGateway[]): void {
  gateways = next;
}

/** The in-app notification, written in the caller's transaction. */
export async function recordInvitationNotice(tx: Tx, m: ExpertInvitationMessage): Promise<void> {
  await tx.notification.create({
    data: {
      userId: m.userId,
      kind: "experts.invited",
      title: m.tenderCode,
      body: JSON.stringify({
        code: m.tenderCode,
        title: m.tenderTitle,
        evaluationStartAt: m.evaluationStartAt.toISOString(),
        respondBy: m.respondBy.toISOString(),
      }),
      link: "/expert",
    },
  });
}

/** After commit: the live push and the outside gateways; a gateway failure is logged, never thrown. */
export async function deliverInvitations(messages: readonly ExpertInvitationMessage[]): Promise<void> {
  for (const m of messages) {
    notifyUser(m.userId, "notification", { kind: "experts.invited", code: m.tenderCode });
    for (const g of gateways) {
      try {
        await g.send(m);
      } catch (error) {
        console.error(`expert gateway ${g.name} failed`, error);
      }
    }
  }
}

/** A plain in-app notice to staff (agent, supervisors) with parameters only, no names. */
export async function noticeUsers(
  userIds: readonly string[],
  kind: string,
  title: string,
  params: Record<string, string | number>,
  link: string,
): Promise<void> {
  if (userIds.length === 0) return;
  await db().notification.createMany({
    data: userIds.map((userId) => ({ userId, kind, title, body: JSON.stringify(params), link })),
  });
  for (const userId of userIds) notifyUser(userId, "notification", { kind, ...params });
}
