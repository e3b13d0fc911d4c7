import { z } from "zod";
import { db } from "./db.server.ts";
import { env } from "./env.server.ts";
import { buildReleases, releasePackage, type OcdsRelease, type OcdsTenderRow, type ReleasePackage } from "./ocds/mapping.ts";
import { PUBLIC_STATUSES } from "./tender-enums.ts";

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

/** Releases dated at or after `since`, oldest first (ties by release id), one page of them. */
export async function releasesPage(query: FeedQuery, baseUrl: string): Promise<{ releases: OcdsRelease[]; hasMore: boolean }> {
  const since = query.since ?? new Date(0);
  // A tender contributes releases from its publication and from each clarification.
  const rows = await db().tender.findMany({
    where: {
      status: { in: [...PUBLIC_STATUSES] },
      publishedAt: { not: null },
      OR: [{ publishedAt: { gte: since } }, { clarifications: { some: { issuedAt: { gte: since } } } }],
    },
    select,
  });
  const releases = rows
    .flatMap((row) => buildReleases(row as OcdsTenderRow, { prefix: env().OCDS_PREFIX, baseUrl }))
    .filter((r) => new Date(r.date).getTime() >= since.getTime())
    .sort((a, b) => (a.date === b.date ? a.id.localeCompare(b.id) : a.date.localeCompare(b.date)));
  const start = (query.page - 1) * query.limit;
  return { releases: releases.slice(start, start + query.limit), hasMore: releases.length > start + query.limit };
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
