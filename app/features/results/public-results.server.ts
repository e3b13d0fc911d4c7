import { z } from "zod";
import { readKeysetPage } from "../../platform/keyset-page.server.ts";
import * as clock from "../../platform/clock.server.ts";
import { RESULT_KINDS } from "./public-results.ts";

/**
 * 结果公示: the public list of candidate publicity notices and result notices of every tender,
 * newest first, searchable by tender title or code (the trigram indexes of decision 070), keyset
 * paged on (publication time, notice id) like the notice list, counted up to RESULTS_COUNT_BOUND.
 * Only notices whose publication time has come are listed.
 */

export const RESULTS_PAGE_SIZE = 20;
export const RESULTS_COUNT_BOUND = 10_000;

const CURSOR = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)~([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;
const Cursor = z
  .string()
  .regex(CURSOR)
  .transform((v) => {
    const [, at = "", id = ""] = CURSOR.exec(v) ?? [];
    return { at: new Date(at), id };
  })
  .refine((c) => !Number.isNaN(c.at.getTime()));

export const ResultsQuerySchema = z.object({
  q: z.string().trim().max(100).default(""),
  // publicity: candidate publicity notices whose window is running; awarded: result notices.
  kind: z
    .enum(RESULT_KINDS)
    .optional()
    .or(z.literal("").transform(() => undefined)),
  after: Cursor.optional(),
  before: Cursor.optional(),
});
export type ResultsQuery = z.infer<typeof ResultsQuerySchema>;

export interface ResultNotice {
  /** The notice's own id (candidate_publicity.id or award.id): the keyset's tie-breaker. */
  id: string;
  kind: "candidates" | "result";
  at: string;
  tenderId: string;
  code: string;
  title: string;
  tendererName: string;
  startsAt: string | null;
  endsAt: string | null;
  winnerName: string | null;
  priceCents: string | null;
}

function likePattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * The statements of the list, shared with the benchmark's EXPLAIN. Two branches (publicity
 * notices by `published_at`, result notices by `result_notice_at`), each walking its own
 * (time, id) index from the cursor and stopping after a page; the union is merged and cut.
 */
export function resultsListSql(
  query: ResultsQuery,
  now: Date,
): { page: { text: string; values: unknown[] }; count: { text: string; values: unknown[] } } {
  const values: unknown[] = [now];
  const tenderWhere: string[] = [];
  if (query.q) {
    values.push(likePattern(query.q));
    tenderWhere.push(`(t.title ILIKE $${values.length} OR t.code ILIKE $${values.length})`);
  }
  const countValues = [...values];
  const backwards = !query.after && Boolean(query.before);
  const cursor = query.after ?? query.before;
  let cursorAt = "";
  let cursorId = "";
  if (cursor) {
    values.push(cursor.at, cursor.id);
    cursorAt = `$${values.length - 1}`;
    cursorId = `$${values.length}::uuid`;
  }
  const cmp = backwards ? ">" : "<";
  const order = backwards ? "ASC" : "DESC";
  const n = RESULTS_PAGE_SIZE + 1;
  const publicityWhere = (withCursor: boolean) =>
    [
      "p.published_at <= $1",
      ...(query.kind === "publicity" ? ["p.starts_at <= $1", "p.ends_at > $1"] : []),
      ...tenderWhere,
      ...(withCursor && cursor ? [`(p.published_at, p.id) ${cmp} (${cursorAt}, ${cursorId})`] : []),
    ].join(" AND ");
  const awardWhere = (withCursor: boolean) =>
    [
      "a.result_notice_at <= $1",
      ...tenderWhere,
      ...(withCursor && cursor ? [`(a.result_notice_at, a.id) ${cmp} (${cursorAt}, ${cursorId})`] : []),
    ].join(" AND ");
  const branches: string[] = [];
  const counts: string[] = [];
  if (query.kind !== "awarded") {
    branches.push(`(SELECT p.id, 'candidates' AS kind, p.published_at AS at, t.id AS "tenderId", t.code, t.title,
                o.name AS "tendererName", p.starts_at AS "startsAt", p.ends_at AS "endsAt",
                NULL::text AS "winnerName", NULL::text AS "priceCents"
           FROM candidate_publicity p JOIN tender t ON t.id = p.tender_id JOIN organization o ON o.id = t.tenderer_org_id
          WHERE ${publicityWhere(true)}
          ORDER BY p.published_at ${order}, p.id ${order} LIMIT ${n})`);
    counts.push(
      `(SELECT 1 FROM candidate_publicity p JOIN tender t ON t.id = p.tender_id WHERE ${publicityWhere(false)} LIMIT ${RESULTS_COUNT_BOUND + 1})`,
    );
  }
  if (query.kind !== "publicity") {
    branches.push(`(SELECT a.id, 'result' AS kind, a.result_notice_at AS at, t.id AS "tenderId", t.code, t.title,
                o.name AS "tendererName", NULL::timestamptz AS "startsAt", NULL::timestamptz AS "endsAt",
                a.winner_name AS "winnerName", a.price_cents::text AS "priceCents"
           FROM award a JOIN tender t ON t.id = a.tender_id JOIN organization o ON o.id = t.tenderer_org_id
          WHERE ${awardWhere(true)}
          ORDER BY a.result_notice_at ${order}, a.id ${order} LIMIT ${n})`);
    counts.push(
      `(SELECT 1 FROM award a JOIN tender t ON t.id = a.tender_id WHERE ${awardWhere(false)} LIMIT ${RESULTS_COUNT_BOUND + 1})`,
    );
  }
  return {
    page: {
      text: `SELECT * FROM (${branches.join(" UNION ALL ")}) r ORDER BY at ${order}, id ${order} LIMIT ${n}`,
      values,
    },
    count: {
      text: `SELECT count(*)::int AS n FROM (SELECT 1 FROM (${counts.join(" UNION ALL ")}) u LIMIT ${RESULTS_COUNT_BOUND + 1}) bounded`,
      values: countValues,
    },
  };
}

interface Row extends Omit<ResultNotice, "at" | "startsAt" | "endsAt"> {
  at: Date;
  startsAt: Date | null;
  endsAt: Date | null;
}

const cursorOf = (r: { at: string; id: string }) => `${r.at}~${r.id}`;

/** One page of the public results list: two plain statements on the public pool, no transaction. */
export async function listPublicResults(query: ResultsQuery, now = clock.now()) {
  const statements = resultsListSql(query, now);
  const { items, ...rest } = await readKeysetPage<Row, ResultNotice>({
    statements,
    query,
    pageSize: RESULTS_PAGE_SIZE,
    countBound: RESULTS_COUNT_BOUND,
    toItem: (r) => ({
      ...r,
      at: r.at.toISOString(),
      startsAt: r.startsAt?.toISOString() ?? null,
      endsAt: r.endsAt?.toISOString() ?? null,
    }),
    cursorOf,
  });
  return { notices: items, ...rest };
}
