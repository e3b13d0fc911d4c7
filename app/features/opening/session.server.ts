import { randomBytes } from "node:crypto";
import { decideOpening } from "../../../bidding-core/index.ts";
import { appendAudit } from "../../platform/audit/audit.server.ts";
import { AUDIT_SUBJECT } from "../../platform/audit/subjects.ts";
import { now } from "../../platform/clock.server.ts";
import { db, type Tx } from "../../platform/db.server.ts";
import { invalidatePublicTender } from "../../platform/public-cache.server.ts";
import { applyEvent, procedureRules } from "../tenders/index.ts";
import { announce, participantUserIds } from "./live.server.ts";
import { publishRecord } from "./record.server.ts";

export type StartOutcome =
  | { started: true; tenderId: string; sessionId: string; kind: "open" | "failed"; bids: number }
  | { started: false; tenderId: string; reason: "not-found" | "not-closed" | "exists" };

/**
 * At the bid deadline (TBL Art 34), once bidding has closed, the tender's opening session
 * starts: the bidders that submitted are fixed (latest version each, in arrival order) and each
 * gets a 签到 challenge. With fewer bids than the procedure needs (Regs Art 44) the session is
 * 流标 at once: nothing is decrypted, the tender fails and the record says so.
 */
export async function startOpening(tenderId: string): Promise<StartOutcome> {
  const at = now();
  const result = await db().$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM tender WHERE id = ${tenderId}::uuid FOR UPDATE`;
    const tender = await tx.tender.findUnique({
      where: { id: tenderId },
      select: {
        status: true,
        code: true,
        procedureType: true,
        mandatory: true,
        docsIssueAt: true,
        docsAvailableUntil: true,
        bidDeadline: true,
        opening: { select: { id: true } },
      },
    });
    if (!tender) return { started: false as const, tenderId, reason: "not-found" as const };
    if (tender.opening) return { started: false as const, tenderId, reason: "exists" as const };
    if (tender.status !== "BIDDING_CLOSED") return { started: false as const, tenderId, reason: "not-closed" as const };
    const bids = await submittedBids(tx, tenderId);
    const decision = decideOpening(bids.length, procedureRules(tender.procedureType, tender.mandatory));
    const event =
      decision.kind === "open"
        ? ({ type: "start-opening", bidCount: bids.length } as const)
        : ({ type: "fail", reason: "too-few-bids", count: bids.length } as const);
    // Like closing, the opening reads only the deadline; a row missing the other dates must not block it.
    const moved = applyEvent(
      {
        ...tender,
        docsIssueAt: tender.docsIssueAt ?? tender.bidDeadline,
        docsAvailableUntil: tender.docsAvailableUntil ?? tender.bidDeadline,
      },
      event,
      at,
    );
    if (!moved.ok) throw new Error(`opening ${tenderId}: ${moved.error.code}`);
    await tx.tender.update({ where: { id: tenderId }, data: { status: moved.status } });
    const session = await tx.openingSession.create({
      data: {
        tenderId,
        startedAt: at,
        step: decision.kind === "open" ? "STARTED" : "FAILED",
        bids: {
          create: bids.map((b, i) => ({
            bidId: b.bidId,
            bidVersionId: b.versionId,
            organizationId: b.organizationId,
            seq: i + 1,
            challenge: randomBytes(32).toString("base64url"),
          })),
        },
      },
      select: { id: true },
    });
    await appendAudit(
      {
        action: decision.kind === "open" ? "opening.started" : "opening.failed",
        subjectType: AUDIT_SUBJECT.Tender,
        subjectId: tenderId,
        data: {
          code: tender.code,
          sessionId: session.id,
          bids: bids.length,
          ...(decision.kind === "failed" ? { required: decision.required, article: "Regs Art 44" } : {}),
        },
      },
      tx,
    );
    return { started: true as const, tenderId, sessionId: session.id, kind: decision.kind, bids: bids.length };
  });
  if (!result.started) return result;
  if (result.kind === "failed") await publishRecord(result.sessionId);
  await invalidatePublicTender(tenderId);
  announce(await participantUserIds(tenderId), tenderId);
  return result;
}

async function submittedBids(tx: Tx, tenderId: string) {
  const rows = await tx.bid.findMany({
    where: { tenderId, status: "SUBMITTED" },
    select: {
      id: true,
      organizationId: true,
      versions: { orderBy: { number: "desc" }, take: 1, select: { id: true, receivedAt: true } },
    },
  });
  return rows
    .flatMap((b) =>
      b.versions[0]
        ? [{ bidId: b.id, organizationId: b.organizationId, versionId: b.versions[0].id, receivedAt: b.versions[0].receivedAt }]
        : [],
    )
    .sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime() || (a.organizationId < b.organizationId ? -1 : 1));
}

/** Starts the session of every closed tender that has none yet (the job's sweep). */
export async function sweepOpenings(): Promise<StartOutcome[]> {
  const due = await db().tender.findMany({ where: { status: "BIDDING_CLOSED", opening: null }, select: { id: true }, take: 100 });
  const out: StartOutcome[] = [];
  for (const t of due) {
    try {
      out.push(await startOpening(t.id));
    } catch (error) {
      console.error(`opening sweep: tender ${t.id} failed`, error);
    }
  }
  return out;
}
