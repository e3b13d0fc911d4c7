// Browser-safe copies of the Prisma enums the UI lists (the generated client is server-only), and
// bidding-core's status lists in the stored spelling.
import {
  BIDDING_OPEN_STATUSES,
  PUBLIC_STATUSES as CORE_PUBLIC_STATUSES,
  SUPERVISED_STATUSES as CORE_SUPERVISED_STATUSES,
  type TenderStatus as CoreStatus,
  WITNESS_ROOM_STATUSES as CORE_WITNESS_ROOM_STATUSES,
} from "../../../bidding-core/index";

export const PROCEDURE_TYPES = ["WORKS", "GOODS", "SERVICES"] as const;
export type ProcedureTypeName = (typeof PROCEDURE_TYPES)[number];

/** bidding-core's status name as stored (`bidding-closed` → `BIDDING_CLOSED`). */
type Stored<S extends string> = S extends `${infer A}-${infer B}` ? `${Uppercase<A>}_${Stored<B>}` : Uppercase<S>;
type StoredList<T extends readonly string[]> = { readonly [K in keyof T]: Stored<T[K]> };

/** A bidding-core status list in the stored spelling (the rules live in bidding-core/status-sets.ts). */
export function storedStatuses<const T extends readonly CoreStatus[]>(list: T): StoredList<T> {
  return list.map((s) => s.toUpperCase().replace(/-/g, "_")) as unknown as StoredList<T>;
}

/** Statuses that the public may see; drafts never leave the agent's workspace. */
export const PUBLIC_STATUSES = storedStatuses(CORE_PUBLIC_STATUSES);
export type PublicStatus = (typeof PUBLIC_STATUSES)[number];

/** Statuses in which bidding is open (the notice list's "accepting bids"; bids taken). */
export const OPEN_STATUSES = storedStatuses(BIDDING_OPEN_STATUSES);

/** Tenders the trading centre assigns supervisors to. */
export const SUPERVISED_STATUSES = storedStatuses(CORE_SUPERVISED_STATUSES);

/** Tenders whose evaluation room can be witnessed. */
export const WITNESS_ROOM_STATUSES = storedStatuses(CORE_WITNESS_ROOM_STATUSES);
