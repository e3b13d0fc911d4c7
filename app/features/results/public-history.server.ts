import { publicSql } from "../../platform/db.server.ts";
import { publicRead } from "../../platform/public-gate.server.ts";
import * as clock from "../../platform/clock.server.ts";
import { buildHistory, type HistoryEntry } from "./public-history.ts";

/** What of the notice the history needs (getPublicNotice's answer has it). */
export interface HistoryNotice {
  id: string;
  publishedAt: string | null;
  clarifications: { number: number; title: string; issuedAt: string; deadlineMoved: boolean; bidDeadline: string }[];
}

/**
 * Everything published after the notice, in one statement (one connection of the public pool,
 * one round trip, no transaction: decision 070). The objector and the complainant are never
 * selected (decision 112); the candidates' scores stay on the publicity page. A row dated after
 * `$2` (a publicity or result notice recorded ahead of its time) is not yet public.
 */
export const HISTORY_SQL = `SELECT
  (SELECT json_build_object('failed', s.step = 'FAILED', 'closedAt', s.closed_at)
     FROM opening_session s
    WHERE s.tender_id = $1 AND s.step IN ('CLOSED', 'FAILED') AND s.pdf_sha256 IS NOT NULL AND s.closed_at <= $2) AS opening,
  (SELECT json_build_object('publishedAt', p.published_at, 'startsAt', p.starts_at, 'endsAt', p.ends_at)
     FROM candidate_publicity p
    WHERE p.tender_id = $1 AND p.published_at <= $2) AS publicity,
  (SELECT coalesce(json_agg(json_build_object('id', o.id, 'target', o.target, 'raisedAt', o.raised_at,
            'answeredAt', o.answered_at, 'answer', coalesce(o.answer, ''), 'deadlineAction', o.deadline_action,
            'newDeadline', o.new_deadline) ORDER BY o.answered_at), '[]'::json)
     FROM objection o
    WHERE o.tender_id = $1 AND o.status = 'ANSWERED' AND o.answered_at <= $2) AS objections,
  (SELECT coalesce(json_agg(json_build_object('id', c.id, 'matter', c.matter, 'status', c.status, 'filedAt', c.filed_at,
            'acceptanceAt', c.acceptance_at, 'decidedAt', c.decided_at, 'decision', c.decision,
            'decisionText', c.decision_text, 'notAcceptedReason', c.not_accepted_reason) ORDER BY c.filed_at), '[]'::json)
     FROM complaint c
    WHERE c.tender_id = $1 AND c.status IN ('DECIDED', 'NOT_ACCEPTED')
      AND coalesce(c.decided_at, c.acceptance_at) <= $2) AS complaints,
  (SELECT json_build_object('resultNoticeAt', a.result_notice_at, 'winnerName', a.winner_name, 'priceCents', a.price_cents::text,
            'contractSignedAt', a.contract_signed_at, 'contractRecordedAt', a.contract_recorded_at,
            'contractAmountCents', a.contract_amount_cents::text)
     FROM award a
    WHERE a.tender_id = $1 AND a.result_notice_at <= $2) AS award`;

type Stamp = string | null;
interface HistoryRow {
  opening: { failed: boolean; closedAt: string } | null;
  publicity: { publishedAt: string; startsAt: string; endsAt: string } | null;
  objections: {
    id: string;
    target: string;
    raisedAt: string;
    answeredAt: Stamp;
    answer: string;
    deadlineAction: string | null;
    newDeadline: Stamp;
  }[];
  complaints: {
    id: string;
    matter: string;
    status: string;
    filedAt: string;
    acceptanceAt: Stamp;
    decidedAt: Stamp;
    decision: string | null;
    decisionText: string | null;
    notAcceptedReason: string | null;
  }[];
  award: {
    resultNoticeAt: string;
    winnerName: string;
    priceCents: string | null;
    contractSignedAt: Stamp;
    contractRecordedAt: Stamp;
    contractAmountCents: string | null;
  } | null;
}

// PostgreSQL's JSON spells timestamps with an offset; the page and the ordering use ISO UTC.
function iso<T extends Stamp>(v: T): T {
  return (v === null ? null : new Date(v).toISOString()) as T;
}

/** The notice page's timeline: only what has been published, oldest first. */
export async function publicHistory(notice: HistoryNotice, now = clock.now()): Promise<HistoryEntry[]> {
  const { rows } = await publicRead(() => publicSql().query<HistoryRow>(HISTORY_SQL, [notice.id, now]));
  const r = rows[0];
  if (!r) throw new Error("the history statement returned no row");
  return buildHistory({
    publishedAt: notice.publishedAt,
    clarifications: notice.clarifications,
    opening: r.opening ? { failed: r.opening.failed, closedAt: iso(r.opening.closedAt) } : null,
    publicity: r.publicity
      ? { publishedAt: iso(r.publicity.publishedAt), startsAt: iso(r.publicity.startsAt), endsAt: iso(r.publicity.endsAt) }
      : null,
    objections: r.objections.map((o) => ({
      ...o,
      raisedAt: iso(o.raisedAt),
      answeredAt: iso(o.answeredAt),
      newDeadline: iso(o.newDeadline),
    })),
    complaints: r.complaints.map((c) => ({
      ...c,
      filedAt: iso(c.filedAt),
      acceptanceAt: iso(c.acceptanceAt),
      decidedAt: iso(c.decidedAt),
    })),
    award: r.award
      ? {
          ...r.award,
          resultNoticeAt: iso(r.award.resultNoticeAt),
          contractSignedAt: iso(r.award.contractSignedAt),
          contractRecordedAt: iso(r.award.contractRecordedAt),
        }
      : null,
  });
}
