// Who may be drawn for a tender: the pool mapped to bidding-core's profiles, and the avoidance
// context from the tender's actual bidders (Eval-Rules Art 12, Regs Art 46).
import {
  avoidanceReasons,
  shanghaiDate,
  type AvoidanceContext,
  type DrawRequirement,
  type EligibleExpert,
  type ExclusionRecord,
  type ExpertProfile,
} from "../../../bidding-core/index.ts";
import type { Tx } from "../../platform/db.server.ts";

const THREE_YEARS_MS = 3 * 365.25 * 24 * 3600_000;

export async function avoidanceContext(tx: Tx, tenderId: string, at: Date): Promise<AvoidanceContext> {
  const tender = await tx.tender.findUniqueOrThrow({
    where: { id: tenderId },
    select: { tendererOrgId: true, agentOrgId: true },
  });
  // One connection per transaction: queries in turn, not in parallel.
  const bids = await tx.bid.findMany({ where: { tenderId, status: "SUBMITTED" }, select: { organizationId: true } });
  const supervisors = await tx.tenderSupervisor.findMany({
    where: { tenderId },
    select: { user: { select: { organizationId: true } } },
  });
  return {
    tendererId: tender.tendererOrgId,
    ...(tender.agentOrgId ? { agentId: tender.agentOrgId } : {}),
    bidderIds: bids.map((b) => b.organizationId),
    supervisingDepartmentIds: supervisors.flatMap((s) => (s.user.organizationId ? [s.user.organizationId] : [])),
    drawDate: shanghaiDate(at),
    // Service history is not kept yet: the same-tenderer cooldown is off.
    sameTendererCooldownDays: 0,
  };
}

/**
 * The pool for these requirements: approved and suspended experts holding a requested specialty
 * (suspended ones so that their exclusion is on record), their specialties narrowed to the
 * requested ones, declarations resolved to organisations by credit code.
 */
export async function poolProfiles(tx: Tx, requirements: readonly DrawRequirement[], at: Date): Promise<ExpertProfile[]> {
  const codes = requirements.map((r) => r.specialty);
  const experts = await tx.expert.findMany({
    where: { status: { in: ["APPROVED", "SUSPENDED"] }, specialties: { some: { specialtyCode: { in: codes } } } },
    select: {
      id: true,
      status: true,
      employerOrgId: true,
      specialties: { select: { specialtyCode: true } },
      declarations: { select: { kind: true, creditCode: true, endedOn: true } },
      penalties: { where: { startsAt: { lte: at }, endsAt: { gt: at } }, select: { id: true } },
    },
  });
  const declared = [...new Set(experts.flatMap((e) => e.declarations.map((d) => d.creditCode)))];
  const orgs = await tx.organization.findMany({
    where: { creditCode: { in: declared } },
    select: { id: true, creditCode: true },
  });
  const orgOf = new Map(orgs.map((o) => [o.creditCode, o.id] as const));
  const resolve = (list: readonly { creditCode: string }[]) =>
    list.flatMap((d) => (orgOf.has(d.creditCode) ? [orgOf.get(d.creditCode)!] : []));
  return experts.map((e) => ({
    id: e.id,
    specialties: e.specialties
      .map((s) => s.specialtyCode)
      .filter((c) => codes.includes(c))
      .sort(),
    employerIds: [e.employerOrgId],
    relativeOfBidderIds: resolve(e.declarations.filter((d) => d.kind === "RELATIVE_EMPLOYER")),
    // A former employer within the last three years counts as an economic interest.
    economicInterestBidderIds: resolve(
      e.declarations.filter(
        (d) => d.kind === "FORMER_EMPLOYER" && d.endedOn && at.getTime() - d.endedOn.getTime() < THREE_YEARS_MS,
      ),
    ),
    penalised: e.penalties.length > 0,
    suspended: e.status === "SUSPENDED",
    service: [],
  }));
}

export function splitPool(
  profiles: readonly ExpertProfile[],
  context: AvoidanceContext,
): { eligible: EligibleExpert[]; excluded: ExclusionRecord[] } {
  const eligible: EligibleExpert[] = [];
  const excluded: ExclusionRecord[] = [];
  for (const p of profiles) {
    const reasons = avoidanceReasons(p, context);
    if (reasons.length > 0) excluded.push({ expertId: p.id, reasons });
    else eligible.push({ id: p.id, specialties: p.specialties });
  }
  const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  eligible.sort((a, b) => byId(a.id, b.id));
  excluded.sort((a, b) => byId(a.expertId, b.expertId));
  return { eligible, excluded };
}
