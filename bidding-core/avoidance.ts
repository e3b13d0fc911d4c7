import { daysBetween, type LocalDate } from "./calendar";

/**
 * 回避: who may not sit on the committee for a tender (Eval-Rules Art 12, Regs Art 46).
 * Returns every reason that applies, so the draw log can show why an expert was left out.
 */

export interface ExpertProfile {
  readonly id: string;
  readonly specialties: readonly string[];
  /** Organisations the expert works for. */
  readonly employerIds: readonly string[];
  /** Bidders whose principal is the expert's close relative (近亲属). */
  readonly relativeOfBidderIds: readonly string[];
  /** Bidders the expert has an economic interest in (经济利益关系). */
  readonly economicInterestBidderIds: readonly string[];
  /** True when the expert was penalised for misconduct in tendering. */
  readonly penalised: boolean;
  /** True while the pool's keeper has suspended the expert (暂停). */
  readonly suspended?: boolean;
  /** Past committee service: for which tenderer, on which Shanghai date. */
  readonly service: readonly { readonly tendererId: string; readonly date: LocalDate }[];
}

export interface AvoidanceContext {
  readonly tendererId: string;
  /** The tendering agent (招标代理机构), if any: its staff may not sit either. */
  readonly agentId?: string;
  readonly bidderIds: readonly string[];
  /** The project's competent and supervising departments. */
  readonly supervisingDepartmentIds: readonly string[];
  /** The Shanghai date of the draw. */
  readonly drawDate: LocalDate;
  /** An expert who served for the same tenderer within this many days sits out. */
  readonly sameTendererCooldownDays: number;
}

export type AvoidanceReason =
  | "employed-by-bidder"
  | "employed-by-tenderer"
  | "employed-by-agent"
  | "relative-of-bidder"
  | "supervising-official"
  | "economic-interest"
  | "past-penalty"
  | "recently-served-tenderer"
  | "suspended";

function overlaps(a: readonly string[], b: readonly string[]): boolean {
  return a.some((x) => b.includes(x));
}

function recentlyServed(expert: ExpertProfile, context: AvoidanceContext): boolean {
  return expert.service.some((s) => {
    const age = daysBetween(s.date, context.drawDate);
    return s.tendererId === context.tendererId && age >= 0 && age < context.sameTendererCooldownDays;
  });
}

export function avoidanceReasons(expert: ExpertProfile, context: AvoidanceContext): AvoidanceReason[] {
  const checks: [AvoidanceReason, boolean][] = [
    ["employed-by-bidder", overlaps(expert.employerIds, context.bidderIds)],
    ["employed-by-tenderer", expert.employerIds.includes(context.tendererId)],
    ["employed-by-agent", context.agentId !== undefined && expert.employerIds.includes(context.agentId)],
    ["relative-of-bidder", overlaps(expert.relativeOfBidderIds, context.bidderIds)],
    ["supervising-official", overlaps(expert.employerIds, context.supervisingDepartmentIds)],
    ["economic-interest", overlaps(expert.economicInterestBidderIds, context.bidderIds)],
    ["past-penalty", expert.penalised],
    ["recently-served-tenderer", recentlyServed(expert, context)],
    ["suspended", expert.suspended === true],
  ];
  return checks.filter(([, applies]) => applies).map(([reason]) => reason);
}
