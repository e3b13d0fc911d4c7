import { z } from "zod";
import { db } from "../../platform/db.server.ts";
import { env } from "../../platform/env.server.ts";
import { buildReleases, releasePackage, type OcdsRelease, type OcdsTenderRow, type ReleasePackage } from "./mapping.ts";
import { PUBLIC_STATUSES } from "../tenders/index.ts";

/**
 * The public OCDS 1.1 feed: release packages of published tenders, ordered by release date,
 * paged with `since` (ISO date, inclusive), `page` and `limit` (docs/decisions/042).
 */

export const OCDS_PAGE_SIZE = 100;

export const FeedQuerySchema = z.object({
  since: z
    .string()
    .datetime({ offset: true })
    .transform((v) => new Date(v))
    .optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  limit: z.coerce.number().int().min(1).max(OCDS_PAGE_SIZE).default(OCDS_PAGE_SIZE),
});
export type FeedQuery = z.infer<typeof FeedQuerySchema>;

const select = {
  id: true,
  code: true,
  title: true,
  description: true,
  procedureType: true,
  status: true,
  estimatedPriceCents: true,
  docsIssueAt: true,
  docsAvailableUntil: true,
  bidDeadline: true,
  publishedAt: true,
  evaluationMethod: true,
  tendererOrg: { select: { id: true, name: true, creditCode: true } },
  agentOrg: { select: { id: true, name: true, creditCode: true } },
  lots: { orderBy: { code: "asc" as const }, select: { code: true, name: true, estimatedPriceCents: true } },
  documents: { orderBy: { createdAt: "asc" as const }, select: { id: true, kind: true, fileName: true, createdAt: true, clarificationId: true } },
  clarifications: {
    orderBy: { number: "asc" as const },
    select: { id: true, number: true, title: true, body: true, issuedAt: true, previousDeadline: true, bidDeadline: true },
  },
};

/**
 * Releases dated at or after `since`, oldest first (ties by tender id, then publication before
 * its clarifications), one page of them. The database pages the (date, tender, number) index of
 * all releases; only the page's tenders are loaded and mapped, so memory and time per request do
 * not grow with the number of tenders on the platform.
 */
export async function releasesPage(query: FeedQuery, baseUrl: string): Promise<{ releases: OcdsRelease[]; hasMore: boolean }> {
  const since = query.since ?? new Date(0);
  const statuses = [...PUBLIC_STATUSES] as string[];
  const offset = (query.page - 1) * query.limit;
  // A tender contributes a release at its publication (number 0) and one per clarification.
  const refs = await db().$queryRaw<{ tender_id: string; number: number }[]>`
    SELECT tender_id, number FROM (
      SELECT t.id AS tender_id, 0 AS number, t.published_at AS date
        FROM tender t
       WHERE t.status::text = ANY(${statuses}) AND t.published_at IS NOT NULL AND t.published_at >= ${since}
      UNION ALL
      SELECT c.tender_id, c.number, c.issued_at AS date
        FROM clarification c JOIN tender t ON t.id = c.tender_id
       WHERE t.status::text = ANY(${statuses}) AND t.published_at IS NOT NULL AND c.issued_at >= ${since}
    ) r
    ORDER BY date, tender_id, number
    OFFSET ${offset} LIMIT ${query.limit + 1}`;
  const page = refs.slice(0, query.limit);
  const rows = await db().tender.findMany({ where: { id: { in: [...new Set(page.map((r) => r.tender_id))] } }, select });
  const byTender = new Map(rows.map((row) => [row.id, buildReleases(row as OcdsTenderRow, { prefix: env().OCDS_PREFIX, baseUrl })]));
  const releases = page.map((ref) => {
    const all = byTender.get(ref.tender_id) ?? [];
    // buildReleases lists the publication first, then clarifications by number.
    const release = ref.number === 0 ? all[0] : all.find((r) => r.id.endsWith(`-clarification-${ref.number}`));
    if (!release) throw new Error(`OCDS release ${ref.tender_id}/${ref.number} vanished while the page was read`);
    return release;
  });
  return { releases, hasMore: refs.length > query.limit };
}

export async function releaseFeed(requestUrl: URL, query: FeedQuery, now = new Date()): Promise<ReleasePackage> {
  const baseUrl = requestUrl.origin;
  const { releases, hasMore } = await releasesPage(query, baseUrl);
  const link = (page: number) => {
    const sp = new URLSearchParams();
    if (query.since) sp.set("since", query.since.toISOString());
    if (query.limit !== OCDS_PAGE_SIZE) sp.set("limit", String(query.limit));
    sp.set("page", String(page));
    return `${baseUrl}/ocds/releases.json?${sp.toString()}`;
  };
  return releasePackage({ uri: link(query.page), baseUrl, releases, next: hasMore ? link(query.page + 1) : null, now });
}
