import { z } from "zod";
import { publicDb, publicSql } from "../../platform/db.server.ts";
import { publicRead } from "../../platform/public-gate.server.ts";
import { env } from "../../platform/env.server.ts";
import { buildReleases, releasePackage, type OcdsRelease, type OcdsTenderRow, type ReleasePackage } from "./mapping.ts";
import {
  buildResultReleases,
  RESULT_RELEASE,
  resultReleaseSuffix,
  type OcdsCandidate,
  type OcdsResultsRow,
} from "./results-mapping.ts";

type ResultExtra = Omit<OcdsResultsRow, "tenderId" | "code" | "title" | "buyer" | "baseParties">;
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
export function feedPageSql(query: FeedQuery, now: Date = clock.now()): { text: string; values: unknown[] } {
  // A publication is release number 0 and sorts before its tender's clarifications, so a
  // publication comes after the cursor exactly when (date, tender) does. Result releases
  // (decision 118) take the numbers of RESULT_RELEASE, after every clarification, and exist only
  // from their publication time ($6).
  const after = query.after ?? { at: query.since ?? new Date(0), tenderId: "00000000-0000-0000-0000-000000000000", number: -1 };
  const since = query.since ?? new Date(0);
  const n = query.limit + 1;
  const published = `t.status = ANY($1::"TenderStatus"[]) AND t.published_at IS NOT NULL`;
  const branch = (date: string, number: string, from: string, where: string, order: string) =>
    `(SELECT x.tender_id, ${number} AS number, ${date} AS date
         FROM ${from} JOIN tender t ON t.id = x.tender_id
        WHERE ${published} AND ${date} >= $2 AND ${date} <= $6 ${where}
          AND (${date}, x.tender_id, ${number}) > ($3, $4::uuid, $5)
        ORDER BY ${date}, x.tender_id${order} LIMIT ${n})`;
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
      UNION ALL
      ${branch("x.published_at", String(RESULT_RELEASE.publicity), "candidate_publicity x", "", "")}
      UNION ALL
      ${branch("x.result_notice_at", String(RESULT_RELEASE.award), "award x", "", "")}
      UNION ALL
      ${branch(
        "x.recorded_at",
        `(${RESULT_RELEASE.awardUpdate} + x.rank)`,
        "award_decline x JOIN award a ON a.tender_id = x.tender_id",
        "AND x.recorded_at > a.result_notice_at AND a.result_notice_at <= $6",
        `, x.rank`,
      )}
      UNION ALL
      ${branch(
        "x.contract_recorded_at",
        String(RESULT_RELEASE.contract),
        "award x",
        "AND x.contract_signed_at IS NOT NULL AND x.result_notice_at <= $6",
        "",
      )}
    ) r
    ORDER BY date, tender_id, number
    LIMIT ${n}`,
    values: [[...PUBLIC_STATUSES], since, after.at, after.tenderId, after.number, now],
  };
}

/** The published results rows of the page's tenders, for results-mapping.ts. */
async function resultRows(ids: string[], now: Date) {
  if (ids.length === 0) return new Map<string, ResultExtra>();
  const client = publicDb();
  const publicities = await publicRead(() =>
    client.candidatePublicity.findMany({
      where: { tenderId: { in: ids }, publishedAt: { lte: now } },
      select: { tenderId: true, publishedAt: true, startsAt: true, endsAt: true, candidates: true },
    }),
  );
  const awards = await publicRead(() =>
    client.award.findMany({
      where: { tenderId: { in: ids }, resultNoticeAt: { lte: now } },
      select: {
        tenderId: true,
        winnerOrgId: true,
        winnerName: true,
        winnerRank: true,
        priceCents: true,
        confirmedAt: true,
        resultNoticeAt: true,
        reason: true,
        contractSignedAt: true,
        contractRecordedAt: true,
        contractAmountCents: true,
      },
    }),
  );
  const declines = await publicRead(() =>
    client.awardDecline.findMany({
      where: { tenderId: { in: ids }, recordedAt: { lte: now } },
      select: { tenderId: true, bidderOrgId: true, rank: true, cause: true, reason: true, recordedAt: true },
    }),
  );
  const parsedCandidates = publicities.map((p) => [p.tenderId, parseCandidates(p.tenderId, p.candidates)] as const);
  const malformed = new Set(parsedCandidates.filter(([, c]) => c === null).map(([id]) => id));
  const candidatesOf = new Map(parsedCandidates.flatMap(([id, c]) => (c === null ? [] : [[id, c] as const])));
  const orgIds = [
    ...new Set([
      ...[...candidatesOf.values()].flat().map((c) => c.bidderOrgId),
      ...awards.map((a) => a.winnerOrgId),
      ...declines.map((d) => d.bidderOrgId),
    ]),
  ].filter((x) => z.string().uuid().safeParse(x).success);
  const orgs =
    orgIds.length === 0
      ? []
      : await publicRead(() =>
          client.organization.findMany({ where: { id: { in: orgIds } }, select: { id: true, name: true, creditCode: true } }),
        );
  const orgMap = new Map(orgs.map((o) => [o.id, o]));
  return new Map<string, ResultExtra>(
    ids
      .filter((tenderId) => !malformed.has(tenderId))
      .map((tenderId) => {
        const p = publicities.find((x) => x.tenderId === tenderId);
        const a = awards.find((x) => x.tenderId === tenderId) ?? null;
        return [
          tenderId,
          {
            orgs: orgMap,
            publicity: p
              ? {
                  publishedAt: p.publishedAt,
                  startsAt: p.startsAt,
                  endsAt: p.endsAt,
                  candidates: candidatesOf.get(tenderId) ?? [],
                }
              : null,
            award: a,
            declines: a ? declines.filter((d) => d.tenderId === tenderId) : [],
          },
        ];
      }),
  );
}

// candidate_publicity.candidates as the publicity feature freezes it (schema.prisma, decision 113).
const CandidatesSchema = z.array(
  z.object({
    rank: z.number().int().min(1),
    bidderOrgId: z.string(),
    name: z.string(),
    priceCents: z.string().regex(/^\d+$/).nullable().optional(),
    evaluatedPriceCents: z.string().optional(),
  }),
);
/** The row's candidates, or null (logged) when they are not in that shape: its result releases are then left out. */
function parseCandidates(tenderId: string, raw: unknown): OcdsCandidate[] | null {
  const parsed = CandidatesSchema.safeParse(raw);
  if (!parsed.success) {
    console.error(
      `ocds feed: tender ${tenderId}: candidate_publicity.candidates is not in the shape decision 113 names; its result releases are left out: ${parsed.error.message}`,
    );
    return null;
  }
  return parsed.data.map((c) => ({ rank: c.rank, bidderOrgId: c.bidderOrgId, name: c.name, priceCents: c.priceCents ?? null }));
}

/**
 * Releases dated at or after `since` and after the `after` cursor, oldest first (ties by tender
 * id, then publication before its clarifications), one page of them; only the page's tenders are
 * loaded and mapped. Public pool, no transaction (decision 070).
 */
export async function releasesPage(
  query: FeedQuery,
  baseUrl: string,
  now = clock.now(),
): Promise<{ releases: OcdsRelease[]; next: string | null }> {
  const statement = feedPageSql(query, now);
  const { rows: refs } = await publicRead(() =>
    publicSql().query<{ tender_id: string; number: number; date: Date }>(statement.text, statement.values),
  );
  const page = refs.slice(0, query.limit);
  const ids = [...new Set(page.map((r) => r.tender_id))];
  const rows = ids.length === 0 ? [] : await publicRead(() => publicDb().tender.findMany({ where: { id: { in: ids } }, select }));
  const options = { prefix: env().OCDS_PREFIX, baseUrl };
  const resultIds = [...new Set(page.filter((r) => r.number >= RESULT_RELEASE.publicity).map((r) => r.tender_id))];
  const results = await resultRows(resultIds, now);
  const byTender = new Map(
    rows.map((row) => {
      const tenderReleases = buildReleases(row as OcdsTenderRow, options);
      const extra = results.get(row.id);
      const first = tenderReleases[0];
      const resultReleases =
        extra && first
          ? buildResultReleases(
              {
                tenderId: row.id,
                code: row.code,
                title: row.title,
                buyer: first.buyer,
                baseParties: baseParties(first),
                ...extra,
              },
              options,
            )
          : [];
      return [row.id, [...tenderReleases, ...resultReleases]];
    }),
  );
  const releases = page.flatMap((ref) => {
    // A tender whose results could not be read (logged in resultRows) has its result releases left out.
    if (ref.number >= RESULT_RELEASE.publicity && !results.has(ref.tender_id)) return [];
    const all = byTender.get(ref.tender_id) ?? [];
    // buildReleases lists the publication first, then clarifications by number; then the results.
    const suffix = ref.number === 0 ? "tender" : (resultReleaseSuffix(ref.number) ?? `clarification-${ref.number}`);
    const release = all.find((r) => r.id.endsWith(`-${suffix}`));
    if (!release) throw new Error(`OCDS release ${ref.tender_id}/${ref.number} vanished while the page was read`);
    return [release];
  });
  const last = page.at(-1);
  const next = refs.length > query.limit && last ? `${last.date.toISOString()}~${last.tender_id}~${last.number}` : null;
  return { releases, next };
}

// The buyer and procuring entity of the tender releases (the tenderers come with the results' own parties).
function baseParties(release: OcdsRelease): Record<string, unknown>[] {
  return release.parties.filter((p) => {
    const roles = (p as { roles?: string[] }).roles ?? [];
    return roles.includes("buyer") || roles.includes("procuringEntity");
  });
}

export async function releaseFeed(requestUrl: URL, query: FeedQuery, now = clock.now()): Promise<ReleasePackage> {
  const baseUrl = requestUrl.origin;
  const { releases, next } = await releasesPage(query, baseUrl, now);
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
