import type { TenderStatus } from "../../generated/prisma/enums.ts";
import type { Tx } from "../../platform/db.server.ts";

/**
 * Suspension of the procedure (暂停招标投标活动): while any suspension of a tender is open its
 * status is SUSPENDED — bidding cannot close, bids are not taken — and when the last one is
 * lifted it returns to the status it had. Causes: an open objection (Regs Arts 22, 54) or a
 * supervisor's order while a complaint is handled (Regs Art 62).
 */

export type SuspensionCause = "objection" | "complaint";

/** Suspends the tender (locked by the caller) for `cause`/`sourceId`; returns the status it will return to. */
export async function suspendProcedure(
  tx: Tx,
  tender: { id: string; status: TenderStatus },
  cause: SuspensionCause,
  sourceId: string,
  at: Date,
): Promise<TenderStatus> {
  const open = await tx.procedureSuspension.findFirst({
    where: { tenderId: tender.id, liftedAt: null },
    orderBy: { startedAt: "asc" },
    select: { fromStatus: true },
  });
  const fromStatus = tender.status === "SUSPENDED" ? (open?.fromStatus ?? "PUBLISHED") : tender.status;
  await tx.procedureSuspension.create({ data: { tenderId: tender.id, cause, sourceId, fromStatus, startedAt: at } });
  if (tender.status !== "SUSPENDED") await tx.tender.update({ where: { id: tender.id }, data: { status: "SUSPENDED" } });
  return fromStatus;
}

/**
 * Lifts the suspension of `sourceId`; if none other stays open the tender returns to its earlier
 * status. Returns when the lifted suspension started (null if there was none) and whether it resumed.
 */
export async function liftSuspension(
  tx: Tx,
  tenderId: string,
  cause: SuspensionCause,
  sourceId: string,
  at: Date,
): Promise<{ startedAt: Date | null; resumed: TenderStatus | null }> {
  const mine = await tx.procedureSuspension.findFirst({
    where: { tenderId, cause, sourceId, liftedAt: null },
    select: { id: true, startedAt: true },
  });
  if (!mine) return { startedAt: null, resumed: null };
  const first = await tx.procedureSuspension.findFirst({
    where: { tenderId, liftedAt: null },
    orderBy: { startedAt: "asc" },
    select: { fromStatus: true },
  });
  await tx.procedureSuspension.update({ where: { id: mine.id }, data: { liftedAt: at } });
  const others = await tx.procedureSuspension.count({ where: { tenderId, liftedAt: null } });
  if (others > 0) return { startedAt: mine.startedAt, resumed: null };
  const resumed = first?.fromStatus ?? "PUBLISHED";
  await tx.tender.update({ where: { id: tenderId }, data: { status: resumed } });
  return { startedAt: mine.startedAt, resumed };
}

/** Whether a source currently holds the tender suspended. */
export async function isSuspendedBy(tx: Tx, cause: SuspensionCause, sourceId: string): Promise<boolean> {
  return (await tx.procedureSuspension.count({ where: { cause, sourceId, liftedAt: null } })) > 0;
}
