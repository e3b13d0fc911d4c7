// 专家库: applications, the trading centre's decisions, declarations, penalties, specialties.
import { randomBytes } from "node:crypto";
import type { z } from "zod";
import { Prisma } from "../../generated/prisma/client.ts";
import type { ExpertStatus } from "../../generated/prisma/enums.ts";
import { appendAudit } from "../../platform/audit/audit.server.ts";
import { AUDIT_SUBJECT } from "../../platform/audit/subjects.ts";
import { now } from "../../platform/clock.server.ts";
import { refuse, type Refused } from "../../platform/refusal.ts";
import { db, type Tx } from "../../platform/db.server.ts";
import { hashPassword } from "../accounts/index.ts";
import { parseBeijingLocal } from "../tenders/index.ts";
import type { DeclarationInput, ExpertApplicationInput, PoolDecisionSchema, SpecialtySchema } from "./forms.ts";
import { idNumberHash } from "./id-hash.server.ts";

export type ApplyError = "emailTaken" | "idNumberTaken" | "unknownSpecialty";

/** The pool's refusals (decision 062): `experts.pool.<key>`. */
const REFUSED = {
  notFound: refuse("experts.pool.notFound", 404),
  badTransition: refuse("experts.pool.badTransition", 409),
  specialtyExists: refuse("experts.pool.specialtyExists", 409),
  noParent: refuse("experts.pool.noParent", 400),
} as const;

async function employerOrg(tx: Tx, name: string, creditCode: string): Promise<string> {
  const existing = await tx.organization.findUnique({ where: { creditCode }, select: { id: true } });
  if (existing) return existing.id;
  const created = await tx.organization.create({ data: { name, creditCode, kind: "EXPERT_EMPLOYER" }, select: { id: true } });
  return created.id;
}

async function checkSpecialties(codes: readonly string[]): Promise<boolean> {
  const found = await db().expertSpecialty.count({ where: { code: { in: [...codes] }, level: 3 } });
  return found === new Set(codes).size;
}

/**
 * A person applies to the pool: their account (role EXPERT, attached to their employer, which
 * their certificate will name) and a PENDING record, in one transaction with its audit entry.
 * The ID number is kept only as its keyed hash; one person has one record.
 */
export async function applyAsExpert(
  input: ExpertApplicationInput,
  meta: { ip?: string; enteredBy?: string } = {},
): Promise<{ ok: true; userId: string; expertId: string } | { ok: false; field: string; error: ApplyError }> {
  if (!(await checkSpecialties(input.specialties))) return { ok: false, field: "specialties", error: "unknownSpecialty" };
  const passwordHash = await hashPassword(input.password);
  const idHash = idNumberHash(input.idNumber);
  try {
    return await db().$transaction(async (tx) => {
      const organizationId = await employerOrg(tx, input.employerName, input.employerCreditCode);
      const user = await tx.user.create({
        data: { email: input.email, name: input.name, phone: input.phone, passwordHash, role: "EXPERT", organizationId },
        select: { id: true },
      });
      const expert = await tx.expert.create({
        data: {
          userId: user.id,
          name: input.name,
          idNumberHash: idHash,
          employerOrgId: organizationId,
          title: input.title,
          yearsOfPractice: input.yearsOfPractice,
          region: input.region,
          phone: input.phone,
          // Entered by the trading centre: approved by the same act.
          ...(meta.enteredBy ? { status: "APPROVED" as const, decidedAt: now(), decidedById: meta.enteredBy } : {}),
          specialties: { create: [...new Set(input.specialties)].map((specialtyCode) => ({ specialtyCode })) },
        },
        select: { id: true },
      });
      await appendAudit(
        {
          actorId: meta.enteredBy ?? user.id,
          action: meta.enteredBy ? "experts.entered" : "experts.applied",
          subjectType: AUDIT_SUBJECT.Expert,
          subjectId: expert.id,
          data: { userId: user.id, specialties: input.specialties, employerOrgId: organizationId, ip: meta.ip },
        },
        tx,
      );
      return { ok: true as const, userId: user.id, expertId: expert.id };
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      const target = JSON.stringify(error.meta ?? {});
      return /id_number|idNumber/.test(target)
        ? { ok: false, field: "idNumber", error: "idNumberTaken" }
        : { ok: false, field: "email", error: "emailTaken" };
    }
    throw error;
  }
}

/**
 * The trading centre enters an expert itself: the record is approved at once and the account
 * gets a generated password, shown to the admin once, to hand over (there is no password change
 * page yet: see the feature README).
 */
export async function enterExpert(adminId: string, input: Omit<ExpertApplicationInput, "password">) {
  const password = randomBytes(12).toString("base64url");
  const result = await applyAsExpert({ ...input, password }, { enteredBy: adminId });
  return result.ok ? { ...result, password } : result;
}

const NEXT: Record<string, { from: readonly ExpertStatus[]; to: ExpertStatus; action: string }> = {
  approve: { from: ["PENDING", "REJECTED"], to: "APPROVED", action: "experts.approved" },
  reject: { from: ["PENDING"], to: "REJECTED", action: "experts.rejected" },
  suspend: { from: ["APPROVED"], to: "SUSPENDED", action: "experts.suspended" },
  reinstate: { from: ["SUSPENDED"], to: "APPROVED", action: "experts.reinstated" },
};

/** The trading centre (ADMIN) approves, rejects, suspends, reinstates or records a penalty; audited. */
export async function decidePool(adminId: string, decision: z.infer<typeof PoolDecisionSchema>): Promise<{ ok: true } | Refused> {
  const at = now();
  return db().$transaction(async (tx) => {
    const expert = await tx.expert.findUnique({ where: { id: decision.expertId }, select: { id: true, status: true } });
    if (!expert) return REFUSED.notFound;
    if (decision.intent === "penalty") {
      const endsAt = parseBeijingLocal(`${decision.endsOn}T23:59`);
      if (!endsAt || endsAt <= at) return REFUSED.badTransition;
      const penalty = await tx.expertPenalty.create({
        data: { expertId: expert.id, reason: decision.reason, startsAt: at, endsAt, recordedById: adminId },
        select: { id: true },
      });
      await appendAudit(
        {
          actorId: adminId,
          action: "experts.penalty_recorded",
          subjectType: AUDIT_SUBJECT.Expert,
          subjectId: expert.id,
          data: { penaltyId: penalty.id, reason: decision.reason, endsAt: endsAt.toISOString() },
        },
        tx,
      );
      return { ok: true as const };
    }
    const rule = NEXT[decision.intent]!;
    if (!rule.from.includes(expert.status)) return REFUSED.badTransition;
    const reason = "reason" in decision ? decision.reason : null;
    await tx.expert.update({
      where: { id: expert.id },
      data: { status: rule.to, decidedAt: at, decidedById: adminId, statusReason: reason },
    });
    await appendAudit(
      {
        actorId: adminId,
        action: rule.action,
        subjectType: AUDIT_SUBJECT.Expert,
        subjectId: expert.id,
        data: { from: expert.status, to: rule.to, reason },
      },
      tx,
    );
    return { ok: true as const };
  });
}

const LIST_SELECT = {
  id: true,
  name: true,
  title: true,
  region: true,
  phone: true,
  status: true,
  yearsOfPractice: true,
  createdAt: true,
  statusReason: true,
  employer: { select: { name: true, creditCode: true } },
  specialties: { select: { specialty: { select: { code: true, nameZh: true, nameEn: true } } } },
  penalties: { orderBy: { endsAt: "desc" as const }, select: { id: true, reason: true, startsAt: true, endsAt: true } },
} as const;

/** The pool as the trading centre sees it: search by name, employer or specialty, filter by status. */
export async function listPool(query: { q?: string; status?: ExpertStatus; specialty?: string }) {
  const q = query.q?.trim();
  const rows = await db().expert.findMany({
    where: {
      ...(query.status ? { status: query.status } : {}),
      ...(query.specialty ? { specialties: { some: { specialtyCode: query.specialty } } } : {}),
      ...(q ? { OR: [{ name: { contains: q } }, { employer: { name: { contains: q } } }, { region: { contains: q } }] } : {}),
    },
    orderBy: [{ status: "asc" }, { createdAt: "asc" }],
    take: 500,
    select: LIST_SELECT,
  });
  const at = now();
  return rows.map((r) => ({
    ...r,
    createdAt: r.createdAt.toISOString(),
    specialties: r.specialties.map((s) => s.specialty),
    activePenalty: r.penalties.some((p) => p.startsAt <= at && at < p.endsAt),
    penalties: r.penalties.map((p) => ({ ...p, startsAt: p.startsAt.toISOString(), endsAt: p.endsAt.toISOString() })),
  }));
}

/** An expert's own record and declarations. */
export async function ownRecord(userId: string) {
  const row = await db().expert.findUnique({
    where: { userId },
    select: {
      ...LIST_SELECT,
      declarations: {
        orderBy: { createdAt: "asc" },
        select: { id: true, kind: true, organizationName: true, creditCode: true, relation: true, endedOn: true },
      },
    },
  });
  if (!row) return null;
  return {
    ...row,
    createdAt: row.createdAt.toISOString(),
    specialties: row.specialties.map((s) => s.specialty),
    penalties: row.penalties.map((p) => ({ ...p, startsAt: p.startsAt.toISOString(), endsAt: p.endsAt.toISOString() })),
    declarations: row.declarations.map((d) => ({ ...d, endedOn: d.endedOn ? d.endedOn.toISOString().slice(0, 10) : null })),
  };
}

export async function isApprovedExpert(userId: string): Promise<boolean> {
  return (await db().expert.count({ where: { userId, status: "APPROVED" } })) === 1;
}

export async function addDeclaration(userId: string, input: DeclarationInput): Promise<{ ok: boolean }> {
  return db().$transaction(async (tx) => {
    const expert = await tx.expert.findUnique({ where: { userId }, select: { id: true } });
    if (!expert) return { ok: false };
    const row = await tx.expertDeclaration.create({
      data: {
        expertId: expert.id,
        kind: input.kind,
        organizationName: input.organizationName,
        creditCode: input.creditCode,
        relation: input.relation,
        endedOn: input.endedOn ? new Date(`${input.endedOn}T00:00:00Z`) : null,
      },
      select: { id: true },
    });
    await appendAudit(
      {
        actorId: userId,
        action: "experts.declaration_added",
        subjectType: AUDIT_SUBJECT.Expert,
        subjectId: expert.id,
        data: { declarationId: row.id, kind: input.kind, creditCode: input.creditCode },
      },
      tx,
    );
    return { ok: true };
  });
}

export async function removeDeclaration(userId: string, declarationId: string): Promise<void> {
  await db().$transaction(async (tx) => {
    const expert = await tx.expert.findUnique({ where: { userId }, select: { id: true } });
    if (!expert) return;
    const removed = await tx.expertDeclaration.deleteMany({ where: { id: declarationId, expertId: expert.id } });
    if (removed.count > 0)
      await appendAudit(
        {
          actorId: userId,
          action: "experts.declaration_removed",
          subjectType: AUDIT_SUBJECT.Expert,
          subjectId: expert.id,
          data: { declarationId },
        },
        tx,
      );
  });
}

/** The classification as a tree: 工程/货物/服务 → field → speciality. */
export async function specialtyTree() {
  const rows = await db().expertSpecialty.findMany({
    orderBy: { code: "asc" },
    select: { code: true, level: true, parentCode: true, nameZh: true, nameEn: true },
  });
  return rows;
}

/** The trading centre extends the classification; the parent is the code without its last two digits. */
export async function addSpecialty(adminId: string, input: z.infer<typeof SpecialtySchema>): Promise<{ ok: true } | Refused> {
  const level = input.code.length === 3 ? 2 : 3;
  const parentCode = input.code.slice(0, input.code.length - 2);
  return db().$transaction(async (tx) => {
    const parent = await tx.expertSpecialty.findUnique({ where: { code: parentCode }, select: { level: true } });
    if (!parent || parent.level !== level - 1) return REFUSED.noParent;
    const exists = await tx.expertSpecialty.findUnique({ where: { code: input.code }, select: { code: true } });
    if (exists) return REFUSED.specialtyExists;
    await tx.expertSpecialty.create({
      data: { code: input.code, level, parentCode, nameZh: input.nameZh, nameEn: input.nameEn },
    });
    await appendAudit(
      {
        actorId: adminId,
        action: "experts.specialty_added",
        subjectType: AUDIT_SUBJECT.ExpertSpecialty,
        subjectId: input.code,
        data: { ...input, level, parentCode },
      },
      tx,
    );
    return { ok: true as const };
  });
}
