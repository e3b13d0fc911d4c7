// Demo data for the public results (issue 17 item 4, decision 118): a works tender of the demo
// agent that has run to its end — notice, a clarification, candidate publicity with an answered
// objection, a dismissed complaint, the award and the contract — so the public can find it in
// 结果公示 (/results), read its history on the notice page and its award and contract releases in
// the OCDS feed. The rows are those the publicity, remedies and award features leave (decision
// 113). Idempotent: nothing is written when the tender exists.
import type { PrismaClient } from "../app/generated/prisma/client.ts";
import { assignSupervisor } from "../app/features/witness/witness.server.ts";
import { demoActors } from "./seed-actors.ts";

export const RESULTS_DEMO_CODE = "MZ-JS-2026-0145";
const DAY = 24 * 3600 * 1000;

export async function seedResultsPublic(prisma: PrismaClient): Promise<void> {
  if (await prisma.tender.findUnique({ where: { code: RESULTS_DEMO_CODE }, select: { id: true } })) return;
  const { agent, admin, supervisor, tenderer } = await demoActors(prisma);
  const bidders = await prisma.user.findMany({
    where: { email: { in: ["bidder1@demo.mingbiao.cn", "bidder2@demo.mingbiao.cn", "bidder3@demo.mingbiao.cn"] } },
    orderBy: { email: "asc" },
    select: { id: true, organization: { select: { id: true, name: true } } },
  });
  if (bidders.length !== 3 || bidders.some((b) => !b.organization)) return;
  const orgs = bidders.map((b) => b.organization!);
  const t0 = Date.now() - 60 * DAY; // the notice, 60 days ago
  const at = (days: number) => new Date(t0 + days * DAY);
  const prices = [1_268_500_000n, 1_281_000_000n, 1_295_300_000n];
  const tender = await prisma.$transaction(async (tx) => {
    const row = await tx.tender.create({
      data: {
        code: RESULTS_DEMO_CODE,
        title: "明州市东湖路（三期）道路及排水工程",
        description: "东湖路（三期）道路、雨污水管网及照明工程施工，全长 1.8 公里。",
        procedureType: "WORKS",
        status: "AWARDED",
        estimatedPriceCents: 1_350_000_000n,
        bidSecurityCents: 20_000_000n,
        tendererOrgId: tenderer.id,
        agentOrgId: agent.organizationId,
        createdById: agent.id,
        docsIssueAt: at(0),
        docsAvailableUntil: at(7),
        bidDeadline: at(24),
        publishedAt: at(0),
      },
      select: { id: true },
    });
    await tx.clarification.create({
      data: {
        tenderId: row.id,
        number: 1,
        title: "工程量清单第 4 章修正",
        body: "工程量清单第 4 章排水管道长度由 1 650 米修正为 1 720 米，投标截止时间不变。",
        affectsPreparation: false,
        issuedAt: at(5),
        previousDeadline: at(24),
        bidDeadline: at(24),
        deadlineMoved: false,
        issuedById: agent.id,
      },
    });
    await tx.candidatePublicity.create({
      data: {
        tenderId: row.id,
        reportSha256: "0".repeat(64),
        reportReceivedAt: at(27),
        publishedAt: at(28),
        publishedById: agent.id,
        startsAt: at(28),
        endsAt: at(31),
        candidates: orgs.map((o, i) => ({
          rank: i + 1,
          bidderOrgId: o.id,
          name: o.name,
          readOut: { price: prices[i]!.toString() },
          priceCents: prices[i]!.toString(),
          score: ["92.35", "89.10", "86.72"][i],
        })),
        committee: [
          { name: "王建国", role: "chair", specialty: "市政道路" },
          { name: "李明", role: "member", specialty: "给排水" },
          { name: "张华", role: "member", specialty: "工程造价" },
          { name: "陈静", role: "member", specialty: "市政道路" },
          { name: "招标人代表", role: "representative", specialty: null },
        ],
      },
    });
    await tx.objection.create({
      data: {
        tenderId: row.id,
        target: "result",
        objectorOrgId: orgs[2]!.id,
        objectorUserId: bidders[2]!.id,
        reasons: "第一中标候选人项目经理业绩不满足招标文件要求。",
        raisedAt: at(29),
        status: "ANSWERED",
        answer: "经复核，第一中标候选人项目经理业绩符合招标文件第二章要求，维持评标结果。",
        answeredAt: at(30),
        answeredById: agent.id,
        deadlineAction: "keep",
      },
    });
    await tx.complaint.create({
      data: {
        tenderId: row.id,
        complainantOrgId: orgs[2]!.id,
        complainantUserId: bidders[2]!.id,
        matter: "result",
        knownAt: at(30),
        filedAt: at(31),
        reasons: "对异议答复不服。",
        status: "DECIDED",
        acceptanceAt: at(32),
        acceptanceById: supervisor.id,
        decision: "dismissed",
        decisionText: "经核查，第一中标候选人项目经理业绩真实且符合招标文件要求，投诉缺乏事实根据，驳回投诉。",
        decidedAt: at(38),
        decidedById: supervisor.id,
      },
    });
    await tx.award.create({
      data: {
        tenderId: row.id,
        winnerOrgId: orgs[0]!.id,
        winnerName: orgs[0]!.name,
        winnerRank: 1,
        priceCents: prices[0]!,
        confirmedAt: at(39),
        confirmedById: agent.id,
        resultNoticeAt: at(39),
        contractSignedAt: at(52),
        contractAmountCents: prices[0]!,
        contractRecordedAt: at(52),
        contractRecordedById: agent.id,
        reportSubmittedAt: at(45),
        reportSubmittedById: agent.id,
      },
    });
    return row;
  });
  await assignSupervisor(admin.id, tender.id, supervisor.id);
}
