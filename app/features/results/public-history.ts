/**
 * A tender's public history (the notice page's timeline, issue 17 item 4): every published event
 * in order. Pure: `public-history.server.ts` reads the rows, already limited to what is public.
 */

export type HistoryEntry =
  | { kind: "notice"; at: string }
  | { kind: "clarification"; at: string; number: number; title: string; deadlineMoved: boolean; bidDeadline: string }
  | { kind: "opening"; at: string; failed: boolean }
  | { kind: "publicity"; at: string; startsAt: string; endsAt: string }
  | {
      kind: "objection";
      at: string;
      id: string;
      target: string;
      raisedAt: string;
      answer: string;
      deadlineAction: string | null;
      newDeadline: string | null;
    }
  | {
      kind: "complaint";
      at: string;
      id: string;
      matter: string;
      status: string;
      decision: string | null;
      decisionText: string | null;
      notAcceptedReason: string | null;
    }
  | { kind: "award"; at: string; winnerName: string; priceCents: string | null }
  | { kind: "contract"; at: string; signedAt: string; amountCents: string | null };

export interface HistoryInput {
  publishedAt: string | null;
  clarifications: { number: number; title: string; issuedAt: string; deadlineMoved: boolean; bidDeadline: string }[];
  opening: { closedAt: string; failed: boolean } | null;
  publicity: { publishedAt: string; startsAt: string; endsAt: string } | null;
  objections: {
    id: string;
    target: string;
    raisedAt: string;
    answeredAt: string | null;
    answer: string;
    deadlineAction: string | null;
    newDeadline: string | null;
  }[];
  complaints: {
    id: string;
    matter: string;
    status: string;
    filedAt: string;
    acceptanceAt: string | null;
    decidedAt: string | null;
    decision: string | null;
    decisionText: string | null;
    notAcceptedReason: string | null;
  }[];
  award: {
    resultNoticeAt: string;
    winnerName: string;
    priceCents: string | null;
    contractSignedAt: string | null;
    contractRecordedAt: string | null;
    contractAmountCents: string | null;
  } | null;
}

// Same instant: the order in which the procedure produces them (a notice before its first
// clarification, an award before its contract).
const ORDER: Record<HistoryEntry["kind"], number> = {
  notice: 0,
  clarification: 1,
  opening: 2,
  publicity: 3,
  objection: 4,
  complaint: 5,
  award: 6,
  contract: 7,
};

export function buildHistory(input: HistoryInput): HistoryEntry[] {
  const entries: HistoryEntry[] = [];
  if (input.publishedAt) entries.push({ kind: "notice", at: input.publishedAt });
  for (const c of input.clarifications)
    entries.push({
      kind: "clarification",
      at: c.issuedAt,
      number: c.number,
      title: c.title,
      deadlineMoved: c.deadlineMoved,
      bidDeadline: c.bidDeadline,
    });
  if (input.opening) entries.push({ kind: "opening", at: input.opening.closedAt, failed: input.opening.failed });
  if (input.publicity)
    entries.push({
      kind: "publicity",
      at: input.publicity.publishedAt,
      startsAt: input.publicity.startsAt,
      endsAt: input.publicity.endsAt,
    });
  for (const o of input.objections) {
    if (!o.answeredAt) continue;
    entries.push({
      kind: "objection",
      at: o.answeredAt,
      id: o.id,
      target: o.target,
      raisedAt: o.raisedAt,
      answer: o.answer,
      deadlineAction: o.deadlineAction,
      newDeadline: o.newDeadline,
    });
  }
  for (const c of input.complaints) {
    const at = c.decidedAt ?? c.acceptanceAt;
    if (!at) continue;
    entries.push({
      kind: "complaint",
      at,
      id: c.id,
      matter: c.matter,
      status: c.status,
      decision: c.decision,
      decisionText: c.decisionText,
      notAcceptedReason: c.notAcceptedReason,
    });
  }
  const a = input.award;
  if (a) {
    entries.push({ kind: "award", at: a.resultNoticeAt, winnerName: a.winnerName, priceCents: a.priceCents });
    if (a.contractSignedAt)
      entries.push({
        kind: "contract",
        at: a.contractRecordedAt ?? a.contractSignedAt,
        signedAt: a.contractSignedAt,
        amountCents: a.contractAmountCents,
      });
  }
  return entries.sort((x, y) => x.at.localeCompare(y.at) || ORDER[x.kind] - ORDER[y.kind]);
}
