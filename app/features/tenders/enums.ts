// Browser-safe copies of the Prisma enums the UI lists (the generated client is server-only).
export const PROCEDURE_TYPES = ["WORKS", "GOODS", "SERVICES"] as const;
export type ProcedureTypeName = (typeof PROCEDURE_TYPES)[number];

/** Statuses that the public may see; drafts never leave the agent's workspace. */
export const PUBLIC_STATUSES = [
  "PUBLISHED",
  "CLARIFICATION",
  "BIDDING_CLOSED",
  "OPENING",
  "OPENED",
  "FAILED",
  "EVALUATING",
  "PUBLICITY",
  "AWARDED",
  "SUSPENDED",
  "CANCELLED",
  "RETENDERED",
] as const;
export type PublicStatus = (typeof PUBLIC_STATUSES)[number];

/** Statuses in which bidding is open (the notice list's "accepting bids"). */
export const OPEN_STATUSES = ["PUBLISHED", "CLARIFICATION"] as const;
