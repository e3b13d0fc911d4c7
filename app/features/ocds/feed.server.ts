import { z } from "zod";
import { publicDb, publicSql } from "../../platform/db.server.ts";
import { publicRead } from "../../platform/public-gate.server.ts";
import { env } from "../../platform/env.server.ts";
import { buildReleases, releasePackage, type OcdsRelease, type OcdsTenderRow, type ReleasePackage } from "./mapping.ts";
import { PUBLIC_STATUSES } from "../tenders/index.ts";
import * as clock from "../../platform/clock.server.ts";

/**
 * The public OCDS 1.1 feed: release packages of published tenders, ordered by release date,
 * paged with `since` (ISO date, inclusive), `page` and `limit` (docs/decisions/042).
 */

export const OCDS_PAGE_SIZE = 100;

// A keyset position in the feed: the release's date, its tender and its number (0: publication).
const AFTER =
  /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)~([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})~(\d{1,6})$/;

export const FeedQuerySchema = z.object({
  since: z
    .string()
    .datetime({ offset: true })
    .transform((v) => new Date(v))
    .optional(),
  // Keyset paging (decision 070): `links.next` names the last release of the page. Page numbers
  // (OFFSET) are gone; only `page=1` is still understood, as the first page.
  after: z
    .string()
    .regex(AFTER)
    .transform((v) => {
      const [, at = "", tenderId = "", number = "0"] = AFTER.exec(v) ?? [];
      return { at: new Date(at), tenderId, number: Number(number) };
    })
    .refine((c) => !Number.isNaN(c.at.getTime()))
    .optional(),
  page: z.coerce.number().int().min(1).max(1).optional(),
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
  evaluationConfig: true,
  tendererOrg: { select: { id: true, name: true, creditCode: true } },
  agentOrg: { select: { id: true, name: true, creditCode: true } },
  lots: { orderBy: { code: "asc" as const }, select: { code: true, name: true, estimatedPriceCents: true } },
  documents: {
    orderBy: { createdAt: "asc" as const },
    select: { id: true, kind: true, fileName: true, createdAt: true, clarificationId: true },
  },
  clarifications: {
    orderBy: { number: "asc" as const },
    select: { id: true, number: true, title: true, body: true, issuedAt: true, previousDeadline: true, bidDeadline: true },
  },
  opening: {
    select: {
      step: true,
      pdfSha256: true,
      bids: {
        orderBy: { seq: "asc" as const },
        select: { organization: { select: { id: true, name: true, creditCode: true } } },
      },
    },
  },
};

/**
 * The statement of one feed page, shared with the benchmark's EXPLAIN. Each branch (publications,
 * clarifications) walks its own (date, tender, number) index from the cursor and stops after a
 * page; the union is merged and cut to the page: time and memory per request do not grow with
 * the number of tenders or with how deep the page is.
 */
export function feedPageSql(query: FeedQuery): { text: string; values: unknown[] } {
  // A publication is release number 0 and sorts before its tender's clarifications, so a
  // publication comes after the cursor exactly when (date, tender) does.
  const after = query.after ?? { at: query.since ?? new Date(0), tenderId: "00000000-0000-0000-0000-000000000000", number: -1 };
  const since = query.since ?? new Date(0);
  const n = query.limit + 1;
  return {
    text: `SELECT tender_id, number, date FROM (
      (SELECT t.id AS tender_id, 0 AS number, t.published_at AS date
         FROM tender t
        WHERE t.status = ANY($1::"TenderStatus"[]) AND t.published_at >= $2
          AND (t.published_at, t.id) > ($3, $4::uuid)
        ORDER BY t.published_at, t.id LIMIT ${n})
      UNION ALL
      (SELECT c.tender_id, c.number, c.issued_at AS date
         FROM clarification c JOIN tender t ON t.id = c.tender_id
        WHERE t.status = ANY($1::"TenderStatus"[]) AND t.published_at IS NOT NULL AND c.issued_at >= $2
          AND (c.issued_at, c.tender_id, c.number) > ($3, $4::uuid, $5)
        ORDER BY c.issued_at, c.tender_id, c.number LIMIT ${n})
    ) r
    ORDER BY date, tender_id, number
    LIMIT ${n}`,
    values: [[...PUBLIC_STATUSES], since, after.at, after.tenderId, after.number],
  };
}

/**
 * Releases dated at or after `since` and after the `after` cursor, oldest first (ties by tender
 * id, then publication before its clarifications), one page of them; only the page's tenders are
 * loaded and mapped. Public pool, no transaction (decision 070).
 */
export async function releasesPage(query: FeedQuery, baseUrl: string): Promise<{ releases: OcdsRelease[]; next: string | null }> {
  const statement = feedPageSql(query);
  const { rows: refs } = await publicRead(() =>
    publicSql().query<{ tender_id: string; number: number; date: Date }>(statement.text, statement.values),
  );
  const page = refs.slice(0, query.limit);
  const ids = [...new Set(page.map((r) => r.tender_id))];
  const rows = ids.length === 0 ? [] : await publicRead(() => publicDb().tender.findMany({ where: { id: { in: ids } }, select }));
  const byTender = new Map(
    rows.map((row) => [row.id, buildReleases(row as OcdsTenderRow, { prefix: env().OCDS_PREFIX, baseUrl })]),
  );
  const releases = page.map((ref) => {
    const all = byTender.get(ref.tender_id) ?? [];
    // buildReleases lists the publication first, then clarifications by number.
    const release = ref.number === 0 ? all[0] : all.find((r) => r.id.endsWith(`-clarification-${ref.number}`));
    if (!release) throw new Error(`OCDS release ${ref.tender_id}/${ref.number} vanished while the page was read`);
    return release;
  });
  const last = page.at(-1);
  const next = refs.length > query.limit && last ? `${last.date.toISOString()}~${last.tender_id}~${last.number}` : null;
  return { releases, next };
}

export async function releaseFeed(requestUrl: URL, query: FeedQuery, now = clock.now()): Promise<ReleasePackage> {
  const baseUrl = requestUrl.origin;
  const { releases, next } = await releasesPage(query, baseUrl);
  const link = (after: string | null) => {
    const sp = new URLSearchParams();
    if (query.since) sp.set("since", query.since.toISOString());
    if (query.limit !== OCDS_PAGE_SIZE) sp.set("limit", String(query.limit));
    if (after) sp.set("after", after);
    const search = sp.toString();
    return `${baseUrl}/ocds/releases.json${search ? `?${search}` : ""}`;
  };
  const here = query.after ? `${query.after.at.toISOString()}~${query.after.tenderId}~${query.after.number}` : null;
  return releasePackage({ uri: link(here), baseUrl, releases, next: next ? link(next) : null, now });
}
