import { z } from "zod";
import { db } from "../../platform/db.server.ts";
import { PROCEDURE_TYPES, PUBLIC_STATUSES } from "./enums.ts";
import { EvaluationConfigSchema, QualificationsSchema, ReadOutItemsSchema } from "./form.ts";

export const PAGE_SIZE = 20;

export const NoticeQuerySchema = z.object({
  q: z.string().trim().max(100).default(""),
  type: z.enum(PROCEDURE_TYPES).optional().or(z.literal("").transform(() => undefined)),
  status: z.enum(PUBLIC_STATUSES).optional().or(z.literal("").transform(() => undefined)),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
});
export type NoticeQuery = z.infer<typeof NoticeQuerySchema>;

export interface NoticeSummary {
  id: string;
  code: string;
  title: string;
  procedureType: (typeof PROCEDURE_TYPES)[number];
  status: (typeof PUBLIC_STATUSES)[number];
  tendererName: string;
  estimatedPriceCents: string;
  bidDeadline: string | null;
  publishedAt: string | null;
}

/** Published notices for the public list: newest first, searchable by title or project code. */
export async function listPublicNotices(query: NoticeQuery) {
  const where = {
    status: query.status ? query.status : { in: [...PUBLIC_STATUSES] },
    ...(query.type ? { procedureType: query.type } : {}),
    ...(query.q
      ? {
          OR: [
            { title: { contains: query.q, mode: "insensitive" as const } },
            { code: { contains: query.q, mode: "insensitive" as const } },
          ],
        }
      : {}),
  };
  const [total, rows] = await db().$transaction([
    db().tender.count({ where }),
    db().tender.findMany({
      where,
      orderBy: [{ publishedAt: "desc" }, { code: "asc" }],
      skip: (query.page - 1) * PAGE_SIZE,
      take: PAGE_SIZE,
      select: {
        id: true,
        code: true,
        title: true,
        procedureType: true,
        status: true,
        estimatedPriceCents: true,
        bidDeadline: true,
        publishedAt: true,
        tendererOrg: { select: { name: true } },
      },
    }),
  ]);
  const notices: NoticeSummary[] = rows.map((r) => ({
    id: r.id,
    code: r.code,
    title: r.title,
    procedureType: r.procedureType,
    status: r.status as NoticeSummary["status"],
    tendererName: r.tendererOrg.name,
    estimatedPriceCents: r.estimatedPriceCents.toString(),
    bidDeadline: r.bidDeadline?.toISOString() ?? null,
    publishedAt: r.publishedAt?.toISOString() ?? null,
  }));
  return { notices, total, pages: Math.max(1, Math.ceil(total / PAGE_SIZE)) };
}

/** One public notice; drafts are not public and answer as not found. */
export async function getPublicNotice(id: string) {
  if (!z.string().uuid().safeParse(id).success) return null;
  const r = await db().tender.findFirst({
    where: { id, status: { in: [...PUBLIC_STATUSES] } },
    select: {
      id: true,
      code: true,
      title: true,
      description: true,
      region: true,
      procedureType: true,
      mandatory: true,
      status: true,
      estimatedPriceCents: true,
      bidSecurityCents: true,
      docsIssueAt: true,
      docsAvailableUntil: true,
      bidDeadline: true,
      publishedAt: true,
      bidValidityDays: true,
      evaluationMethod: true,
      evaluationConfig: true,
      qualificationRequirements: true,
      readOutItems: true,
      tendererOrg: { select: { name: true } },
      agentOrg: { select: { name: true } },
      lots: { orderBy: { code: "asc" }, select: { code: true, name: true, estimatedPriceCents: true, bidSecurityCents: true } },
      documents: {
        orderBy: { createdAt: "asc" },
        select: { id: true, kind: true, fileName: true, sizeBytes: true, sha256: true, createdAt: true, clarificationId: true },
      },
      clarifications: {
        orderBy: { number: "asc" },
        select: { id: true, number: true, title: true, body: true, issuedAt: true, previousDeadline: true, bidDeadline: true, deadlineMoved: true },
      },
    },
  });
  if (!r) return null;
  const { tendererOrg, agentOrg, lots, documents, clarifications, evaluationConfig, qualificationRequirements, readOutItems, ...rest } = r;
  const config = EvaluationConfigSchema.safeParse(evaluationConfig);
  return {
    ...rest,
    evaluationConfig: config.success ? config.data : null,
    qualificationRequirements: QualificationsSchema.catch([]).parse(qualificationRequirements),
    readOutItems: ReadOutItemsSchema.catch([]).parse(readOutItems),
    lots: lots.map((l) => ({ ...l, estimatedPriceCents: l.estimatedPriceCents.toString(), bidSecurityCents: l.bidSecurityCents.toString() })),
    documents: documents.map((d) => ({ ...d, sizeBytes: Number(d.sizeBytes), createdAt: d.createdAt.toISOString() })),
    clarifications: clarifications.map((c) => ({
      ...c,
      issuedAt: c.issuedAt.toISOString(),
      previousDeadline: c.previousDeadline.toISOString(),
      bidDeadline: c.bidDeadline.toISOString(),
    })),
    status: r.status as NoticeSummary["status"],
    tendererName: tendererOrg.name,
    agentName: agentOrg?.name ?? null,
    estimatedPriceCents: r.estimatedPriceCents.toString(),
    bidSecurityCents: r.bidSecurityCents.toString(),
    docsIssueAt: r.docsIssueAt?.toISOString() ?? null,
    docsAvailableUntil: r.docsAvailableUntil?.toISOString() ?? null,
    bidDeadline: r.bidDeadline?.toISOString() ?? null,
    publishedAt: r.publishedAt?.toISOString() ?? null,
  };
}
