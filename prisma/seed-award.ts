// Demo (and e2e) data for the award (issue 17 item 3): a works tender whose opening closed with
// the three demo bidders' bids, whose evaluation report is signed, and whose candidate publicity
// (中标候选人公示) has ended with no objection — ready for the agent to award at
// /agent/tenders/<id>/award. The rows are as the opening, the evaluation room and the publicity
// leave them. Idempotent by tender code. Run alone (`tsx prisma/seed-award.ts --code X
// [--publicity open]`) it seeds another; `open` leaves the publicity running (the e2e test).
import { createHash, randomBytes } from "node:crypto";
import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "../app/generated/prisma/client.ts";
import { demoActors } from "./seed-actors.ts";
import { pgConnectionConfig } from "../app/platform/db-url.ts";
import { disconnectDb } from "../app/platform/db.server.ts";
import { closeRedis } from "../app/platform/redis.server.ts";
import { putBuffer } from "../app/platform/storage.server.ts";
import { assignSupervisor } from "../app/features/witness/witness.server.ts";
import { appendAudit } from "../app/platform/audit/audit.server.ts";
import { AUDIT_SUBJECT } from "../app/platform/audit/subjects.ts";
import { canonicalJson } from "../bidding-core/canonical-json.ts";
import { minimalPdf } from "./minimal-pdf.ts";

const DAY = 86_400_000;

/** In rank order: the demo bidders, their read-out prices (yuan) and the committee's totals. */
const RANKED = [
  { email: "bidder1@demo.mingbiao.cn", price: "8650000.00", score: "92.35" },
  { email: "bidder3@demo.mingbiao.cn", price: "8599000.00", score: "90.10" },
  { email: "bidder2@demo.mingbiao.cn", price: "8712345.00", score: "86.40" },
];
const COMMITTEE = [1, 2, 3, 4, 5].map((n) => `expert${n}@demo.mingbiao.cn`);

export interface AwardSeed {
  code: string;
  title?: string;
  /** Leave the publicity running (ends in 3 days) instead of ended yesterday. */
  publicityOpen?: boolean;
}

const toCents = (yuan: string) => BigInt(yuan.replace(".", ""));

export async function seedAwardDemo(prisma: PrismaClient, seed: AwardSeed): Promise<string> {
  const existing = await prisma.tender.findUnique({ where: { code: seed.code }, select: { id: true } });
  if (existing) return existing.id;
  const { agent, admin, supervisor, tenderer } = await demoActors(prisma);
  const now = Date.now();
  const tender = await prisma.tender.create({
    data: {
      code: seed.code,
      title: seed.title ?? "明州市东部新城学府路（三期）管网配套工程施工招标",
      description: "中标演示项目：开标、评标已结束，中标候选人公示期已满且无异议，待确定中标人。",
      region: "浙江省明州市鄞东区",
      procedureType: "WORKS",
      status: "PUBLICITY",
      estimatedPriceCents: 900_000_000n,
      bidSecurityCents: 10_000_000n,
      tendererOrgId: tenderer.id,
      agentOrgId: agent.organizationId,
      createdById: agent.id,
      docsIssueAt: new Date(now - 45 * DAY),
      docsAvailableUntil: new Date(now - 38 * DAY),
      bidDeadline: new Date(now - 20 * DAY),
      publishedAt: new Date(now - 45 * DAY),
      readOutItems: [{ key: "price", label: "投标报价", kind: "money" }],
    },
    select: { id: true },
  });
  await appendAudit({
    actorId: agent.id,
    action: "tender.published",
    subjectType: AUDIT_SUBJECT.Tender,
    subjectId: tender.id,
    data: { code: seed.code, seed: true },
  });
  await assignSupervisor(admin.id, tender.id, supervisor.id);
  const bidders = [];
  for (const r of RANKED) {
    const user = await prisma.user.findUniqueOrThrow({
      where: { email: r.email },
      select: { organizationId: true, organization: { select: { name: true } } },
    });
    bidders.push({ ...r, orgId: user.organizationId!, name: user.organization!.name });
  }
  // The opening: closed, every bid opened and read out (seq in arrival order).
  const session = await prisma.openingSession.create({
    data: {
      tenderId: tender.id,
      step: "CLOSED",
      startedAt: new Date(now - 20 * DAY),
      hostId: agent.id,
      closedAt: new Date(now - 20 * DAY + 3_600_000),
      collusion: [],
    },
    select: { id: true },
  });
  for (const [i, b] of [...bidders].sort((x, y) => x.email.localeCompare(y.email)).entries()) {
    await prisma.openingBid.create({
      data: {
        sessionId: session.id,
        bidId: crypto.randomUUID(),
        bidVersionId: crypto.randomUUID(),
        organizationId: b.orgId,
        seq: i + 1,
        challenge: randomBytes(16).toString("hex"),
        signedInAt: new Date(now - 20 * DAY + 600_000),
        status: "OPENED",
        openedAt: new Date(now - 20 * DAY + 1_200_000),
        readOut: { price: b.price },
        confirmedAt: new Date(now - 20 * DAY + 1_800_000),
      },
    });
  }
  // The evaluation: the signed report, its canonical JSON and PDF as the room leaves them.
  const members = await prisma.user.findMany({ where: { email: { in: COMMITTEE } }, select: { id: true, name: true } });
  const signedAt = new Date(now - 10 * DAY);
  const report = {
    tender: { id: tender.id, code: seed.code, title: seed.title ?? "明州市东部新城学府路（三期）管网配套工程施工招标" },
    candidates: bidders.map((b, i) => ({ rank: i + 1, bidderId: b.orgId })),
    bidders: Object.fromEntries(bidders.map((b) => [b.orgId, b.name])),
    committee: members.map((m, i) => ({ userId: m.id, name: m.name, chair: i === 0 })),
  };
  const reportSha256 = createHash("sha256").update(canonicalJson(report)).digest("hex");
  const pdfSha256 = await putBuffer(minimalPdf(`Evaluation report ${seed.code}`));
  await prisma.evaluationSession.create({
    data: {
      tenderId: tender.id,
      openedAt: new Date(now - 11 * DAY),
      endsAt: new Date(now - 11 * DAY + 8 * 3_600_000),
      chairUserId: members[0]?.id ?? null,
      summaryClosedAt: new Date(now - 10 * DAY - 3_600_000),
      report,
      reportDraftedAt: new Date(now - 10 * DAY - 3_600_000),
      reportDeadline: new Date(now - 10 * DAY + 3_600_000),
      reportSignedAt: signedAt,
      reportPdfSha256: pdfSha256,
    },
  });
  // The candidate publicity (Regs Art 54): published within 3 days of the report, 3 full days at least.
  const startsAt = seed.publicityOpen ? new Date(now - DAY) : new Date(now - 8 * DAY);
  const endsAt = seed.publicityOpen ? new Date(now + 3 * DAY) : new Date(now - DAY);
  await prisma.candidatePublicity.create({
    data: {
      tenderId: tender.id,
      reportSha256,
      reportReceivedAt: signedAt,
      publishedAt: startsAt,
      publishedById: agent.id,
      startsAt,
      endsAt,
      candidates: bidders.map((b, i) => ({
        rank: i + 1,
        bidderOrgId: b.orgId,
        name: b.name,
        readOut: { price: b.price },
        priceCents: toCents(b.price).toString(),
        score: b.score,
      })),
      rejected: [],
      committee: members.map((m, i) => ({ name: m.name, role: i === 0 ? "chair" : "member", specialty: null })),
      remarks: "",
    },
  });
  await prisma.tender.update({ where: { id: tender.id }, data: { status: "PUBLICITY" } });
  return tender.id;
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

// Run alone: one more tender ready to award (the e2e test seeds its own this way).
if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.dirname, "seed-award.ts")) {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error("DATABASE_URL is not set");
  const prisma = new PrismaClient({ adapter: new PrismaPg(pgConnectionConfig(databaseUrl)) });
  try {
    const id = await seedAwardDemo(prisma, {
      code: arg("code") ?? "MZ-JS-2026-0132",
      title: arg("title"),
      publicityOpen: arg("publicity") === "open",
    });
    console.log(JSON.stringify({ tenderId: id }));
  } finally {
    await prisma.$disconnect();
    await disconnectDb();
    await closeRedis();
  }
}
