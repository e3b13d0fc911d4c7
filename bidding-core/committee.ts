import { avoidanceReasons, type AvoidanceContext, type ExpertProfile } from "./avoidance";
import { err, ok, type Result } from "./errors";
import type { ProcedureRules } from "./procedure-rules";

/**
 * Evaluation committee composition (评标委员会), TBL Art 37: an odd number of members, at least
 * 5, of whom technical and economic experts are at least two thirds; the rest may be the
 * tenderer's representatives. The tender may require experts of given specialties (Regs Art 46).
 */

export type MemberRole = "expert" | "tenderer-representative";

export interface CommitteeMember {
  readonly id: string;
  readonly role: MemberRole;
  readonly specialties: readonly string[];
}

/** Seats the tender reserves for a specialty, e.g. { specialty: "结构", count: 2 }. */
export interface SpecialtyRequirement {
  readonly specialty: string;
  readonly count: number;
}

/** Profiles to re-check avoidance against when the final committee is assembled. */
export interface CommitteeAvoidanceCheck {
  readonly context: AvoidanceContext;
  readonly profiles: readonly ExpertProfile[];
}

export function validateCommittee(input: {
  readonly members: readonly CommitteeMember[];
  readonly requirements: readonly SpecialtyRequirement[];
  readonly rules: ProcedureRules;
  readonly avoidance?: CommitteeAvoidanceCheck;
}): Result<readonly CommitteeMember[]> {
  const { members, rules } = input;
  const size = members.length;
  if (new Set(members.map((m) => m.id)).size !== size) return err("COMMITTEE.DUPLICATE_MEMBER", {});
  if (size % 2 === 0) return err("COMMITTEE.EVEN_SIZE", { size });
  if (size < rules.minCommitteeSize) {
    return err("COMMITTEE.TOO_SMALL", { size, required: rules.minCommitteeSize });
  }
  const experts = members.filter((m) => m.role === "expert");
  // Integer comparison: experts / size ≥ 2/3 without floating point.
  if (experts.length * 3 < size * 2) {
    return err("COMMITTEE.TOO_FEW_EXPERTS", { experts: experts.length, size });
  }
  const avoided = input.avoidance && findAvoidedMember(members, input.avoidance);
  if (avoided) return avoided;
  return checkSpecialties(experts, input.requirements, members);
}

/**
 * Eval-Rules Art 12: no member may have an avoidance reason. The tenderer's own representatives
 * are naturally its employees, so that one reason does not apply to them.
 */
function findAvoidedMember(members: readonly CommitteeMember[], check: CommitteeAvoidanceCheck): Result<never> | undefined {
  for (const member of members) {
    const profile = check.profiles.find((p) => p.id === member.id);
    const reasons = profile ? avoidanceReasons(profile, check.context) : [];
    const relevant =
      member.role === "tenderer-representative"
        ? reasons.filter((r) => r !== "employed-by-tenderer" && r !== "employed-by-agent")
        : reasons;
    if (relevant.length > 0) {
      return err("COMMITTEE.AVOIDED_MEMBER", { memberId: member.id, reasons: relevant.join(",") });
    }
  }
  return undefined;
}

function checkSpecialties(
  experts: readonly CommitteeMember[],
  requirements: readonly SpecialtyRequirement[],
  members: readonly CommitteeMember[],
): Result<readonly CommitteeMember[]> {
  for (const { specialty, count } of requirements) {
    const found = experts.filter((e) => e.specialties.includes(specialty)).length;
    if (found < count) return err("COMMITTEE.MISSING_SPECIALTY", { specialty, required: count, found });
  }
  return ok(members);
}

/**
 * Regs Art 48: evaluation is extended when more than one third of the members say the time is
 * too short.
 */
export function evaluationTimeMustBeExtended(membersAsking: number, committeeSize: number): boolean {
  return membersAsking * 3 > committeeSize;
}

/**
 * Regs Art 53: a member who disagrees states the dissent and reasons in writing and the report
 * notes it; a member who refuses to sign without written reasons is deemed to agree.
 */
export function signatureStance(signed: boolean, writtenDissent: string | undefined): "agrees" | "dissents" | "deemed-to-agree" {
  if (writtenDissent?.trim()) return "dissents";
  return signed ? "agrees" : "deemed-to-agree";
}
