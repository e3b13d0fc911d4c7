// An opened tender (opening closed, three bids with read-out prices and a plaintext PDF each)
// with a drawn, confirmed committee of five experts (signing certificates issued by the platform
// CA from keys made here) and one reserve, its supervisor assigned: where the evaluation room starts.
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { enrolCertificates } from "~/features/pki/certificates.server.ts";
import { platformPki } from "~/features/pki/platform-pki.server.ts";
import type { SessionUser } from "~/platform/auth/auth.server.ts";
import { db } from "~/platform/db.server.ts";
import { env } from "~/platform/env.server.ts";
import type { Signer } from "../../crypto/cms/signed-data.ts";
import { createCsr } from "../../crypto/pki/csr.ts";
import { generateRsaKeyPair } from "../../crypto/pki/keygen.node.ts";
import { certFromPem } from "../../crypto/pki/pem.ts";
import { minimalPdf } from "../../prisma/minimal-pdf.ts";
import { randomCreditCode } from "./ids.ts";
import { sessionUserOf } from "./opening.ts";

export interface RoomExpert {
  user: SessionUser;
  expertId: string;
  signer: Signer;
}

export interface RoomFixture {
  tenderId: string;
  bidders: { organizationId: string; user: SessionUser; name: string }[];
  experts: RoomExpert[];
  reserve: RoomExpert;
  supervisor: SessionUser;
  agent: SessionUser;
}

export const QUALIFICATION = [
  { id: "q1", text: "具有有效的营业执照和相应资质" },
  { id: "q2", text: "近三年无重大违法记录" },
];
export const CRITERIA = [
  { id: "c1", part: "technical", name: "技术方案", maxPoints: 30, guidance: "0–30" },
  { id: "c2", part: "technical", name: "实施计划", maxPoints: 20, guidance: "0–20" },
  { id: "c3", part: "commercial", name: "类似业绩", maxPoints: 20, guidance: "0–20" },
];

async function expertWithCertificate(employerOrgId: string, n: number): Promise<RoomExpert> {
  const tag = randomUUID().slice(0, 8);
  const u = await db().user.create({
    data: {
      email: `room-expert-${tag}@test.mingbiao.cn`,
      name: `评委${n}-${tag.slice(0, 3)}`,
      role: "EXPERT",
      organizationId: employerOrgId,
      passwordHash: "x",
    },
    select: { id: true },
  });
  const expert = await db().expert.create({
    data: {
      userId: u.id,
      name: `评委${n}`,
      idNumberHash: randomUUID(),
      employerOrgId,
      title: "高级工程师",
      yearsOfPractice: 10,
      region: "明州市",
      phone: "13800000000",
      status: "APPROVED",
    },
    select: { id: true },
  });
  const user = await sessionUserOf({ id: u.id });
  const [signing, encryption] = await Promise.all([generateRsaKeyPair(2048), generateRsaKeyPair(2048)]);
  const org = await db().organization.findUniqueOrThrow({
    where: { id: employerOrgId },
    select: { name: true, creditCode: true },
  });
  const subject = { commonName: org.name, organization: org.name, serialNumber: org.creditCode };
  const enrolled = await enrolCertificates(user, {
    signingCsr: createCsr(signing, subject),
    encryptionCsr: createCsr(encryption, subject),
  });
  if (!enrolled.ok) throw new Error(enrolled.error);
  const pki = await platformPki();
  return {
    user,
    expertId: expert.id,
    signer: { cert: certFromPem(enrolled.signingPem), key: signing.privateKey, chain: [pki.issuing.cert] },
  };
}

export async function openedTenderWithCommittee(
  options: { evaluationStartInMs?: number; evaluationConfig?: object } = {},
): Promise<RoomFixture> {
  const agentRow = await db().user.findUniqueOrThrow({
    where: { email: "agent@demo.mingbiao.cn" },
    select: { id: true, organizationId: true },
  });
  const agent = await sessionUserOf({ id: agentRow.id });
  const supervisor = await sessionUserOf({
    id: (await db().user.findUniqueOrThrow({ where: { email: "supervisor@demo.mingbiao.cn" }, select: { id: true } })).id,
  });
  const tender = await db().tender.create({
    data: {
      code: `TEST-EV-${randomUUID().slice(0, 8)}`,
      title: "评标测试项目",
      procedureType: "GOODS",
      status: "OPENED",
      estimatedPriceCents: 200_000_000n,
      tendererOrgId: agentRow.organizationId!,
      createdById: agentRow.id,
      bidDeadline: new Date(Date.now() - 3_600_000),
      publishedAt: new Date(Date.now() - 30 * 86_400_000),
      qualificationRequirements: QUALIFICATION,
      evaluationConfig: options.evaluationConfig ?? {
        method: "COMPREHENSIVE",
        weights: { technical: 50, commercial: 20, price: 30 },
        priceScoring: { benchmark: { kind: "lowest" }, formula: { kind: "ratio" } },
        criteria: CRITERIA,
      },
    },
    select: { id: true },
  });
  const admin = await db().user.findFirstOrThrow({ where: { role: "ADMIN" }, select: { id: true } });
  await db().tenderSupervisor.create({ data: { tenderId: tender.id, userId: supervisor.id, assignedById: admin.id } });
  const session = await db().openingSession.create({
    data: {
      tenderId: tender.id,
      step: "CLOSED",
      startedAt: new Date(Date.now() - 3_000_000),
      closedAt: new Date(Date.now() - 1_000_000),
      collusion: [],
    },
    select: { id: true },
  });
  const bidders: RoomFixture["bidders"] = [];
  const root = path.resolve(env().BIDS_DIR);
  for (let i = 0; i < 3; i++) {
    const name = `评标测试投标人${i + 1}-${randomUUID().slice(0, 4)}`;
    const org = await db().organization.create({
      data: { name, creditCode: randomCreditCode(), kind: "BIDDER" },
      select: { id: true },
    });
    const u = await db().user.create({
      data: {
        email: `room-bidder-${randomUUID().slice(0, 8)}@test.mingbiao.cn`,
        name: "投标人",
        role: "BIDDER",
        organizationId: org.id,
        passwordHash: "x",
      },
      select: { id: true },
    });
    const dir = path.join(tender.id, "opened", randomUUID());
    fs.mkdirSync(path.join(root, dir), { recursive: true });
    fs.writeFileSync(path.join(root, dir, "tender-form.pdf"), minimalPdf(`bid ${i + 1}`));
    await db().openingBid.create({
      data: {
        sessionId: session.id,
        bidId: randomUUID(),
        bidVersionId: randomUUID(),
        organizationId: org.id,
        seq: i + 1,
        challenge: "x",
        status: "OPENED",
        openedAt: new Date(),
        readOut: { price: `${1_000_000 + i * 50_000}.00` },
        plaintextDir: dir,
      },
    });
    bidders.push({ organizationId: org.id, user: await sessionUserOf({ id: u.id }), name });
  }
  const employer = await db().organization.create({
    data: { name: `评标专家单位${randomUUID().slice(0, 4)}`, creditCode: randomCreditCode(), kind: "EXPERT_EMPLOYER" },
    select: { id: true },
  });
  const experts: RoomExpert[] = [];
  for (let i = 0; i < 5; i++) experts.push(await expertWithCertificate(employer.id, i + 1));
  const reserve = await expertWithCertificate(employer.id, 6);
  const at = new Date();
  const request = await db().committeeRequest.create({
    data: {
      tenderId: tender.id,
      requestedById: agent.id,
      requirements: [{ specialty: "A01", count: 5, reserves: 1 }],
      representativeIds: [],
      evaluationStartAt: new Date(at.getTime() + (options.evaluationStartInMs ?? -60_000)),
      status: "DRAWN",
      drawAt: at,
      result: {
        members: experts.map((e) => ({ expertId: e.expertId, specialty: "A01" })),
        reserves: [{ expertId: reserve.expertId, specialty: "A01" }],
      },
    },
    select: { id: true },
  });
  for (const [i, e] of experts.entries()) {
    await db().committeeSeat.create({
      data: {
        requestId: request.id,
        seat: i + 1,
        expertId: e.expertId,
        specialty: "A01",
        status: "CONFIRMED",
        invitedAt: at,
        respondBy: new Date(at.getTime() + 900_000),
        respondedAt: at,
      },
    });
  }
  return { tenderId: tender.id, bidders, experts, reserve, supervisor, agent };
}
