// After the award (TBL Arts 46-47, Regs Art 57): the agent records the written contract (stops the
// 30-day sign-contract clock, opens the 5-day security-refund clock), the written report to the
// supervising department (stops the 15-day award-report clock) and each bidder's security refund
// (the last one stops the refund clock). Each is audited; bad input is refused with a message.
import { z } from "zod";
import {
  checkContract,
  parseLocalDate,
  parseYuan,
  SECURITY_REFUND_DAYS,
  securityRefundDueAfterContract,
  shanghaiDate,
  startOfShanghaiDay,
} from "../../../bidding-core/index";
import { appendAudit } from "../../platform/audit/audit.server.ts";
import { AUDIT_SUBJECT } from "../../platform/audit/subjects.ts";
import type { SessionUser } from "../../platform/auth/auth.server.ts";
import { now } from "../../platform/clock.server.ts";
import { db, type Tx } from "../../platform/db.server.ts";
import { invalidatePublicTender } from "../../platform/public-cache.server.ts";
import { refuse, refusalFromDomain, type Outcome } from "../../platform/refusal.ts";
import { loadCalendar } from "../calendar/index.ts";
import { agentUserIds, openClock, scheduleClockTimers, stopClock, type ClockTimes } from "../clocks/index.ts";

export const ContractFormSchema = z.object({ signedOn: z.string().trim().max(20), amount: z.string().trim().max(40) });
export const RefundFormSchema = z.object({
  bidderOrgId: z.string().uuid("bidderRequired"),
  amount: z.string().trim().max(40),
  refundedOn: z.string().trim().max(20),
  note: z.string().trim().max(500).default(""),
});

/** A yuan amount as typed ("8650000", "8,650,000.00") to fen, or a refusal that says what is wrong. */
export function parseAmount(text: string): Outcome<bigint> {
  const cleaned = text.replace(/[,，\s]/g, "").replace(/元$/, "");
  if (cleaned === "") return refuse("award.refusal.amountRequired", 400);
  const parsed = parseYuan(cleaned);
  if (!parsed.ok) return refuse("award.refusal.badAmount", 400, { params: { text: text.slice(0, 40) } });
  if (parsed.value <= 0n) return refuse("award.refusal.amountNotPositive", 400);
  return { ok: true, value: parsed.value };
}

async function lockedAward(tx: Tx, user: SessionUser, tenderId: string) {
  if (!z.string().uuid().safeParse(tenderId).success) return refuse("award.refusal.notFound", 404);
  await tx.$queryRaw`SELECT id FROM tender WHERE id = ${tenderId}::uuid FOR UPDATE`;
  const tender = await tx.tender.findUnique({ where: { id: tenderId }, select: { id: true, bidSecurityCents: true } });
  if (!tender) return refuse("award.refusal.notFound", 404);
  if (user.role !== "AGENT" || !(await agentUserIds(tx, tenderId)).includes(user.id))
    return refuse("award.refusal.notAgent", 403);
  const award = await tx.award.findUnique({ where: { tenderId }, include: { letters: { select: { bidderOrgId: true } } } });
  if (!award) return refuse("award.refusal.notAwarded", 409, { article: "TBL Art 45" });
  return { ok: true as const, value: { tender, award } };
}

async function auditRefusal(
  tx: Tx,
  user: SessionUser,
  tenderId: string,
  step: string,
  r: { refusal: { code: string; article?: string } },
) {
  if (!z.string().uuid().safeParse(tenderId).success) return;
  if (!(await tx.tender.count({ where: { id: tenderId } }))) return;
  await appendAudit(
    {
      actorId: user.id,
      action: "results.after_award_refused",
      subjectType: AUDIT_SUBJECT.Tender,
      subjectId: tenderId,
      data: { tenderId, step, code: r.refusal.code, ...(r.refusal.article ? { article: r.refusal.article } : {}) },
    },
    tx,
  );
}

/** Runs a step on the awarded tender in one transaction; a refusal is audited and nothing else is written. */
async function afterAwardStep<T>(
  user: SessionUser,
  tenderId: string,
  step: string,
  body: (tx: Tx, ctx: Extract<Awaited<ReturnType<typeof lockedAward>>, { ok: true }>["value"], at: Date) => Promise<Outcome<T>>,
): Promise<Outcome<T>> {
  return db().$transaction(
    async (tx): Promise<Outcome<T>> => {
      const ctx = await lockedAward(tx, user, tenderId);
      if (!ctx.ok) {
        await auditRefusal(tx, user, tenderId, step, ctx);
        return ctx;
      }
      const result = await body(tx, ctx.value, now());
      if (!result.ok) await auditRefusal(tx, user, tenderId, step, result);
      return result;
    },
    { maxWait: 20_000 },
  );
}

/** TBL Art 46: the written contract (date signed, price in yuan). Opens the Regs Art 57 refund clock. */
export async function recordContract(
  user: SessionUser,
  tenderId: string,
  input: z.infer<typeof ContractFormSchema>,
): Promise<Outcome<{ signedAt: Date; refundDue: Date | null }>> {
  const calendar = await loadCalendar();
  const timers: ClockTimes[] = [];
  const result = await afterAwardStep(user, tenderId, "contract", async (tx, { tender, award }, at) => {
    if (award.contractRecordedAt) return refuse("award.refusal.contractRecorded", 409, { article: "TBL Art 46" });
    if (!input.signedOn) return refuse("award.refusal.dateRequired", 400);
    const amount = parseAmount(input.amount);
    if (!amount.ok) return amount;
    const checked = checkContract({
      signedOn: input.signedOn,
      amount: amount.value,
      awardPrice: award.priceCents,
      noticeAt: award.resultNoticeAt,
      now: at,
    });
    if (!checked.ok) return refusalFromDomain(checked.error, "tender.errors", 422);
    const signedAt = startOfShanghaiDay(checked.value.signedOn);
    await tx.award.update({
      where: { id: award.id },
      data: {
        contractSignedAt: signedAt,
        contractAmountCents: amount.value,
        contractRecordedAt: at,
        contractRecordedById: user.id,
      },
    });
    const key = { subjectType: AUDIT_SUBJECT.Award, subjectId: award.id };
    await stopClock(tx, { kind: "sign-contract", ...key }, "met");
    const refunded = await tx.securityRefund.count({ where: { tenderId } });
    let refundDue: Date | null = null;
    if (tender.bidSecurityCents > 0n && refunded < award.letters.length) {
      const clock = await openClock(
        tx,
        {
          tenderId,
          kind: "security-refund",
          ...key,
          startedAt: signedAt,
          basis: { kind: "within-days", days: SECURITY_REFUND_DAYS },
        },
        calendar,
      );
      timers.push(clock);
      refundDue = clock.dueAt;
    }
    await appendAudit(
      {
        actorId: user.id,
        action: "results.contract_recorded",
        subjectType: AUDIT_SUBJECT.Award,
        subjectId: award.id,
        data: {
          tenderId,
          signedOn: checked.value.signedOn,
          amountCents: amount.value.toString(),
          daysAfterNotice: Math.round(
            (signedAt.getTime() - startOfShanghaiDay(shanghaiDate(award.resultNoticeAt)).getTime()) / 86_400_000,
          ),
          refundDue: refundDue?.toISOString() ?? null,
          // bidding-core's Regs Art 57 limit on the shipped calendar, for the record.
          refundLimit: securityRefundDueAfterContract(signedAt).value.toISOString(),
          article: "TBL Art 46",
        },
      },
      tx,
    );
    return { ok: true, value: { signedAt, refundDue } };
  });
  if (!result.ok) return result;
  await scheduleClockTimers(timers);
  await invalidatePublicTender(tenderId);
  return result;
}

/** TBL Art 47: the written report to the supervising department was submitted (now). */
export async function recordReport(user: SessionUser, tenderId: string): Promise<Outcome<{ submittedAt: Date }>> {
  return afterAwardStep(user, tenderId, "report", async (tx, { award }, at) => {
    if (award.reportSubmittedAt) return refuse("award.refusal.reportRecorded", 409, { article: "TBL Art 47" });
    await tx.award.update({ where: { id: award.id }, data: { reportSubmittedAt: at, reportSubmittedById: user.id } });
    await stopClock(tx, { kind: "award-report", subjectType: AUDIT_SUBJECT.Award, subjectId: award.id }, "met");
    await appendAudit(
      {
        actorId: user.id,
        action: "results.report_recorded",
        subjectType: AUDIT_SUBJECT.Award,
        subjectId: award.id,
        data: { tenderId, submittedAt: at.toISOString(), article: "TBL Art 47" },
      },
      tx,
    );
    return { ok: true, value: { submittedAt: at } };
  });
}

/** Regs Art 57: one bidder's security refunded (amount with interest, date); the last one stops the clock. */
export async function recordRefund(
  user: SessionUser,
  tenderId: string,
  input: z.infer<typeof RefundFormSchema>,
): Promise<Outcome<{ remaining: number }>> {
  return afterAwardStep(user, tenderId, "refund", async (tx, { award }, at) => {
    if (!award.letters.some((l) => l.bidderOrgId === input.bidderOrgId)) return refuse("award.refusal.notABidder", 422);
    if (await tx.securityRefund.count({ where: { tenderId, bidderOrgId: input.bidderOrgId } }))
      return refuse("award.refusal.refundRecorded", 409, { article: "Regs Art 57" });
    const amount = parseAmount(input.amount);
    if (!amount.ok) return amount;
    if (!input.refundedOn) return refuse("award.refusal.dateRequired", 400);
    const date = parseLocalDate(input.refundedOn);
    if (!date.ok) return refusalFromDomain(date.error, "tender.errors", 400);
    if (date.value > shanghaiDate(at)) return refuse("award.refusal.refundInFuture", 422, { params: { date: date.value } });
    if (date.value < shanghaiDate(award.confirmedAt))
      return refuse("award.refusal.refundBeforeAward", 422, { params: { date: date.value } });
    const row = await tx.securityRefund.create({
      data: {
        tenderId,
        bidderOrgId: input.bidderOrgId,
        amountCents: amount.value,
        refundedAt: startOfShanghaiDay(date.value),
        recordedById: user.id,
        note: input.note,
      },
      select: { id: true },
    });
    const remaining = award.letters.length - (await tx.securityRefund.count({ where: { tenderId } }));
    if (remaining <= 0)
      await stopClock(tx, { kind: "security-refund", subjectType: AUDIT_SUBJECT.Award, subjectId: award.id }, "met");
    await appendAudit(
      {
        actorId: user.id,
        action: "results.security_refunded",
        subjectType: AUDIT_SUBJECT.Award,
        subjectId: award.id,
        data: {
          tenderId,
          refundId: row.id,
          bidderOrgId: input.bidderOrgId,
          amountCents: amount.value.toString(),
          refundedOn: date.value,
          remaining,
          article: "Regs Art 57",
        },
      },
      tx,
    );
    return { ok: true, value: { remaining } };
  });
}
