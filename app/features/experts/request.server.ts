// 抽取申请: the agent asks, bidding-core checks (TBL Art 37), an assigned supervisor approves and
// the draw is scheduled with its seed committed (docs/decisions/080).
import { randomBytes } from "node:crypto";
import {
  COMMITTEE_REQUEST_STATUSES,
  commitSeed,
  drawTime,
  poolShortfalls,
  validateCommitteeRequest,
  type DomainError,
  type DrawRequirement,
  type PoolShortfall,
} from "../../../bidding-core/index.ts";
import type { SessionUser } from "../../platform/auth/auth.server.ts";
import { appendAudit } from "../../platform/audit/audit.server.ts";
import { AUDIT_SUBJECT } from "../../platform/audit/subjects.ts";
import { now } from "../../platform/clock.server.ts";
import { refuse, refusalFromDomain, type Refused } from "../../platform/refusal.ts";
import { db } from "../../platform/db.server.ts";
import { parseBeijingLocal, procedureRules, storedStatuses } from "../tenders/index.ts";
import { avoidanceContext, poolProfiles, splitPool } from "./eligibility.server.ts";
import type { CommitteeRequestForm } from "./forms.ts";
import { scheduleDraw } from "./draw.jobs.server.ts";
import { noticeUsers } from "./notifier.server.ts";

type AppRefusal =
  | "notYours"
  | "notReady"
  | "pending"
  | "past"
  | "unknownSpecialty"
  | "badRepresentative"
  | "notAssigned"
  | "notSubmitted"
  | "badDate";

const STATUS_OF: Record<AppRefusal, number> = {
  notYours: 403,
  notAssigned: 403,
  notReady: 409,
  pending: 409,
  notSubmitted: 409,
  past: 400,
  unknownSpecialty: 400,
  badRepresentative: 400,
  badDate: 400,
};

/** A refusal of the request's own (decision 062): `experts.request.<key>`. */
function refuseRequest(key: AppRefusal): Refused {
  return refuse(`experts.request.${key}`, STATUS_OF[key]);
}

/** Regs Art 46: the first specialty short of experts, how many are missing, and how many others are short. */
function refuseShortfall(shortfalls: readonly PoolShortfall[]): Refused {
  const [first, ...others] = shortfalls;
  return refuse("experts.request.shortfall", 422, {
    article: "Regs Art 46",
    params: {
      specialty: first!.specialty,
      needed: first!.needed,
      available: first!.available,
      missing: first!.missing,
      others: others.length,
    },
  });
}

const lawRefusal = (error: DomainError): Refused => refusalFromDomain(error, "tender.errors");

const REQUESTABLE: readonly string[] = storedStatuses(COMMITTEE_REQUEST_STATUSES);
const ACTIVE = ["SUBMITTED", "APPROVED", "DRAWN"] as const;

async function agentTender(user: SessionUser, tenderId: string) {
  const tender = await db().tender.findUnique({
    where: { id: tenderId },
    select: {
      id: true,
      code: true,
      title: true,
      status: true,
      procedureType: true,
      mandatory: true,
      bidDeadline: true,
      agentOrgId: true,
      tendererOrgId: true,
    },
  });
  if (!tender || !user.organizationId || ![tender.agentOrgId, tender.tendererOrgId].includes(user.organizationId)) return null;
  return tender;
}

/** Who the agent may name as 招标人代表: agent-role staff of the tender's agent or tenderer. */
export async function representativeChoices(tenderId: string) {
  const tender = await db().tender.findUnique({ where: { id: tenderId }, select: { agentOrgId: true, tendererOrgId: true } });
  if (!tender) return [];
  const orgs = [tender.tendererOrgId, ...(tender.agentOrgId ? [tender.agentOrgId] : [])];
  return db().user.findMany({
    where: { role: "AGENT", disabledAt: null, organizationId: { in: orgs } },
    orderBy: { name: "asc" },
    select: { id: true, name: true, email: true },
  });
}

/**
 * The eligible pool for a tender right now, against the bidders on record. The draw checks again
 * at its time; this lets a request fail early, saying how many experts each specialty lacks.
 */
export async function currentShortfalls(tenderId: string, requirements: readonly DrawRequirement[]): Promise<PoolShortfall[]> {
  return db().$transaction(async (tx) => {
    const at = now();
    const context = await avoidanceContext(tx, tenderId, at);
    const { eligible } = splitPool(await poolProfiles(tx, requirements, at), context);
    return poolShortfalls(eligible, requirements);
  });
}

export async function submitCommitteeRequest(
  user: SessionUser,
  tenderId: string,
  form: CommitteeRequestForm,
): Promise<{ ok: true; requestId: string } | Refused> {
  const tender = await agentTender(user, tenderId);
  if (!tender) return refuseRequest("notYours");
  if (!REQUESTABLE.includes(tender.status) || !tender.bidDeadline) return refuseRequest("notReady");
  if ((await db().committeeRequest.count({ where: { tenderId, status: { in: [...ACTIVE] } } })) > 0)
    return refuseRequest("pending");
  const requirements = form.requirements;
  const checked = validateCommitteeRequest(
    { requirements, representatives: form.representativeIds.length },
    procedureRules(tender.procedureType, tender.mandatory),
  );
  if (!checked.ok) return lawRefusal(checked.error);
  const evaluationStartAt = parseBeijingLocal(form.evaluationStart);
  if (!evaluationStartAt) return refuseRequest("badDate");
  const when = drawTime({ bidDeadline: tender.bidDeadline, evaluationStart: evaluationStartAt, leadHours: form.drawLeadHours });
  if (!when.ok) return lawRefusal(when.error);
  if (evaluationStartAt <= now()) return refuseRequest("past");
  const codes = requirements.map((r) => r.specialty);
  if ((await db().expertSpecialty.count({ where: { code: { in: codes }, level: 3 } })) !== codes.length)
    return refuseRequest("unknownSpecialty");
  const allowed = new Set((await representativeChoices(tenderId)).map((u) => u.id));
  if (
    new Set(form.representativeIds).size !== form.representativeIds.length ||
    !form.representativeIds.every((id) => allowed.has(id))
  ) {
    return refuseRequest("badRepresentative");
  }
  const shortfalls = await currentShortfalls(tenderId, requirements);
  if (shortfalls.length > 0) return refuseShortfall(shortfalls);
  const request = await db().$transaction(async (tx) => {
    const row = await tx.committeeRequest.create({
      data: {
        tenderId,
        requestedById: user.id,
        requirements: requirements.map((r) => ({ ...r })),
        representativeIds: form.representativeIds,
        evaluationStartAt,
        drawLeadHours: form.drawLeadHours,
        confirmWindowMinutes: form.confirmWindowMinutes,
      },
      select: { id: true },
    });
    await appendAudit(
      {
        actorId: user.id,
        action: "experts.request_submitted",
        subjectType: AUDIT_SUBJECT.Tender,
        subjectId: tenderId,
        data: {
          requestId: row.id,
          requirements: requirements.map((r) => ({ ...r })),
          representatives: form.representativeIds.length,
          evaluationStartAt: evaluationStartAt.toISOString(),
          drawLeadHours: form.drawLeadHours,
        },
      },
      tx,
    );
    return row;
  });
  const supervisors = await db().tenderSupervisor.findMany({ where: { tenderId }, select: { userId: true } });
  await noticeUsers(
    supervisors.map((s) => s.userId),
    "experts.request_submitted",
    tender.code,
    { code: tender.code },
    `/supervisor/committees/${request.id}`,
  );
  return { ok: true, requestId: request.id };
}

/**
 * An assigned supervisor approves (the seed's commitment is fixed and published now, the draw
 * scheduled) or rejects with a note. Returns the draw time to schedule.
 */
export async function decideCommitteeRequest(
  supervisor: SessionUser,
  requestId: string,
  decision: { approve: boolean; note: string },
): Promise<{ ok: true; drawAt: Date | null } | Refused> {
  const request = await db().committeeRequest.findUnique({
    where: { id: requestId },
    select: {
      id: true,
      tenderId: true,
      status: true,
      evaluationStartAt: true,
      drawLeadHours: true,
      tender: { select: { bidDeadline: true, code: true, createdById: true } },
    },
  });
  if (!request) return refuseRequest("notAssigned");
  const assigned = await db().tenderSupervisor.count({ where: { tenderId: request.tenderId, userId: supervisor.id } });
  if (supervisor.role !== "SUPERVISOR" || assigned !== 1) return refuseRequest("notAssigned");
  if (request.status !== "SUBMITTED") return refuseRequest("notSubmitted");
  const at = now();
  const when = request.tender.bidDeadline
    ? drawTime({
        bidDeadline: request.tender.bidDeadline,
        evaluationStart: request.evaluationStartAt,
        leadHours: request.drawLeadHours,
      })
    : null;
  if (decision.approve && (!when || !when.ok)) return when && !when.ok ? lawRefusal(when.error) : refuseRequest("notReady");
  const drawAt = decision.approve && when?.ok ? when.value : null;
  const secret = randomBytes(32);
  const commitment = commitSeed(new Uint8Array(secret));
  const updated = await db().$transaction(async (tx) => {
    const changed = await tx.committeeRequest.updateMany({
      where: { id: requestId, status: "SUBMITTED" },
      data: decision.approve
        ? {
            status: "APPROVED",
            decidedById: supervisor.id,
            decidedAt: at,
            decisionNote: decision.note || null,
            drawAt,
            seedCommitment: commitment,
            seedSecret: secret.toString("hex"),
          }
        : { status: "REJECTED", decidedById: supervisor.id, decidedAt: at, decisionNote: decision.note || null },
    });
    if (changed.count !== 1) return false;
    await appendAudit(
      {
        actorId: supervisor.id,
        action: decision.approve ? "experts.request_approved" : "experts.request_rejected",
        subjectType: AUDIT_SUBJECT.Tender,
        subjectId: request.tenderId,
        data: decision.approve
          ? { requestId, drawAt: drawAt?.toISOString() ?? null, seedCommitment: commitment }
          : { requestId, note: decision.note },
      },
      tx,
    );
    return true;
  });
  if (!updated) return refuseRequest("notSubmitted");
  if (drawAt) await scheduleDraw(requestId, drawAt);
  await noticeUsers(
    [request.tender.createdById],
    decision.approve ? "experts.request_approved" : "experts.request_rejected",
    request.tender.code,
    { code: request.tender.code },
    `/agent/tenders/${request.tenderId}/committee`,
  );
  return { ok: true, drawAt };
}
