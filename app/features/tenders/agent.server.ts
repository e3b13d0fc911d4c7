import { z } from "zod";
import { potentialBiddersDisclosable } from "../../../bidding-core/index";
import { Prisma } from "../../generated/prisma/client.ts";
import type { DocumentKind } from "../../generated/prisma/enums.ts";
import type { SessionUser } from "../../platform/auth/auth.server.ts";
import { appendAudit } from "../../platform/audit/audit.server.ts";
import { invalidatePublicTender } from "../../platform/public-cache.server.ts";
import { db, type Tx } from "../../platform/db.server.ts";
import { notifyUser } from "../../platform/realtime.server.ts";
import * as storage from "../../platform/storage.server.ts";
import { applyEvent } from "./lifecycle.server.ts";
import { checkEvaluationConfig, type TenderInput } from "./form.ts";
import type { StagedUpload } from "./document-upload.server.ts";
import { scheduleCloseBidding } from "./close-bidding.jobs.server.ts";
import { prepareTenderEscrow } from "../escrow/index.ts";
import * as clock from "../../platform/clock.server.ts";
import { refuse, refusalFromDomain, type Outcome } from "../../platform/refusal.ts";
import { AUDIT_SUBJECT } from "../../platform/audit/subjects.ts";

/**
 * The agent's side of a tender: create, edit the draft, attach documents, publish, clarify,
 * and the holder list. Every change and its audit entry commit in one transaction.
 */

/** What the agent's actions answer: the value, or a refusal (`tender.…`, 409; decision 062). */
export type AgentResult<T> = Outcome<T>;

/** Tenders the agent's organisation owns: created by one of its users, or it is the agent. */
export function ownedBy(user: SessionUser): Prisma.TenderWhereInput {
  if (!user.organizationId) return { createdById: user.id };
  return { OR: [{ agentOrgId: user.organizationId }, { createdBy: { organizationId: user.organizationId } }] };
}

export async function listAgentTenders(user: SessionUser) {
  const rows = await db().tender.findMany({
    where: ownedBy(user),
    orderBy: [{ updatedAt: "desc" }],
    select: { id: true, code: true, title: true, status: true, bidDeadline: true, publishedAt: true, updatedAt: true },
  });
  return rows.map((r) => ({
    ...r,
    bidDeadline: r.bidDeadline?.toISOString() ?? null,
    publishedAt: r.publishedAt?.toISOString() ?? null,
    updatedAt: r.updatedAt.toISOString(),
  }));
}

/** Organisations the agent may name as 招标人: registered tenderers, or its own if it is one. */
export async function tendererChoices(user: SessionUser) {
  return db().organization.findMany({
    where: { OR: [{ kind: "TENDERER" }, ...(user.organizationId ? [{ id: user.organizationId }] : [])] },
    orderBy: { name: "asc" },
    select: { id: true, name: true },
  });
}

export async function getAgentTender(user: SessionUser, id: string) {
  if (!z.string().uuid().safeParse(id).success) return null;
  return db().tender.findFirst({
    where: { AND: [{ id }, ownedBy(user)] },
    include: {
      lots: { orderBy: { code: "asc" } },
      documents: { orderBy: { createdAt: "asc" } },
      clarifications: { orderBy: { number: "asc" } },
      tendererOrg: { select: { name: true } },
    },
  });
}
export type AgentTender = NonNullable<Awaited<ReturnType<typeof getAgentTender>>>;

function tenderData(input: TenderInput) {
  return {
    title: input.title,
    code: input.code,
    procedureType: input.procedureType,
    mandatory: input.mandatory,
    tendererOrgId: input.tendererOrgId,
    region: input.region,
    description: input.description,
    estimatedPriceCents: input.estimatedPriceCents,
    bidSecurityCents: input.bidSecurityCents,
    bidValidityDays: input.bidValidityDays,
    decryptionWindowMinutes: input.decryptionWindowMinutes,
    escrowRemedy: input.escrowRemedy,
    docsIssueAt: input.docsIssueAt,
    docsAvailableUntil: input.docsAvailableUntil,
    bidDeadline: input.bidDeadline,
    qualificationRequirements: input.qualificationRequirements as unknown as Prisma.InputJsonValue,
    readOutItems: input.readOutItems as unknown as Prisma.InputJsonValue,
    evaluationMethod: input.evaluationMethod,
    evaluationConfig: input.evaluationConfig as unknown as Prisma.InputJsonValue,
  };
}

function auditSummary(input: TenderInput) {
  return {
    code: input.code,
    title: input.title,
    estimatedPriceCents: input.estimatedPriceCents,
    bidSecurityCents: input.bidSecurityCents,
    docsIssueAt: input.docsIssueAt.toISOString(),
    docsAvailableUntil: input.docsAvailableUntil.toISOString(),
    bidDeadline: input.bidDeadline.toISOString(),
    lots: input.lots.length,
    readOutItems: input.readOutItems.map((r) => r.label),
    evaluationMethod: input.evaluationMethod,
  };
}

function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
}

async function tendererAllowed(user: SessionUser, tendererOrgId: string): Promise<boolean> {
  const choices = await tendererChoices(user);
  return choices.some((c) => c.id === tendererOrgId);
}

export async function createTender(user: SessionUser, input: TenderInput): Promise<AgentResult<{ id: string }>> {
  if (!(await tendererAllowed(user, input.tendererOrgId))) return refuse("tender.invalid.tenderer", 409);
  try {
    const id = await db().$transaction(async (tx) => {
      const tender = await tx.tender.create({
        data: {
          ...tenderData(input),
          status: "DRAFT",
          createdById: user.id,
          agentOrgId: user.organizationId,
          lots: { create: input.lots },
        },
        select: { id: true },
      });
      await appendAudit(
        {
          actorId: user.id,
          action: "tender.created",
          subjectType: AUDIT_SUBJECT.Tender,
          subjectId: tender.id,
          data: auditSummary(input),
        },
        tx,
      );
      return tender.id;
    });
    return { ok: true, value: { id } };
  } catch (error) {
    if (isUniqueViolation(error)) return refuse("tender.invalid.codeTaken", 409);
    throw error;
  }
}

export async function updateDraft(user: SessionUser, id: string, input: TenderInput): Promise<AgentResult<null>> {
  if (!(await tendererAllowed(user, input.tendererOrgId))) return refuse("tender.invalid.tenderer", 409);
  try {
    return await db().$transaction(async (tx) => {
      const updated = await tx.tender.updateMany({
        where: { AND: [{ id, status: "DRAFT" }, ownedBy(user)] },
        data: tenderData(input),
      });
      if (updated.count !== 1) return refuse("tender.invalid.notDraft", 409);
      await tx.tenderLot.deleteMany({ where: { tenderId: id } });
      await tx.tenderLot.createMany({ data: input.lots.map((l) => ({ ...l, tenderId: id })) });
      await appendAudit(
        {
          actorId: user.id,
          action: "tender.updated",
          subjectType: AUDIT_SUBJECT.Tender,
          subjectId: id,
          data: auditSummary(input),
        },
        tx,
      );
      return { ok: true, value: null };
    });
  } catch (error) {
    if (isUniqueViolation(error)) return refuse("tender.invalid.codeTaken", 409);
    throw error;
  }
}

/**
 * Stores a validated PDF and its row. The file is moved to its content-hash path first; the row
 * and audit entry follow in one transaction, and if that fails the file is removed again unless
 * another row already uses the same content.
 */
async function storeDocument(
  tx: Tx,
  user: SessionUser,
  tenderId: string,
  upload: StagedUpload,
  kind: DocumentKind,
  clarificationId: string | null,
) {
  const doc = await tx.tenderDocument.create({
    data: {
      tenderId,
      clarificationId,
      kind,
      fileName: upload.fileName,
      mediaType: "application/pdf",
      sizeBytes: BigInt(upload.staged.sizeBytes),
      sha256: upload.staged.sha256,
      storageKey: upload.staged.sha256,
      uploadedById: user.id,
    },
    select: { id: true },
  });
  await appendAudit(
    {
      actorId: user.id,
      action: "tender.document_attached",
      subjectType: AUDIT_SUBJECT.Tender,
      subjectId: tenderId,
      data: {
        documentId: doc.id,
        kind,
        fileName: upload.fileName,
        sha256: upload.staged.sha256,
        sizeBytes: upload.staged.sizeBytes,
        clarificationId,
      },
    },
    tx,
  );
  return doc;
}

async function withStoredFile<T extends { ok: boolean }>(upload: StagedUpload | null, work: () => Promise<T>): Promise<T> {
  if (!upload) return work();
  const wasStored = await storage.has(upload.staged.sha256);
  await storage.commit(upload.staged);
  const cleanUp = async () => {
    const referenced = await db().tenderDocument.count({ where: { sha256: upload.staged.sha256 } });
    if (!wasStored && referenced === 0) await storage.remove(upload.staged.sha256);
  };
  try {
    const result = await work();
    if (!result.ok) await cleanUp();
    return result;
  } catch (error) {
    await cleanUp();
    throw error;
  }
}

export async function attachTenderDocument(
  user: SessionUser,
  id: string,
  upload: StagedUpload,
): Promise<AgentResult<{ id: string }>> {
  const tender = await db().tender.findFirst({ where: { AND: [{ id }, ownedBy(user)] }, select: { status: true } });
  if (!tender || tender.status !== "DRAFT") {
    await storage.discard(upload.staged);
    return refuse("tender.invalid.notDraft", 409);
  }
  return withStoredFile(upload, async () => {
    const doc = await db().$transaction((tx) => storeDocument(tx, user, id, upload, "TENDER_DOCUMENTS", null));
    return { ok: true as const, value: doc };
  });
}

export async function publishTender(
  user: SessionUser,
  id: string,
  now = clock.now(),
): Promise<AgentResult<{ bidDeadline: Date }>> {
  const result = await db().$transaction(async (tx): Promise<AgentResult<{ bidDeadline: Date }>> => {
    const row = await tx.tender.findFirst({
      where: { AND: [{ id }, ownedBy(user)] },
      select: {
        status: true,
        procedureType: true,
        mandatory: true,
        docsIssueAt: true,
        docsAvailableUntil: true,
        bidDeadline: true,
        code: true,
        evaluationConfig: true,
        _count: { select: { documents: { where: { kind: "TENDER_DOCUMENTS" } } } },
      },
    });
    if (!row) return refuse("tender.invalid.notFound", 409);
    if (row.status === "DRAFT" && row._count.documents === 0) return refuse("tender.invalid.documentsRequired", 409);
    if (!row.docsIssueAt || !row.docsAvailableUntil || !row.bidDeadline) return refuse("tender.invalid.scheduleRequired", 409);
    // Bidders must know how they will be scored (TBL Art 19): no notice without a valid scoring table.
    const scoring = checkEvaluationConfig(row.evaluationConfig);
    if (scoring) return refusalFromDomain(scoring, "tender.errors", 409);
    const outcome = applyEvent(
      row,
      {
        type: "publish",
        schedule: { documentsFrom: row.docsIssueAt, documentsUntil: row.docsAvailableUntil, bidDeadline: row.bidDeadline },
      },
      now,
    );
    if (!outcome.ok) return refusalFromDomain(outcome.error, "tender.errors", 409);
    const updated = await tx.tender.updateMany({
      where: { id, status: "DRAFT" },
      data: { status: outcome.status, publishedAt: now, docsIssueAt: outcome.docsIssueAt, bidDeadline: outcome.bidDeadline },
    });
    if (updated.count !== 1) return refuse("tender.invalid.notDraft", 409);
    await appendAudit(
      {
        actorId: user.id,
        action: "tender.published",
        subjectType: AUDIT_SUBJECT.Tender,
        subjectId: id,
        data: {
          code: row.code,
          docsIssueAt: outcome.docsIssueAt?.toISOString(),
          bidDeadline: outcome.bidDeadline?.toISOString(),
        },
      },
      tx,
    );
    return { ok: true, value: { bidDeadline: outcome.bidDeadline! } };
  });
  if (!result.ok) return result;
  // After commit: the public list, feed and notice show the new notice from the next request on.
  await invalidatePublicTender(id);
  await scheduleCloseBidding(id, result.value.bidDeadline);
  await prepareTenderEscrow(id);
  return result;
}

export interface ClarificationInput {
  title: string;
  body: string;
  affectsPreparation: boolean;
}

export interface ClarificationIssued {
  id: string;
  number: number;
  deadlineMoved: boolean;
  previousDeadline: Date;
  bidDeadline: Date;
}

/**
 * 澄清或者修改 (Regs Art 21): bidding-core decides whether the deadline moves; the clarification,
 * the new deadline, its optional PDF, a notification for every user of every organisation that
 * holds the documents, and the audit entry commit together. Live pushes go out after commit.
 */
export async function issueClarification(
  user: SessionUser,
  id: string,
  input: ClarificationInput,
  upload: StagedUpload | null,
  now = clock.now(),
): Promise<AgentResult<ClarificationIssued>> {
  const owned = await db().tender.findFirst({ where: { AND: [{ id }, ownedBy(user)] }, select: { id: true } });
  if (!owned) {
    if (upload) await storage.discard(upload.staged);
    return refuse("tender.invalid.notFound", 409);
  }
  const result = await withStoredFile(upload, () =>
    db().$transaction(
      async (tx): Promise<AgentResult<ClarificationIssued & { userIds: string[]; code: string; title: string }>> => {
        // Row lock: two clarifications at once must not both take the same number or deadline.
        await tx.$queryRaw`SELECT id FROM tender WHERE id = ${id}::uuid FOR UPDATE`;
        const row = await tx.tender.findUniqueOrThrow({
          where: { id },
          select: {
            status: true,
            procedureType: true,
            mandatory: true,
            docsIssueAt: true,
            docsAvailableUntil: true,
            bidDeadline: true,
            code: true,
            title: true,
          },
        });
        const outcome = applyEvent(row, { type: "clarify", affectsPreparation: input.affectsPreparation }, now);
        if (!outcome.ok) return refusalFromDomain(outcome.error, "tender.errors", 409);
        const previousDeadline = row.bidDeadline!;
        const bidDeadline = outcome.bidDeadline!;
        const deadlineMoved = bidDeadline.getTime() !== previousDeadline.getTime();
        const number = (await tx.clarification.count({ where: { tenderId: id } })) + 1;
        const clarification = await tx.clarification.create({
          data: {
            tenderId: id,
            number,
            title: input.title,
            body: input.body,
            affectsPreparation: input.affectsPreparation,
            issuedAt: now,
            previousDeadline,
            bidDeadline,
            deadlineMoved,
            issuedById: user.id,
          },
          select: { id: true },
        });
        await tx.tender.update({ where: { id }, data: { status: outcome.status, bidDeadline } });
        if (upload) await storeDocument(tx, user, id, upload, "CLARIFICATION", clarification.id);
        const holders = await tx.documentDownload.findMany({
          where: { tenderId: id },
          distinct: ["organizationId"],
          select: { organizationId: true },
        });
        const users = await tx.user.findMany({
          where: { organizationId: { in: holders.map((h) => h.organizationId) }, disabledAt: null },
          select: { id: true },
        });
        // The body holds the message parameters; the notifications page renders them per language.
        const body = JSON.stringify({
          code: row.code,
          tenderTitle: row.title,
          number,
          title: input.title,
          deadlineMoved,
          bidDeadline: bidDeadline.toISOString(),
        });
        await tx.notification.createMany({
          data: users.map((u) => ({
            userId: u.id,
            kind: "tender.clarification",
            title: input.title,
            body,
            link: `/tenders/${id}#clarification-${number}`,
          })),
        });
        await appendAudit(
          {
            actorId: user.id,
            action: "tender.clarified",
            subjectType: AUDIT_SUBJECT.Tender,
            subjectId: id,
            data: {
              clarificationId: clarification.id,
              number,
              affectsPreparation: input.affectsPreparation,
              previousDeadline: previousDeadline.toISOString(),
              bidDeadline: bidDeadline.toISOString(),
              deadlineMoved,
              // No holder or user count: the agent reads this entry, and the number of potential
              // bidders must stay secret until the deadline (TBL Art 22). The notification rows
              // themselves record who was told.
            },
          },
          tx,
        );
        return {
          ok: true,
          value: {
            id: clarification.id,
            number,
            deadlineMoved,
            previousDeadline,
            bidDeadline,
            userIds: users.map((u) => u.id),
            code: row.code,
            title: row.title,
          },
        };
      },
    ),
  );
  if (!result.ok) return result;
  const { userIds, code, title, ...issued } = result.value;
  // Before anyone is told: a holder following the notification must find the clarification on
  // the public notice page (a stale notice is a legal problem, decision 070).
  await invalidatePublicTender(id);
  for (const userId of userIds) {
    notifyUser(userId, "notification", {
      kind: "tender.clarification",
      tenderId: id,
      code,
      title,
      number: issued.number,
      deadlineMoved: issued.deadlineMoved,
      bidDeadline: issued.bidDeadline.toISOString(),
    });
  }
  if (issued.deadlineMoved) await scheduleCloseBidding(id, issued.bidDeadline);
  return { ok: true, value: issued };
}

/** TBL Art 22: who obtained the documents, only once bidding-core says it may be disclosed. */
export async function holderList(tender: { id: string; bidDeadline: Date | null }, now = clock.now()) {
  if (!tender.bidDeadline || !potentialBiddersDisclosable(now, tender.bidDeadline)) return { disclosable: false as const };
  const rows = await db().documentDownload.groupBy({
    by: ["organizationId"],
    where: { tenderId: tender.id },
    _min: { at: true },
    _count: { _all: true },
  });
  const orgs = await db().organization.findMany({
    where: { id: { in: rows.map((r) => r.organizationId) } },
    select: { id: true, name: true, creditCode: true },
  });
  const holders = rows
    .map((r) => {
      const org = orgs.find((o) => o.id === r.organizationId);
      return {
        organizationId: r.organizationId,
        name: org?.name ?? "",
        creditCode: org?.creditCode ?? "",
        firstAt: r._min.at?.toISOString() ?? null,
        downloads: r._count._all,
      };
    })
    .sort((a, b) => (a.firstAt ?? "").localeCompare(b.firstAt ?? ""));
  return { disclosable: true as const, holders };
}
