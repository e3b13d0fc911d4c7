import {
  transition,
  type DomainError,
  type Tender as CoreTender,
  type TenderEvent,
  type TenderStatus as CoreStatus,
} from "../../../bidding-core/index";
import type { ProcedureType, TenderStatus } from "../../generated/prisma/enums.ts";
import { procedureRules } from "./form.ts";

/**
 * The one edge between stored tender rows and bidding-core's lifecycle: status names both ways,
 * and `applyEvent`, through which every status change passes.
 */

const TO_CORE: Record<TenderStatus, CoreStatus> = {
  DRAFT: "draft",
  PUBLISHED: "published",
  CLARIFICATION: "clarification",
  BIDDING_CLOSED: "bidding-closed",
  OPENING: "opening",
  OPENED: "opened",
  FAILED: "failed",
  EVALUATING: "evaluating",
  PUBLICITY: "publicity",
  AWARDED: "awarded",
  SUSPENDED: "suspended",
  CANCELLED: "cancelled",
  RETENDERED: "retendered",
};

const FROM_CORE = Object.fromEntries(Object.entries(TO_CORE).map(([k, v]) => [v, k])) as Record<CoreStatus, TenderStatus>;

export function toCoreStatus(status: TenderStatus): CoreStatus {
  return TO_CORE[status];
}

export function fromCoreStatus(status: CoreStatus): TenderStatus {
  return FROM_CORE[status];
}

/** The stored fields the lifecycle needs. */
export interface LifecycleRow {
  status: TenderStatus;
  procedureType: ProcedureType;
  mandatory: boolean;
  docsIssueAt: Date | null;
  docsAvailableUntil: Date | null;
  bidDeadline: Date | null;
  /** The candidate publicity's window (Regs Art 54), once published: the award reads it. */
  publicity?: { start: Date; end: Date } | null;
}

export function toCoreTender(row: LifecycleRow): CoreTender {
  const schedule =
    row.docsIssueAt && row.docsAvailableUntil && row.bidDeadline
      ? { documentsFrom: row.docsIssueAt, documentsUntil: row.docsAvailableUntil, bidDeadline: row.bidDeadline }
      : undefined;
  return {
    status: toCoreStatus(row.status),
    rules: procedureRules(row.procedureType, row.mandatory),
    ...(schedule ? { schedule } : {}),
    ...(row.publicity ? { publicity: row.publicity } : {}),
    pendingObjections: 0,
  };
}

export type LifecycleOutcome =
  | {
      ok: true;
      status: TenderStatus;
      docsIssueAt: Date | null;
      docsAvailableUntil: Date | null;
      bidDeadline: Date | null;
    }
  | { ok: false; error: DomainError };

/** Applies a lifecycle event; the caller writes the returned status and schedule. */
export function applyEvent(row: LifecycleRow, event: TenderEvent, now: Date): LifecycleOutcome {
  const result = transition(toCoreTender(row), event, now);
  if (!result.ok) return { ok: false, error: result.error };
  const schedule = result.value.schedule;
  return {
    ok: true,
    status: fromCoreStatus(result.value.status),
    docsIssueAt: schedule?.documentsFrom ?? row.docsIssueAt,
    docsAvailableUntil: schedule?.documentsUntil ?? row.docsAvailableUntil,
    bidDeadline: schedule?.bidDeadline ?? row.bidDeadline,
  };
}
