// Demo (and test) data for the candidate publicity (issue 17 items 1, 2; decision 113): tenders
// whose evaluation is over, as the room leaves them — bids opened with their 唱标, a drawn
// committee, an evaluation_session whose report JSON has the shape report.server.ts writes
// (committee, bidders, qualification, rejected, summary, candidates) and report_signed_at set.
// MZ-JS-2026-0130 is "report signed, ready to publish"; MZ-JS-2026-0131 is "in publicity now"
// (published through the results feature, the window open 4 days from the seed's time, so
// bidder1 may object). Idempotent by tender code. Run alone (`tsx prisma/seed-results.ts --code X`)
// it seeds one more signed-report tender for the demo actors (the e2e test does).
import { randomBytes } from "node:crypto";
import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "../app/generated/prisma/client.ts";
import { demoActors } from "./seed-actors.ts";
import { pgConnectionConfig } from "../app/platform/db-url.ts";
import { disconnectDb } from "../app/platform/db.server.ts";
import { closeRedis } from "../app/platform/redis.server.ts";
import { appendAudit } from "../app/platform/audit/audit.server.ts";
import { AUDIT_SUBJECT } from "../app/platform/audit/subjects.ts";
import { assignSupervisor } from "../app/features/witness/witness.server.ts";
import { openPublishClocks, publishCandidates } from "../app/features/results/publicity.server.ts";
import { reportSha256 } from "../app/features/evaluation/report.server.ts";
import { toBeijingLocal } from "../app/features/tenders/beijing-time.ts";

const DAY = 86_400_000;
const HOUR = 3_600_000;

const QUALIFICATION = [
  { id: "q1", text: "具有市政公用工程施工总承包二级及以上资质和有效的安全生产许可证" },
  { id: "q2", text: "拟派项目经理具有市政公用工程专业二级及以上注册建造师执业资格" },
];

export interface SignedReportBidder {
  organizationId: string;
  /** 唱标 price in yuan, as read out ("8650000.00"). */
  price: string;
  /** Technical and commercial points (of 50 and 20); price points are computed (30, lowest price = 30). */
  technical: number;
  commercial: number;
  /** Rejected at qualification with this reason (criterion q1). */
  rejected?: string;
}

export interface SignedReportInput {
  code: string;
  title: string;
  agentId: string;
  agentOrgId: string | null;
  tendererOrgId: string;
  bidders: SignedReportBidder[];
  /** The committee's experts (the first is the chair): their user and expert ids. */
  experts: { userId: string; expertId: string }[];
  specialty: string;
  reportSignedAt: Date;
}

const fen = (yuan: string) => BigInt(yuan.replace(".", ""));

/**
 * A tender whose evaluation report is signed and issued: tender OPENED (the room does not move
 * the status), the opening closed with each bid's read-out, a DRAWN committee, the evaluation
 * session with its report. Returns the tender's id. Not idempotent by itself (callers check the code).
 */
export async function seedSignedReportTender(prisma: PrismaClient, input: SignedReportInput): Promise<string> {
  const signed = input.reportSignedAt.getTime();
  const deadline = new Date(signed - 2 * DAY);
  const tender = await prisma.tender.create({
    data: {
      code: input.code,
      title: input.title,
      description: "中标候选人公示演示项目：开标、评标已结束，评标报告已签署。",
      region: "浙江省明州市鄞东区",
      procedureType: "WORKS",
      status: "OPENED",
      estimatedPriceCents: 900_000_000n,
      bidSecurityCents: 10_000_000n,
      tendererOrgId: input.tendererOrgId,
      agentOrgId: input.agentOrgId,
      createdById: input.agentId,
      docsIssueAt: new Date(deadline.getTime() - 25 * DAY),
      docsAvailableUntil: new Date(deadline.getTime() - 18 * DAY),
      bidDeadline: deadline,
      publishedAt: new Date(deadline.getTime() - 25 * DAY),
      readOutItems: [
        { key: "price", label: "投标报价", kind: "money" },
        { key: "duration", label: "工期（日历天）", kind: "text" },
      ],
      qualificationRequirements: QUALIFICATION,
      evaluationConfig: {
        method: "COMPREHENSIVE",
        weights: { technical: 50, commercial: 20, price: 30 },
        priceScoring: { benchmark: { kind: "lowest" }, formula: { kind: "ratio" } },
        criteria: [
          { id: "c1", part: "technical", name: "施工组织设计", maxPoints: 50, guidance: "0–50 分。" },
          { id: "c2", part: "commercial", name: "类似工程业绩", maxPoints: 20, guidance: "0–20 分。" },
        ],
      },
    },
    select: { id: true },
  });
  const orgs = await prisma.organization.findMany({
    where: { id: { in: input.bidders.map((b) => b.organizationId) } },
    select: { id: true, name: true },
  });
  const nameOf = (id: string) => orgs.find((o) => o.id === id)?.name ?? id;
  const opening = await prisma.openingSession.create({
    data: {
      tenderId: tender.id,
      step: "CLOSED",
      startedAt: deadline,
      hostId: input.agentId,
      readOutAt: new Date(deadline.getTime() + HOUR),
      closedAt: new Date(deadline.getTime() + 2 * HOUR),
      collusion: [],
    },
    select: { id: true },
  });
  for (const [i, b] of input.bidders.entries()) {
    const bid = await prisma.bid.create({
      data: { tenderId: tender.id, organizationId: b.organizationId },
      select: { id: true },
    });
    await prisma.openingBid.create({
      data: {
        sessionId: opening.id,
        bidId: bid.id,
        bidVersionId: crypto.randomUUID(),
        organizationId: b.organizationId,
        seq: i + 1,
        challenge: randomBytes(16).toString("hex"),
        signedInAt: new Date(deadline.getTime() + 10 * 60_000),
        status: "OPENED",
        openedAt: new Date(deadline.getTime() + 30 * 60_000),
        readOut: { price: b.price, duration: String(360 + 30 * i) },
        confirmedAt: new Date(deadline.getTime() + HOUR),
      },
    });
  }
  const drawnAt = new Date(deadline.getTime() - DAY);
  const request = await prisma.committeeRequest.create({
    data: {
      tenderId: tender.id,
      requestedById: input.agentId,
      requirements: [{ specialty: input.specialty, count: input.experts.length, reserves: 0 }],
      representativeIds: [],
      evaluationStartAt: new Date(signed - DAY),
      status: "DRAWN",
      decidedAt: drawnAt,
      drawAt: drawnAt,
      drawnAt,
      seedCommitment: randomBytes(32).toString("hex"),
      seedSecret: randomBytes(32).toString("hex"),
      result: { members: input.experts.map((e) => ({ expertId: e.expertId, specialty: input.specialty })), reserves: [] },
    },
    select: { id: true },
  });
  for (const [i, e] of input.experts.entries())
    await prisma.committeeSeat.create({
      data: {
        requestId: request.id,
        seat: i + 1,
        expertId: e.expertId,
        specialty: input.specialty,
        status: "CONFIRMED",
        invitedAt: drawnAt,
        respondBy: new Date(drawnAt.getTime() + 900_000),
        respondedAt: drawnAt,
      },
    });
  const users = await prisma.user.findMany({
    where: { id: { in: input.experts.map((e) => e.userId) } },
    select: { id: true, name: true },
  });
  // The summary as the room computes it for the comprehensive method (price: lowest = 30 points).
  const valid = input.bidders.filter((b) => !b.rejected);
  const lowest = valid.reduce((min, b) => (fen(b.price) < min ? fen(b.price) : min), fen(valid[0]!.price));
  const results = valid.map((b) => {
    const priceScore = Math.round((Number(lowest) / Number(fen(b.price))) * 10_000) / 100;
    const pricePoints = Math.round(priceScore * 30) / 100;
    return {
      bidderId: b.organizationId,
      price: fen(b.price).toString(),
      technicalScore: b.technical,
      commercialScore: b.commercial,
      priceScore,
      pricePoints,
      total: Math.round((b.technical + b.commercial + pricePoints) * 100) / 100,
    };
  });
  const ranked = [...results].sort((a, b) => b.total - a.total);
  const openedAt = new Date(signed - DAY);
  const report = {
    tender: { id: tender.id, code: input.code, title: input.title },
    session: { openedAt: openedAt.toISOString(), endsAt: new Date(openedAt.getTime() + 8 * HOUR).toISOString(), extended: false },
    committee: input.experts.map((e, i) => ({
      userId: e.userId,
      name: users.find((u) => u.id === e.userId)?.name ?? "",
      chair: i === 0,
      signedInAt: openedAt.toISOString(),
      pledgedAt: openedAt.toISOString(),
      recusal: "none",
      recusalReason: null,
      replaced: false,
    })),
    bidders: Object.fromEntries(input.bidders.map((b) => [b.organizationId, nameOf(b.organizationId)])),
    qualification: input.bidders.map((b) => ({
      bidderId: b.organizationId,
      passed: !b.rejected,
      failures: b.rejected ? [{ criterionId: "q1", reason: b.rejected }] : [],
      differences: [],
    })),
    rejected: input.bidders
      .filter((b) => b.rejected)
      .map((b) => ({ bidderId: b.organizationId, failures: [{ criterionId: "q1", reason: b.rejected! }] })),
    differences: [],
    collusionFindings: [],
    sheets: [],
    summary: { benchmark: lowest.toString(), results, outliers: [] },
    clarifications: [],
    candidates: ranked.slice(0, 3).map((r, i) => ({ rank: i + 1, bidderId: r.bidderId, unresolvedTieWith: [] })),
    draftedAt: new Date(signed - 2 * HOUR).toISOString(),
  };
  const session = await prisma.evaluationSession.create({
    data: {
      tenderId: tender.id,
      openedAt,
      endsAt: new Date(openedAt.getTime() + 8 * HOUR),
      chairUserId: input.experts[0]!.userId,
      qualification: report.qualification,
      qualificationClosedAt: new Date(signed - 4 * HOUR),
      summaryClosedAt: new Date(signed - 2 * HOUR),
      report,
      reportDraftedAt: new Date(signed - 2 * HOUR),
      reportDeadline: new Date(signed),
      reportSignedAt: input.reportSignedAt,
    },
    select: { id: true },
  });
  for (const e of input.experts)
    await prisma.evaluationMember.create({
      data: {
        sessionId: session.id,
        userId: e.userId,
        challenge: randomBytes(16).toString("hex"),
        signedInAt: openedAt,
        pledgedAt: openedAt,
        recusal: "none",
        reportSignedAt: new Date(signed - HOUR),
        reportSignature: "seed",
      },
    });
  await appendAudit({
    actorId: null,
    action: "evaluation.report_issued",
    subjectType: AUDIT_SUBJECT.Tender,
    subjectId: tender.id,
    data: { tenderId: tender.id, reportSha256: reportSha256(report), pdfSha256: null, seed: true },
  });
  return tender.id;
}

const DEMO = [
  { code: "MZ-JS-2026-0130", title: "明州市鄞东区滨江路（三期）道路及管网工程施工招标", publish: false },
  { code: "MZ-JS-2026-0131", title: "明州市东部新城文体中心室外配套工程施工招标", publish: true },
];

/** Signed-report tenders for the demo actors (bidder1..3, expert1..5). Returns the ids by code. */
export async function seedResultsDemo(
  prisma: PrismaClient,
  only?: { code: string; title?: string },
): Promise<Record<string, string>> {
  const { agent, admin, supervisor, tenderer } = await demoActors(prisma);
  const bidders = await Promise.all(
    [1, 2, 3].map((n) =>
      prisma.user.findUniqueOrThrow({ where: { email: `bidder${n}@demo.mingbiao.cn` }, select: { organizationId: true } }),
    ),
  );
  const experts = await prisma.expert.findMany({
    where: { user: { email: { in: [1, 2, 3, 4, 5].map((n) => `expert${n}@demo.mingbiao.cn`) } } },
    select: { id: true, userId: true, specialties: { select: { specialtyCode: true }, take: 1 } },
    orderBy: { user: { email: "asc" } },
  });
  if (experts.length < 3) throw new Error("seed-results: the demo experts are missing (seed-experts runs first)");
  const list = only ? [{ code: only.code, title: only.title ?? DEMO[0]!.title, publish: false }] : DEMO;
  const ids: Record<string, string> = {};
  for (const [i, d] of list.entries()) {
    const existing = await prisma.tender.findUnique({ where: { code: d.code }, select: { id: true } });
    if (existing) {
      ids[d.code] = existing.id;
      continue;
    }
    const tenderId = await seedSignedReportTender(prisma, {
      code: d.code,
      title: d.title,
      agentId: agent.id,
      agentOrgId: agent.organizationId,
      tendererOrgId: tenderer.id,
      bidders: [
        { organizationId: bidders[0]!.organizationId!, price: "8650000.00", technical: 44.5, commercial: 17 },
        { organizationId: bidders[1]!.organizationId!, price: "8712345.00", technical: 41, commercial: 18 },
        {
          organizationId: bidders[2]!.organizationId!,
          price: "8599000.00",
          technical: 0,
          commercial: 0,
          rejected: "安全生产许可证已过有效期（2026 年 9 月到期）",
        },
      ],
      experts: experts.map((e) => ({ userId: e.userId, expertId: e.id })),
      specialty: experts[0]!.specialties[0]?.specialtyCode ?? "demo",
      reportSignedAt: new Date(Date.now() - (i + 1) * HOUR),
    });
    await assignSupervisor(admin.id, tenderId, supervisor.id);
    if (d.publish) {
      const user = await prisma.user.findUniqueOrThrow({
        where: { id: agent.id },
        select: { id: true, email: true, name: true, role: true, organizationId: true, organization: { select: { name: true } } },
      });
      // Through the feature, as the agent's page does: 4 days from now (at least 3 full days).
      const published = await publishCandidates({ ...user, organizationName: user.organization?.name ?? null }, tenderId, {
        startsAt: "",
        endsAt: toBeijingLocal(new Date(Date.now() + 5 * DAY)).slice(0, 10) + "T18:00",
        remarks: "",
      });
      if (!published.ok) throw new Error(`seed-results: ${d.code}: ${published.refusal.code}`);
    } else await openPublishClocks([tenderId]);
    ids[d.code] = tenderId;
  }
  return ids;
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

// Run alone: one more signed-report tender (the e2e test seeds its own this way).
if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.dirname, "seed-results.ts")) {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error("DATABASE_URL is not set");
  const prisma = new PrismaClient({ adapter: new PrismaPg(pgConnectionConfig(databaseUrl)) });
  try {
    const code = arg("code");
    const ids = await seedResultsDemo(prisma, code ? { code, title: arg("title") } : undefined);
    console.log(JSON.stringify({ tenderIds: ids }));
  } finally {
    await prisma.$disconnect();
    await disconnectDb();
    await closeRedis();
  }
}
