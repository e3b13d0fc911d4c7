import { z } from "zod";
import type { SessionUser } from "../../platform/auth/auth.server.ts";
import { db } from "../../platform/db.server.ts";
import { type Outcome, type Refusal, type Refused, refuse as platformRefuse } from "../../platform/refusal.ts";

/** Who someone is in a tender's opening hall. */
export type HallRole = "host" | "bidder" | "supervisor" | "public";

export interface HallAccess {
  role: HallRole;
  tender: {
    id: string;
    code: string;
    title: string;
    bidDeadline: Date | null;
    status: string;
    agentOrgId: string | null;
    tendererOrgId: string;
  };
  /** The bidder's own opening bid, for role "bidder". */
  openingBidId?: string;
}

/** A refusal of the hall: the one app-wide shape (decision 062), codes in the `opening` namespace. */
export type OpeningRefusal = Refusal;

export type OpeningResult<T> = Outcome<T>;

export function refuse(code: string, status: number, article?: string): Refused {
  return platformRefuse(code, status, article ? { article } : {});
}

/**
 * The agent of the tender hosts; bidders that submitted take part; the supervisors the trading
 * centre assigned watch; anyone else (the public, other bidders, experts) sees only the
 * published record, and nothing before it is published.
 */
export async function hallAccess(user: SessionUser | null, tenderId: string): Promise<HallAccess | null> {
  if (!z.string().uuid().safeParse(tenderId).success) return null;
  const tender = await db().tender.findUnique({
    where: { id: tenderId },
    select: {
      id: true,
      code: true,
      title: true,
      bidDeadline: true,
      status: true,
      agentOrgId: true,
      tendererOrgId: true,
      createdById: true,
    },
  });
  if (!tender) return null;
  const base = { tender };
  if (!user) return { ...base, role: "public" };
  if (
    user.role === "AGENT" &&
    (user.id === tender.createdById ||
      (user.organizationId !== null && [tender.agentOrgId, tender.tendererOrgId].includes(user.organizationId)))
  ) {
    return { ...base, role: "host" };
  }
  if (user.role === "SUPERVISOR") {
    const assigned = await db().tenderSupervisor.findUnique({
      where: { tenderId_userId: { tenderId, userId: user.id } },
      select: { userId: true },
    });
    if (assigned) return { ...base, role: "supervisor" };
  }
  if (user.role === "BIDDER" && user.organizationId) {
    const own = await db().openingBid.findFirst({
      where: { session: { tenderId }, organizationId: user.organizationId },
      select: { id: true },
    });
    if (own) return { ...base, role: "bidder", openingBidId: own.id };
  }
  return { ...base, role: "public" };
}
