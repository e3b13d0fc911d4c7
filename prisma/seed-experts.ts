// Demo data of the expert pool (issue 14): 16 approved experts in three specialties (one of
// them employed by a demo bidder, so the draw's exclusion shows), two tenders whose bids are
// opened (status OPENED, so the opening sweep leaves them alone: they carry Bid rows but no sealed
// versions, which it would declare 流标) with the three demo bidders on record: MZ-JS-2026-0101 with an approved request
// (the draw runs within 30 s of the server starting), MZ-JS-2026-0100 ready for a new request.
// Idempotent: upserts by natural keys.
import type { PrismaClient } from "../app/generated/prisma/client.ts";
import { creditCodeCheckChar } from "../app/features/accounts/credit-code.ts";
import { idNumberHash } from "../app/features/experts/id-hash.server.ts";
import { appendAudit } from "../app/platform/audit/audit.server.ts";
import { commitSeed } from "../bidding-core/index.ts";
import { randomBytes } from "node:crypto";

const HOUR = 3_600_000;
const code = (first17: string) => first17 + creditCodeCheckChar(first17);

/** A checksum-valid demo ID number (GB 11643) for person n. */
function demoIdNumber(n: number): string {
  const body = `33020319${String(70 + (n % 20)).padStart(2, "0")}0${(n % 9) + 1}1${String(n).padStart(2, "0")}${n % 10}0`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = weights.reduce((acc, w, i) => acc + w * Number(body[i]), 0);
  return body + "10X98765432"[sum % 11]!;
}

const EMPLOYERS = [
  { name: "明州大学土木工程学院", code: code("12330200MB0000003") },
  { name: "明州市市政设计研究院有限公司", code: code("91330200MA2D00021") },
  { name: "浙东交通规划设计院有限公司", code: code("91330200MA2D00022") },
  { name: "明州天衡工程造价咨询有限公司", code: code("91330200MA2D00023") },
];
const SURNAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨";

// [email, name, specialties, employer key]; the last one works for demo bidder 1.
const EXPERTS: { email: string; name: string; specialties: string[]; employer: number | "bidder1" }[] = Array.from(
  { length: 16 },
  (_, i) => {
    const n = i + 1;
    const specialties = n <= 6 ? ["A0201"] : n <= 11 ? ["A0202", ...(n === 11 ? ["A0201"] : [])] : ["A0301"];
    return {
      email: `expert${n}@demo.mingbiao.cn`,
      name: n === 1 ? "赵专家" : `${SURNAMES[i]}${["建国", "立新", "海峰", "雪梅", "志强", "晓东"][i % 6]}`,
      specialties,
      employer: n === 6 ? "bidder1" : n === 1 ? 0 : (i % 3) + 1,
    };
  },
);

export async function seedExperts(prisma: PrismaClient, passwordHash: string): Promise<void> {
  const orgIds: string[] = [];
  for (const e of EMPLOYERS) {
    const row = await prisma.organization.upsert({
      where: { creditCode: e.code },
      update: {},
      create: { name: e.name, creditCode: e.code, kind: "EXPERT_EMPLOYER" },
      select: { id: true },
    });
    orgIds.push(row.id);
  }
  const bidder1 = await prisma.user.findUniqueOrThrow({
    where: { email: "bidder1@demo.mingbiao.cn" },
    select: { organizationId: true },
  });
  const admin = await prisma.user.findUniqueOrThrow({ where: { email: "admin@demo.mingbiao.cn" }, select: { id: true } });
  for (const [i, e] of EXPERTS.entries()) {
    const organizationId = e.employer === "bidder1" ? bidder1.organizationId! : orgIds[e.employer]!;
    const user = await prisma.user.upsert({
      where: { email: e.email },
      update: {},
      create: {
        email: e.email,
        name: e.name,
        role: "EXPERT",
        organizationId,
        passwordHash,
        phone: `1380000${String(i + 1).padStart(4, "0")}`,
      },
      select: { id: true, organizationId: true },
    });
    const existing = await prisma.expert.findUnique({ where: { userId: user.id }, select: { id: true } });
    if (existing) continue;
    await prisma.expert.create({
      data: {
        userId: user.id,
        name: e.name,
        idNumberHash: idNumberHash(demoIdNumber(i + 1)),
        employerOrgId: user.organizationId ?? organizationId,
        title: "高级工程师",
        yearsOfPractice: 10 + i,
        region: "浙江省明州市",
        phone: `1380000${String(i + 1).padStart(4, "0")}`,
        status: "APPROVED",
        decidedById: admin.id,
        decidedAt: new Date(),
        specialties: { create: e.specialties.map((specialtyCode) => ({ specialtyCode })) },
      },
    });
  }
  await seedDrawTenders(prisma, admin.id);
}

async function seedDrawTenders(prisma: PrismaClient, adminId: string): Promise<void> {
  const agent = await prisma.user.findUniqueOrThrow({
    where: { email: "agent@demo.mingbiao.cn" },
    select: { id: true, organizationId: true },
  });
  const supervisor = await prisma.user.findUniqueOrThrow({
    where: { email: "supervisor@demo.mingbiao.cn" },
    select: { id: true },
  });
  const tenderer = await prisma.organization.findFirstOrThrow({
    where: { kind: "TENDERER" },
    orderBy: { createdAt: "asc" },
    select: { id: true },
  });
  const bidders = await prisma.user.findMany({
    where: { email: { in: ["bidder1@demo.mingbiao.cn", "bidder2@demo.mingbiao.cn", "bidder3@demo.mingbiao.cn"] } },
    select: { organizationId: true },
  });
  const now = Date.now();
  const tenders = [
    { code: "MZ-JS-2026-0101", title: "明州市江北区环城北路（东段）快速路改造工程施工招标", withRequest: true },
    { code: "MZ-JS-2026-0100", title: "明州市鄞东区惠风桥及接线道路工程施工招标", withRequest: false },
  ];
  for (const t of tenders) {
    if (await prisma.tender.findUnique({ where: { code: t.code }, select: { id: true } })) continue;
    const deadline = new Date(now - 2 * HOUR);
    const issued = new Date(deadline.getTime() - 25 * 24 * HOUR);
    const tender = await prisma.tender.create({
      data: {
        code: t.code,
        title: t.title,
        description: "城市道路及桥梁工程施工（专家抽取演示项目）。",
        region: "浙江省明州市",
        procedureType: "WORKS",
        mandatory: true,
        status: "OPENED",
        estimatedPriceCents: 5_600_000_000n,
        bidSecurityCents: 50_000_000n,
        tendererOrgId: tenderer.id,
        agentOrgId: agent.organizationId,
        createdById: agent.id,
        docsIssueAt: issued,
        docsAvailableUntil: new Date(issued.getTime() + 7 * 24 * HOUR),
        bidDeadline: deadline,
        publishedAt: issued,
        // Bid rows stand for the three demo bidders' bids (the draw checks avoidance against them).
        bids: { create: bidders.flatMap((b) => (b.organizationId ? [{ organizationId: b.organizationId }] : [])) },
        supervisors: { create: { userId: supervisor.id, assignedById: adminId } },
      },
      select: { id: true },
    });
    await appendAudit({
      actorId: agent.id,
      action: "tender.published",
      subjectType: "Tender",
      subjectId: tender.id,
      data: { code: t.code, seed: true },
    });
    if (!t.withRequest) continue;
    const evaluationStartAt = new Date(now + 20 * HOUR);
    const secret = randomBytes(32);
    const commitment = commitSeed(new Uint8Array(secret));
    const request = await prisma.committeeRequest.create({
      data: {
        tenderId: tender.id,
        requestedById: agent.id,
        requirements: [
          { specialty: "A0201", count: 3, reserves: 2 },
          { specialty: "A0301", count: 2, reserves: 1 },
        ],
        representativeIds: [],
        evaluationStartAt,
        status: "APPROVED",
        decidedById: supervisor.id,
        decidedAt: new Date(),
        drawAt: deadline,
        seedCommitment: commitment,
        seedSecret: secret.toString("hex"),
      },
      select: { id: true },
    });
    await appendAudit({
      actorId: supervisor.id,
      action: "experts.request_approved",
      subjectType: "Tender",
      subjectId: tender.id,
      data: { requestId: request.id, drawAt: deadline.toISOString(), seedCommitment: commitment, seed: true },
    });
  }
}
