import { z } from "zod";
import { publicDb } from "../../platform/db.server.ts";
import { publicRead } from "../../platform/public-gate.server.ts";
import { readKeysetPage } from "../../platform/keyset-page.server.ts";
import { PROCEDURE_TYPES, PUBLIC_STATUSES } from "./enums.ts";
import { EvaluationConfigSchema, QualificationsSchema, ReadOutItemsSchema } from "./form.ts";

export const PAGE_SIZE = 20;
/** Past this many matches the list says "more than …" instead of counting on (decision 070). */
export const COUNT_BOUND = 10_000;

// A keyset position in the list: the publication time and id of a notice (`<ISO>~<uuid>`).
const CURSOR = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)~([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;
const Cursor = z
  .string()
  .regex(CURSOR)
  .transform((v) => {
    const [, at = "", id = ""] = CURSOR.exec(v) ?? [];
    return { at: new Date(at), id };
  })
  .refine((c) => !Number.isNaN(c.at.getTime()));
export type ListCursor = { at: Date; id: string };

export const NoticeQuerySchema = z.object({
  q: z.string().trim().max(100).default(""),
  type: z
    .enum(PROCEDURE_TYPES)
    .optional()
    .or(z.literal("").transform(() => undefined)),
  status: z
    .enum(PUBLIC_STATUSES)
    .optional()
    .or(z.literal("").transform(() => undefined)),
  // Keyset paging: the page after (older than) or before (newer than) a notice.
  after: Cursor.optional(),
  before: Cursor.optional(),
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

export function cursorOf(n: { publishedAt: string | null; id: string }): string {
  return `${n.publishedAt ?? ""}~${n.id}`;
}

/** `contains`, case-insensitively, with LIKE's wildcards in the search taken literally. */
function likePattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * The statements of the list, shared with the benchmark's EXPLAIN: the filter, the keyset page
 * (newest first, by publication time then id; never OFFSET) and a count that stops at COUNT_BOUND.
 */
export function noticeListSql(query: NoticeQuery): {
  page: { text: string; values: unknown[] };
  count: { text: string; values: unknown[] };
} {
  const values: unknown[] = [query.status ? [query.status] : [...PUBLIC_STATUSES]];
  const where = [`t.status = ANY($1::"TenderStatus"[])`, "t.published_at IS NOT NULL"];
  if (query.type) {
    values.push(query.type);
    where.push(`t.procedure_type = $${values.length}::"ProcedureType"`);
  }
  if (query.q) {
    values.push(likePattern(query.q));
    where.push(`(t.title ILIKE $${values.length} OR t.code ILIKE $${values.length})`);
  }
  const countValues = [...values];
  const countWhere = [...where];
  const backwards = !query.after && Boolean(query.before);
  const cursor = query.after ?? query.before;
  if (cursor) {
    values.push(cursor.at, cursor.id);
    where.push(`(t.published_at, t.id) ${backwards ? ">" : "<"} ($${values.length - 1}, $${values.length}::uuid)`);
  }
  const order = backwards ? "ASC" : "DESC";
  const page = {
    text: `SELECT t.id, t.code, t.title, t.procedure_type::text AS "procedureType", t.status::text AS status,
                  t.estimated_price_cents::text AS "estimatedPriceCents", t.bid_deadline AS "bidDeadline",
                  t.published_at AS "publishedAt", o.name AS "tendererName"
             FROM tender t JOIN organization o ON o.id = t.tenderer_org_id
            WHERE ${where.join(" AND ")}
            ORDER BY t.published_at ${order}, t.id ${order}
            LIMIT ${PAGE_SIZE + 1}`,
    values,
  };
  const count = {
    text: `SELECT count(*)::int AS n FROM (SELECT 1 FROM tender t WHERE ${countWhere.join(" AND ")} LIMIT ${COUNT_BOUND + 1}) bounded`,
    values: countValues,
  };
  return { page, count };
}

interface NoticeRow extends Omit<NoticeSummary, "bidDeadline" | "publishedAt"> {
  bidDeadline: Date | null;
  publishedAt: Date | null;
}

/**
 * Published notices for the public list: newest first, searchable by title or project code, one
 * keyset page. Two plain statements on the public pool, one after the other and outside any
 * transaction (a public read never holds more than one connection, decision 070).
 */
export async function listPublicNotices(query: NoticeQuery) {
  const statements = noticeListSql(query);
  const { items, ...rest } = await readKeysetPage<NoticeRow, NoticeSummary>({
    statements,
    query,
    pageSize: PAGE_SIZE,
    countBound: COUNT_BOUND,
    toItem: (r) => ({
      ...r,
      bidDeadline: r.bidDeadline?.toISOString() ?? null,
      publishedAt: r.publishedAt?.toISOString() ?? null,
    }),
    cursorOf,
  });
  return { notices: items, ...rest };
}

/** One public notice (public pool, no transaction); drafts are not public and answer as not found. */
export async function getPublicNotice(id: string) {
  if (!z.string().uuid().safeParse(id).success) return null;
  const r = await publicRead(() =>
    publicDb().tender.findFirst({
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
        decryptionWindowMinutes: true,
        escrowRemedy: true,
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
          select: {
            id: true,
            number: true,
            title: true,
            body: true,
            issuedAt: true,
            previousDeadline: true,
            bidDeadline: true,
            deadlineMoved: true,
          },
        },
      },
    }),
  );
  if (!r) return null;
  const {
    tendererOrg,
    agentOrg,
    lots,
    documents,
    clarifications,
    evaluationConfig,
    qualificationRequirements,
    readOutItems,
    ...rest
  } = r;
  const config = EvaluationConfigSchema.safeParse(evaluationConfig);
  return {
    ...rest,
    evaluationConfig: config.success ? config.data : null,
    qualificationRequirements: QualificationsSchema.catch([]).parse(qualificationRequirements),
    readOutItems: ReadOutItemsSchema.catch([]).parse(readOutItems),
    lots: lots.map((l) => ({
      ...l,
      estimatedPriceCents: l.estimatedPriceCents.toString(),
      bidSecurityCents: l.bidSecurityCents.toString(),
    })),
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
