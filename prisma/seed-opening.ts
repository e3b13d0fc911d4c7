// Demo (and e2e) data for the opening hall (issue 13): a tender whose bid deadline has just
// passed with 3 sealed bids from the demo bidders, sealed as the browser seals them (唱标 form +
// a document, to the bidder's encryption certificate and the tender's escrow key, signed with
// the signing certificate). The bidders' key files go to DEMO_KEYS_DIR/opening/ (password: the
// demo password): `<email>-sign.p12` to sign in, `<email>-enc.p12` to decrypt. Idempotent by
// tender code. Run alone (`tsx prisma/seed-opening.ts --code X --keys DIR`) it seeds one more.
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "../app/generated/prisma/client.ts";
import { demoActors } from "./seed-actors.ts";
import { pgConnectionConfig } from "../app/platform/db-url.ts";
import { disconnectDb } from "../app/platform/db.server.ts";
import { closeRedis } from "../app/platform/redis.server.ts";
import { enrolCertificates } from "../app/features/pki/certificates.server.ts";
import { ensureTenderEscrow } from "../app/features/escrow/escrow.server.ts";
import { assignSupervisor } from "../app/features/witness/witness.server.ts";
import { appendAudit } from "../app/platform/audit/audit.server.ts";
import { createCsr } from "../crypto/pki/csr.ts";
import { generateRsaKeyPair } from "../crypto/pki/keygen.node.ts";
import { exportP12 } from "../crypto/pki/p12.ts";
import { certFromPem } from "../crypto/pki/pem.ts";
import { sealEnvelopeToFile } from "../crypto/envelope/files.node.ts";
import { sharedChunkPool } from "../crypto/envelope/thread-pool.node.ts";
import { bytesSource } from "../crypto/envelope/sources.ts";
import forge from "node-forge";
import { minimalPdf } from "./minimal-pdf.ts";

const READ_OUT_ITEMS = [
  { key: "price", label: "投标报价", kind: "money" },
  { key: "item1", label: "工期", kind: "days" },
  { key: "item2", label: "质量标准", kind: "text" },
];

const BIDS = [
  { email: "bidder1@demo.mingbiao.cn", readOut: { price: "8650000.00", item1: "300", item2: "合格" } },
  { email: "bidder2@demo.mingbiao.cn", readOut: { price: "8712345.00", item1: "280", item2: "合格" } },
  { email: "bidder3@demo.mingbiao.cn", readOut: { price: "8599000.00", item1: "310", item2: "优良" } },
];

export interface OpeningSeed {
  code: string;
  title?: string;
  keysDir: string;
  password: string;
  /** How many of the demo bidders bid (2 gives a 流标). */
  bids?: number;
  /** The tender states the escrow remedy (E-Measures Art 31); default yes. */
  escrowRemedy?: boolean;
}

export async function seedOpeningDemo(prisma: PrismaClient, seed: OpeningSeed): Promise<string> {
  const existing = await prisma.tender.findUnique({ where: { code: seed.code }, select: { id: true } });
  if (existing) return existing.id;
  const { agent, admin, supervisor, tenderer } = await demoActors(prisma);
  const now = Date.now();
  const tender = await prisma.tender.create({
    data: {
      code: seed.code,
      title: seed.title ?? "明州市东部新城学府路（一期）排水管网改造工程施工招标",
      description: "网上开标演示项目：投标截止时间刚过，3 家投标人的投标文件已加密递交，等待开标。",
      region: "浙江省明州市鄞东区",
      procedureType: "WORKS",
      status: "PUBLISHED",
      estimatedPriceCents: 900_000_000n,
      bidSecurityCents: 10_000_000n,
      tendererOrgId: tenderer.id,
      agentOrgId: agent.organizationId,
      createdById: agent.id,
      docsIssueAt: new Date(now - 25 * 86_400_000),
      docsAvailableUntil: new Date(now - 18 * 86_400_000),
      bidDeadline: new Date(now + 3_600_000),
      publishedAt: new Date(now - 25 * 86_400_000),
      readOutItems: READ_OUT_ITEMS,
      decryptionWindowMinutes: 30,
      escrowRemedy: seed.escrowRemedy ?? true,
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
  const escrow = await ensureTenderEscrow(tender.id);
  if (!escrow) throw new Error("seed-opening: the demo custodians have no encryption certificates (run the main seed first)");
  const dir = path.join(path.resolve(seed.keysDir), "opening");
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const bidsDir = path.resolve(process.env.BIDS_DIR ?? "var/bids");
  try {
    for (const bid of BIDS.slice(0, seed.bids ?? 3))
      await sealDemoBid(prisma, { ...bid, tenderId: tender.id, escrow, dir, bidsDir, password: seed.password });
  } finally {
    // The sealing threads would keep the seed process alive.
    await sharedChunkPool().close();
  }
  // The deadline passes now: the hall opens the session at first sight (or the sweep job does).
  await prisma.tender.update({ where: { id: tender.id }, data: { bidDeadline: new Date(), status: "BIDDING_CLOSED" } });
  return tender.id;
}

async function sealDemoBid(
  prisma: PrismaClient,
  b: {
    email: string;
    readOut: Record<string, string>;
    tenderId: string;
    escrow: { serial: string; publicKeyPem: string };
    dir: string;
    bidsDir: string;
    password: string;
  },
): Promise<void> {
  const user = await prisma.user.findUniqueOrThrow({
    where: { email: b.email },
    select: {
      id: true,
      email: true,
      name: true,
      role: true,
      organizationId: true,
      organization: { select: { name: true, creditCode: true } },
    },
  });
  if (!user.organization || !user.organizationId) throw new Error(`seed-opening: ${b.email} has no organisation`);
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
  if (!enrolled.ok) throw new Error(`seed-opening: ${b.email}: ${enrolled.error}`);
  const chain = enrolled.chainPem.map(certFromPem);
  const signingCert = certFromPem(enrolled.signingPem);
  const encryptionCert = certFromPem(enrolled.encryptionPem);
  fs.writeFileSync(
    path.join(b.dir, `${b.email}-sign.p12`),
    exportP12({ privateKey: signing.privateKey, certificate: signingCert, chain }, b.password, `${b.email}-sign`),
    { mode: 0o600 },
  );
  fs.writeFileSync(
    path.join(b.dir, `${b.email}-enc.p12`),
    exportP12({ privateKey: encryption.privateKey, certificate: encryptionCert, chain }, b.password, `${b.email}-enc`),
    { mode: 0o600 },
  );
  const tenderDir = path.join(b.bidsDir, b.tenderId);
  fs.mkdirSync(tenderDir, { recursive: true });
  const tmp = path.join(tenderDir, `seed-${user.organizationId}.part`);
  const result = await sealEnvelopeToFile(
    {
      tenderId: b.tenderId,
      files: [
        {
          name: "唱标信息.json",
          data: bytesSource(new TextEncoder().encode(JSON.stringify({ tenderId: b.tenderId, readOut: b.readOut }))),
        },
        { name: "技术标.pdf", data: bytesSource(minimalPdf(`Technical bid of ${user.organization.name}`)) },
      ],
      bidderEncryptionCert: encryptionCert,
      escrow: {
        publicKey: forge.pki.publicKeyFromPem(b.escrow.publicKeyPem) as forge.pki.rsa.PublicKey,
        serial: b.escrow.serial,
      },
      signer: { cert: signingCert, key: signing.privateKey, chain },
      now: new Date(),
    },
    tmp,
  );
  const bytes = fs.readFileSync(tmp);
  const sha = createHash("sha256").update(bytes).digest("hex");
  const storageKey = path.join(b.tenderId, `${sha}.mbseal`);
  fs.renameSync(tmp, path.join(b.bidsDir, storageKey));
  const cert = await prisma.certificate.findFirstOrThrow({
    where: { serialNumber: signingCert.serialNumber, usage: "SIGNING" },
    select: { id: true },
  });
  await prisma.bid.create({
    data: {
      tenderId: b.tenderId,
      organizationId: user.organizationId,
      versions: {
        create: {
          number: 1,
          submittedById: user.id,
          envelopeSha256: sha,
          sizeBytes: BigInt(bytes.length),
          storageKey,
          manifest: JSON.parse(JSON.stringify(result.manifest)) as object,
          signerCertificateId: cert.id,
          receivedAt: new Date(),
          receipt: { seed: true },
          timestampToken: Buffer.alloc(0),
          ip: "127.0.0.1",
        },
      },
    },
  });
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

// Run alone: one more opening tender (the e2e test seeds its own this way).
if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.dirname, "seed-opening.ts")) {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error("DATABASE_URL is not set");
  const prisma = new PrismaClient({ adapter: new PrismaPg(pgConnectionConfig(databaseUrl)) });
  try {
    const id = await seedOpeningDemo(prisma, {
      code: arg("code") ?? "MZ-JS-2026-0099",
      title: arg("title"),
      keysDir: arg("keys") ?? process.env.DEMO_KEYS_DIR ?? "var/demo-keys",
      password: process.env.DEMO_PASSWORD ?? "MingBiao-demo-2026",
      bids: Number(arg("bids") ?? "3"),
    });
    console.log(JSON.stringify({ tenderId: id }));
  } finally {
    await prisma.$disconnect();
    await disconnectDb();
    await closeRedis();
  }
}
