// Demo data: organisations, one user per role, published tenders. Idempotent (upserts by
// natural keys), so running the set-up twice leaves one copy. Passwords are for the local demo.
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient, type OrganizationKind, type Role } from "../app/generated/prisma/client.ts";
import { pgConnectionConfig } from "../app/platform/db-url.ts";
import { hashPassword } from "../app/features/accounts/password.server.ts";
import { creditCodeCheckChar } from "../app/features/accounts/credit-code.ts";
import { appendAudit } from "../app/platform/audit/audit.server.ts";
import { assignSupervisor } from "../app/features/witness/witness.server.ts";
import { disconnectDb } from "../app/platform/db.server.ts";
import { closeRedis } from "../app/platform/redis.server.ts";
import { seedDemoCustodians } from "./demo-custodians.ts";
import { seedOpeningDemo } from "./seed-opening.ts";
import { seedExperts } from "./seed-experts.ts";
import { minimalPdf } from "./minimal-pdf.ts";
import { seedEvaluationDemo } from "./seed-evaluation.ts";
import { seedRemedies } from "./seed-remedies.ts";
import { seedResultsPublic } from "./seed-results-public.ts";
import { seedRoomDemo } from "./seed-room.ts";
import { seedAwardDemo } from "./seed-award.ts";
import { seedResultsDemo } from "./seed-results.ts";
import { seedOutages } from "./seed-outages.ts";
import { seedChainDemo } from "./seed-chain.ts";
import { createHash, randomBytes } from "node:crypto";
import { mkdir, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";

export const DEMO_PASSWORD = "MingBiao-demo-2026";

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) throw new Error("DATABASE_URL is not set");
const prisma = new PrismaClient({ adapter: new PrismaPg(pgConnectionConfig(databaseUrl)) });

function creditCode(first17: string): string {
  return first17 + creditCodeCheckChar(first17);
}

const ORGS: { key: string; name: string; code: string; kind: OrganizationKind }[] = [
  { key: "platform", name: "明州市公共资源交易中心", code: creditCode("12330200MB0000001"), kind: "PLATFORM" },
  { key: "tenderer", name: "明州市城市建设投资集团有限公司", code: creditCode("91330200MA2C00001"), kind: "TENDERER" },
  { key: "agent", name: "明州正信工程咨询有限公司", code: creditCode("91330200MA2C00002"), kind: "AGENT" },
  { key: "bidder1", name: "华东建工集团有限公司", code: creditCode("91330100MA2B00011"), kind: "BIDDER" },
  { key: "bidder2", name: "浙东路桥工程有限公司", code: creditCode("91330100MA2B00012"), kind: "BIDDER" },
  { key: "bidder3", name: "甬城市政建设有限公司", code: creditCode("91330100MA2B00013"), kind: "BIDDER" },
  { key: "supervision", name: "明州市住房和城乡建设局", code: creditCode("11330200MB0000002"), kind: "SUPERVISION" },
  { key: "university", name: "明州大学土木工程学院", code: creditCode("12330200MB0000003"), kind: "EXPERT_EMPLOYER" },
];

const USERS: { email: string; name: string; role: Role; org: string }[] = [
  { email: "admin@demo.mingbiao.cn", name: "平台管理员", role: "ADMIN", org: "platform" },
  { email: "agent@demo.mingbiao.cn", name: "王代理", role: "AGENT", org: "agent" },
  { email: "bidder1@demo.mingbiao.cn", name: "李投标", role: "BIDDER", org: "bidder1" },
  { email: "bidder2@demo.mingbiao.cn", name: "张投标", role: "BIDDER", org: "bidder2" },
  { email: "bidder3@demo.mingbiao.cn", name: "陈投标", role: "BIDDER", org: "bidder3" },
  { email: "expert1@demo.mingbiao.cn", name: "赵专家", role: "EXPERT", org: "university" },
  { email: "supervisor@demo.mingbiao.cn", name: "周监督", role: "SUPERVISOR", org: "supervision" },
];

const DAY = 24 * 3600 * 1000;

// 唱标 items and evaluation settings of the demo tenders (the shapes app/features/tenders/form.ts writes).
const READ_OUT_ITEMS = [
  { key: "price", label: "投标报价", kind: "money" },
  { key: "item1", label: "工期", kind: "days" },
  { key: "item2", label: "质量标准", kind: "text" },
];
const EVALUATION_CONFIG = {
  method: "COMPREHENSIVE",
  weights: { technical: 50, commercial: 20, price: 30 },
  priceScoring: { benchmark: { kind: "average", coefficientPermille: 950 }, formula: { kind: "ratio" } },
  criteria: ["施工组织设计", "项目管理机构", "企业业绩与信誉"],
};

/** Stores content by its SHA-256 the way app/platform/storage.server.ts does (temp file, then rename). */
async function storeFile(content: Buffer): Promise<string> {
  const dir = path.resolve(process.env.FILES_DIR ?? "var/files");
  const sha256 = createHash("sha256").update(content).digest("hex");
  const target = path.join(dir, sha256);
  const exists = await stat(target).then(
    () => true,
    () => false,
  );
  if (exists) return sha256;
  await mkdir(path.join(dir, "tmp"), { recursive: true });
  const temp = path.join(dir, "tmp", `seed-${randomBytes(8).toString("hex")}`);
  try {
    await writeFile(temp, content);
    await rename(temp, target);
  } finally {
    await rm(temp, { force: true });
  }
  return sha256;
}

function must(map: Map<string, string>, key: string): string {
  const value = map.get(key);
  if (!value) throw new Error(`seed: ${key} was not created`);
  return value;
}

async function main() {
  const orgIds = new Map<string, string>();
  for (const o of ORGS) {
    const row = await prisma.organization.upsert({
      where: { creditCode: o.code },
      update: { name: o.name, kind: o.kind },
      create: { name: o.name, creditCode: o.code, kind: o.kind },
      select: { id: true },
    });
    orgIds.set(o.key, row.id);
  }
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const userIds = new Map<string, string>();
  for (const u of USERS) {
    const row = await prisma.user.upsert({
      where: { email: u.email },
      update: {},
      create: { email: u.email, name: u.name, role: u.role, organizationId: orgIds.get(u.org), passwordHash },
      select: { id: true },
    });
    userIds.set(u.role, row.id);
  }
  const now = Date.now();
  const tenders = [
    {
      code: "MZ-JS-2026-0158",
      title: "明州市东部新城滨江大道（二期）道路及配套工程施工招标",
      procedureType: "WORKS" as const,
      estimatedPriceCents: 12_860_000_000n,
      bidSecurityCents: 80_000_000n,
      region: "浙江省明州市鄞东区",
      issuedDaysAgo: 2,
      description:
        "本项目为滨江大道（二期）道路工程，全长约 3.2 公里，含道路、排水、照明、绿化及交通设施。\n\n" +
        "招标范围：施工图范围内的全部工程内容。计划工期 540 日历天。投标人须具备市政公用工程施工总承包二级及以上资质。",
    },
    {
      code: "MZ-HW-2026-0203",
      title: "明州市第一人民医院医学影像设备采购项目",
      procedureType: "GOODS" as const,
      estimatedPriceCents: 2_350_000_000n,
      bidSecurityCents: 20_000_000n,
      region: "浙江省明州市海曙区",
      issuedDaysAgo: 5,
      description: "采购 3.0T 磁共振成像系统 1 套、64 排 CT 1 套，含安装、调试、培训及五年保修。",
    },
  ];
  for (const t of tenders) {
    const docsIssueAt = new Date(now - t.issuedDaysAgo * DAY);
    const pdf = minimalPdf(`Tender documents ${t.code}`);
    const sha256 = await storeFile(pdf);
    const existing = await prisma.tender.findUnique({
      where: { code: t.code },
      select: { id: true, documents: { select: { id: true } } },
    });
    if (existing) {
      if (existing.documents.length === 0) {
        await prisma.tenderDocument.create({
          data: {
            tenderId: existing.id,
            kind: "TENDER_DOCUMENTS",
            fileName: `${t.code} 招标文件.pdf`,
            sizeBytes: BigInt(pdf.length),
            sha256,
            storageKey: sha256,
            uploadedById: must(userIds, "AGENT"),
          },
        });
      }
      continue;
    }
    await prisma.$transaction(async (tx) => {
      const tender = await tx.tender.create({
        data: {
          code: t.code,
          title: t.title,
          description: t.description,
          region: t.region,
          procedureType: t.procedureType,
          mandatory: true,
          status: "PUBLISHED",
          estimatedPriceCents: t.estimatedPriceCents,
          bidSecurityCents: t.bidSecurityCents,
          tendererOrgId: must(orgIds, "tenderer"),
          agentOrgId: must(orgIds, "agent"),
          createdById: must(userIds, "AGENT"),
          docsIssueAt,
          docsAvailableUntil: new Date(docsIssueAt.getTime() + 7 * DAY),
          bidDeadline: new Date(docsIssueAt.getTime() + 25 * DAY),
          publishedAt: docsIssueAt,
          readOutItems: READ_OUT_ITEMS,
          qualificationRequirements: [
            { id: "q1", text: "具有独立法人资格，持有有效的营业执照" },
            { id: "q2", text: "近三年内无重大安全、质量事故及行贿犯罪记录" },
          ],
          evaluationMethod: "COMPREHENSIVE",
          evaluationConfig: EVALUATION_CONFIG,
          documents: {
            create: {
              kind: "TENDER_DOCUMENTS",
              fileName: `${t.code} 招标文件.pdf`,
              sizeBytes: BigInt(pdf.length),
              sha256,
              storageKey: sha256,
              uploadedById: must(userIds, "AGENT"),
              createdAt: docsIssueAt,
            },
          },
        },
        select: { id: true },
      });
      await appendAudit(
        {
          actorId: must(userIds, "AGENT"),
          action: "tender.published",
          subjectType: "Tender",
          subjectId: tender.id,
          data: { code: t.code, seed: true },
        },
        tx,
      );
    });
  }
  // The trading centre assigns the demo supervisor to the demo tenders: 数字见证 access, and a
  // share of each tender's escrow key (only assigned supervisors hold one).
  for (const t of tenders) {
    const watched = await prisma.tender.findUnique({ where: { code: t.code }, select: { id: true } });
    // Idempotent, audited, as the admin's 监督人员指派 page does it.
    if (watched) await assignSupervisor(must(userIds, "ADMIN"), watched.id, must(userIds, "SUPERVISOR"));
  }
  await seedRemedies(prisma);
  await seedDemoCustodians(prisma, ["agent@demo.mingbiao.cn", "supervisor@demo.mingbiao.cn"], DEMO_PASSWORD);
  await seedOpeningDemo(prisma, {
    code: "MZ-JS-2026-0099",
    keysDir: process.env.DEMO_KEYS_DIR ?? "var/demo-keys",
    password: DEMO_PASSWORD,
  });
  await seedExperts(prisma, passwordHash);
  await seedEvaluationDemo(prisma, { passwordHash, platformOrgId: must(orgIds, "platform") });
  await seedRoomDemo(prisma, {
    code: "MZ-JS-2026-0120",
    keysDir: process.env.DEMO_KEYS_DIR ?? "var/demo-keys",
    password: DEMO_PASSWORD,
  });
  await seedResultsPublic(prisma);
  // 中标 (issue 17 item 3): a tender whose candidate publicity has ended with no objection.
  await seedAwardDemo(prisma, { code: "MZ-JS-2026-0132" });
  // The same committee's second room: a lowest evaluated price tender (decision 105).
  await seedRoomDemo(prisma, {
    code: "MZ-JS-2026-0121",
    title: "明州市东部新城学府路（二期）配套道路照明工程施工招标",
    method: "LOWEST_EVALUATED_PRICE",
    keysDir: process.env.DEMO_KEYS_DIR ?? "var/demo-keys",
    password: DEMO_PASSWORD,
  });
  // Candidate publicity (issue 17): MZ-JS-2026-0130 ready to publish, MZ-JS-2026-0131 in publicity.
  await seedResultsDemo(prisma);
  await seedOutages(prisma);
  // Opening → draw → room on one tender (MZ-JS-2026-0099): its scoring table and every demo expert's signing key file.
  await seedChainDemo(prisma, { keysDir: process.env.DEMO_KEYS_DIR ?? "var/demo-keys", password: DEMO_PASSWORD });
  console.log(`Demo ready: ${USERS.length} users (password ${DEMO_PASSWORD}), ${tenders.length} tenders.`);
}

try {
  await main();
} finally {
  await prisma.$disconnect();
  await disconnectDb();
  // Assigning supervisors refreshes the public cache (Redis): close it so the seed ends.
  await closeRedis();
}
