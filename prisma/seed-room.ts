// Demo (and e2e) data for the evaluation room (issue 15; decision 104): a works tender whose
// opening has closed (the three demo bidders' bids opened, 唱标 read out, each with a plaintext
// PDF for the committee), its scoring table and qualification criteria, the demo supervisor
// assigned, and a drawn committee of expert1..expert5 (confirmed) with expert7 as reserve, the
// evaluation time now. The experts' signing key files go to DEMO_KEYS_DIR/evaluation/
// (`<email>-sign.p12`, password: the demo password). Idempotent by tender code. Run alone
// (`tsx prisma/seed-room.ts --code X --keys DIR [--method lep]`) it seeds one more (the e2e
// tests do); `--method lep` makes it a lowest evaluated price tender with two adjustment factors.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "../app/generated/prisma/client.ts";
import { demoActors } from "./seed-actors.ts";
import { pgConnectionConfig } from "../app/platform/db-url.ts";
import { disconnectDb } from "../app/platform/db.server.ts";
import { closeRedis } from "../app/platform/redis.server.ts";
import { enrolCertificates } from "../app/features/pki/certificates.server.ts";
import { assignSupervisor } from "../app/features/witness/witness.server.ts";
import { appendAudit } from "../app/platform/audit/audit.server.ts";
import { createCsr } from "../crypto/pki/csr.ts";
import { generateRsaKeyPair } from "../crypto/pki/keygen.node.ts";
import { exportP12 } from "../crypto/pki/p12.ts";
import { certFromPem } from "../crypto/pki/pem.ts";
import { minimalPdf } from "./minimal-pdf.ts";

const BIDS = [
  { email: "bidder1@demo.mingbiao.cn", price: "8650000.00" },
  { email: "bidder2@demo.mingbiao.cn", price: "8712345.00" },
  { email: "bidder3@demo.mingbiao.cn", price: "8599000.00" },
];
const MEMBERS = [1, 2, 3, 4, 5].map((n) => `expert${n}@demo.mingbiao.cn`);
const RESERVE = "expert7@demo.mingbiao.cn";

const QUALIFICATION = [
  { id: "q1", text: "具有市政公用工程施工总承包二级及以上资质和有效的安全生产许可证" },
  { id: "q2", text: "拟派项目经理具有市政公用工程专业二级及以上注册建造师执业资格" },
];
const CRITERIA = [
  {
    id: "c1",
    part: "technical",
    name: "施工组织设计",
    maxPoints: 30,
    guidance: "方案完整可行 24–30 分；基本可行 15–23 分；有明显缺陷 0–14 分。",
  },
  { id: "c2", part: "technical", name: "项目管理机构", maxPoints: 20, guidance: "项目经理业绩及主要人员配备，0–20 分。" },
  { id: "c3", part: "commercial", name: "类似工程业绩", maxPoints: 20, guidance: "近五年类似工程每项 5 分，最多 20 分。" },
];

/** 经评审的最低投标价法 (decision 105): the adjustment factors a demo LEP tender states, with their ranges. */
const ADJUSTMENTS = [
  {
    id: "a1",
    factor: "工期提前",
    rule: "较招标工期每提前 1 日，评审时扣减投标报价的 0.1%，最多扣减 3%",
    minPercent: -3,
    maxPercent: 0,
  },
  {
    id: "a2",
    factor: "付款条件偏差",
    rule: "要求的预付款比例每高于招标文件 1 个百分点，评审时加价投标报价的 0.5%，最多加价 5%",
    minPercent: 0,
    maxPercent: 5,
  },
];

export interface RoomSeed {
  code: string;
  title?: string;
  /** The evaluation method (default the comprehensive one). */
  method?: "COMPREHENSIVE" | "LOWEST_EVALUATED_PRICE";
  keysDir: string;
  password: string;
}

export async function seedRoomDemo(prisma: PrismaClient, seed: RoomSeed): Promise<string> {
  const existing = await prisma.tender.findUnique({ where: { code: seed.code }, select: { id: true } });
  if (existing) return existing.id;
  const { agent, admin, supervisor, tenderer } = await demoActors(prisma);
  const now = Date.now();
  const tender = await prisma.tender.create({
    data: {
      code: seed.code,
      title: seed.title ?? "明州市东部新城学府路（二期）雨污分流改造工程施工招标",
      description: "评标演示项目：开标已结束，评标委员会已抽取，评标时间已到。",
      region: "浙江省明州市鄞东区",
      procedureType: "WORKS",
      status: "OPENED",
      estimatedPriceCents: 900_000_000n,
      bidSecurityCents: 10_000_000n,
      tendererOrgId: tenderer.id,
      agentOrgId: agent.organizationId,
      createdById: agent.id,
      docsIssueAt: new Date(now - 25 * 86_400_000),
      docsAvailableUntil: new Date(now - 18 * 86_400_000),
      bidDeadline: new Date(now - 2 * 3_600_000),
      publishedAt: new Date(now - 25 * 86_400_000),
      readOutItems: [{ key: "price", label: "投标报价", kind: "money" }],
      qualificationRequirements: QUALIFICATION,
      evaluationConfig:
        seed.method === "LOWEST_EVALUATED_PRICE"
          ? { method: "LOWEST_EVALUATED_PRICE", adjustments: ADJUSTMENTS }
          : {
              method: "COMPREHENSIVE",
              weights: { technical: 50, commercial: 20, price: 30 },
              priceScoring: { benchmark: { kind: "lowest" }, formula: { kind: "ratio" } },
              criteria: CRITERIA,
            },
    },
    select: { id: true },
  });
  await appendAudit({
    actorId: agent.id,
    action: "tender.published",
    subjectType: "Tender",
    subjectId: tender.id,
    data: { code: seed.code, seed: true },
  });
  await assignSupervisor(admin.id, tender.id, supervisor.id);
  const session = await prisma.openingSession.create({
    data: {
      tenderId: tender.id,
      step: "CLOSED",
      startedAt: new Date(now - 2 * 3_600_000),
      hostId: agent.id,
      closedAt: new Date(now - 3_600_000),
      collusion: [],
    },
    select: { id: true },
  });
  const bidsDir = path.resolve(process.env.BIDS_DIR ?? "var/bids");
  for (const [i, b] of BIDS.entries()) {
    const user = await prisma.user.findUniqueOrThrow({
      where: { email: b.email },
      select: { organizationId: true, organization: { select: { name: true } } },
    });
    const dir = path.join(tender.id, "opened", `seed-${i + 1}`);
    fs.mkdirSync(path.join(bidsDir, dir), { recursive: true });
    fs.writeFileSync(path.join(bidsDir, dir, "技术标.pdf"), minimalPdf(`Technical bid ${i + 1}`));
    await prisma.openingBid.create({
      data: {
        sessionId: session.id,
        bidId: crypto.randomUUID(),
        bidVersionId: crypto.randomUUID(),
        organizationId: user.organizationId!,
        seq: i + 1,
        challenge: randomBytes(16).toString("hex"),
        signedInAt: new Date(now - 7_000_000),
        status: "OPENED",
        openedAt: new Date(now - 6_000_000),
        readOut: { price: b.price },
        plaintextDir: dir,
        confirmedAt: new Date(now - 5_000_000),
      },
    });
  }
  const keys = path.join(path.resolve(seed.keysDir), "evaluation");
  fs.mkdirSync(keys, { recursive: true, mode: 0o700 });
  const expertIds: string[] = [];
  for (const email of [...MEMBERS, RESERVE]) expertIds.push(await expertSigningKey(prisma, email, keys, seed.password));
  const at = new Date();
  const request = await prisma.committeeRequest.create({
    data: {
      tenderId: tender.id,
      requestedById: agent.id,
      requirements: [{ specialty: "demo", count: 5, reserves: 1 }],
      representativeIds: [],
      evaluationStartAt: at,
      status: "DRAWN",
      decidedById: supervisor.id,
      decidedAt: at,
      drawAt: at,
      result: {
        members: expertIds.slice(0, 5).map((expertId) => ({ expertId, specialty: "demo" })),
        reserves: [{ expertId: expertIds[5], specialty: "demo" }],
      },
    },
    select: { id: true },
  });
  for (const [i, expertId] of expertIds.slice(0, 5).entries()) {
    await prisma.committeeSeat.create({
      data: {
        requestId: request.id,
        seat: i + 1,
        expertId,
        specialty: "demo",
        status: "CONFIRMED",
        invitedAt: at,
        respondBy: new Date(at.getTime() + 900_000),
        respondedAt: at,
      },
    });
  }
  return tender.id;
}

/** The expert's signing certificate from a key made here (demo only), its .p12 in `dir`; returns the expert id. */
export async function expertSigningKey(prisma: PrismaClient, email: string, dir: string, password: string): Promise<string> {
  const user = await prisma.user.findUniqueOrThrow({
    where: { email },
    select: {
      id: true,
      email: true,
      name: true,
      role: true,
      organizationId: true,
      organization: { select: { name: true, creditCode: true } },
      expert: { select: { id: true } },
    },
  });
  if (!user.organization || !user.organizationId || !user.expert) throw new Error(`seed-room: ${email} is not a demo expert`);
  const file = path.join(dir, `${email}-sign.p12`);
  const has = await prisma.certificate.count({
    where: { userId: user.id, usage: "SIGNING", revokedAt: null, notAfter: { gt: new Date() } },
  });
  if (has > 0 && fs.existsSync(file)) return user.expert.id;
  const [signing, encryption] = await Promise.all([generateRsaKeyPair(), generateRsaKeyPair()]);
  const subject = {
    commonName: user.organization.name,
    organization: user.organization.name,
    serialNumber: user.organization.creditCode,
  };
  const enrolled = await enrolCertificates(
    {
      id: user.id,
      email: user.email,
      name: user.name,
      role: user.role,
      organizationId: user.organizationId,
      organizationName: user.organization.name,
    },
    { signingCsr: createCsr(signing, subject), encryptionCsr: createCsr(encryption, subject) },
  );
  if (!enrolled.ok) throw new Error(`seed-room: ${email}: ${enrolled.error}`);
  const chain = enrolled.chainPem.map(certFromPem);
  fs.writeFileSync(
    file,
    exportP12(
      { privateKey: signing.privateKey, certificate: certFromPem(enrolled.signingPem), chain },
      password,
      `${email}-sign`,
    ),
    { mode: 0o600 },
  );
  return user.expert.id;
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

// Run alone: one more evaluation tender (the e2e test seeds its own this way).
if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.dirname, "seed-room.ts")) {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error("DATABASE_URL is not set");
  const prisma = new PrismaClient({ adapter: new PrismaPg(pgConnectionConfig(databaseUrl)) });
  try {
    const id = await seedRoomDemo(prisma, {
      code: arg("code") ?? "MZ-JS-2026-0120",
      title: arg("title"),
      method: arg("method") === "lep" ? "LOWEST_EVALUATED_PRICE" : "COMPREHENSIVE",
      keysDir: arg("keys") ?? process.env.DEMO_KEYS_DIR ?? "var/demo-keys",
      password: process.env.DEMO_PASSWORD ?? "MingBiao-demo-2026",
    });
    console.log(JSON.stringify({ tenderId: id }));
  } finally {
    await prisma.$disconnect();
    await disconnectDb();
    await closeRedis();
  }
}
