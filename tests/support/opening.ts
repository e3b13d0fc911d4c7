// A tender whose deadline has passed with sealed bids on record, as the upload path leaves them:
// envelope files under BIDS_DIR and bid / bid_version rows. The tests drive the hall from there.
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { db } from "~/platform/db.server.ts";
import { env } from "~/platform/env.server.ts";
import type { SessionUser } from "~/platform/auth/auth.server.ts";
import { createBidder, createOpenTender, sealTestBid, type TestBidder, type TestTender } from "./bidder.ts";

export interface HallBidder extends TestBidder {
  user: SessionUser;
  price: string;
}

export interface HallFixture {
  tender: TestTender;
  bidders: HallBidder[];
  host: SessionUser;
}

export async function sessionUserOf(where: { organizationId?: string; id?: string; role?: "EXPERT" }): Promise<SessionUser> {
  const u = await db().user.findFirstOrThrow({
    where,
    select: { id: true, email: true, name: true, role: true, organizationId: true, organization: { select: { name: true } } },
  });
  return {
    id: u.id,
    email: u.email,
    name: u.name,
    role: u.role,
    organizationId: u.organizationId,
    organizationName: u.organization?.name ?? null,
  };
}

/**
 * A sealed envelope as the upload path leaves it: the file stored under BIDS_DIR by its SHA-256,
 * a bid and its version 1 (signed by the organisation's signing certificate, received now).
 * Shared with tests/bench/opening.bench.ts.
 */
export async function recordSealedBid(input: {
  tenderId: string;
  organizationId: string;
  tmpFile: string;
  ip: string;
  bidsDir?: string;
}): Promise<{ file: string; sizeBytes: number; receivedAt: Date; user: SessionUser }> {
  const bidsDir = path.resolve(input.bidsDir ?? env().BIDS_DIR);
  const bytes = fs.readFileSync(input.tmpFile);
  const sha = createHash("sha256").update(bytes).digest("hex");
  const storageKey = path.join(input.tenderId, `${sha}.mbseal`);
  fs.renameSync(input.tmpFile, path.join(bidsDir, storageKey));
  const user = await sessionUserOf({ organizationId: input.organizationId });
  const cert = await db().certificate.findFirstOrThrow({
    where: { organizationId: input.organizationId, usage: "SIGNING" },
    select: { id: true },
  });
  const receivedAt = new Date();
  await db().bid.create({
    data: {
      tenderId: input.tenderId,
      organizationId: input.organizationId,
      versions: {
        create: {
          number: 1,
          submittedById: user.id,
          envelopeSha256: sha,
          sizeBytes: BigInt(bytes.length),
          storageKey,
          manifest: {},
          signerCertificateId: cert.id,
          receivedAt,
          receipt: {},
          timestampToken: Buffer.from([0]),
          ip: input.ip,
        },
      },
    },
  });
  return { file: path.join(bidsDir, storageKey), sizeBytes: bytes.length, receivedAt, user };
}

/** `count` bidders each with one sealed bid; the tender closed for bidding a moment ago. */
export async function closedTenderWithBids(
  count: number,
  options: { remedy?: boolean } = {},
): Promise<HallFixture & { custodians?: Awaited<ReturnType<typeof custodianEscrow>> }> {
  const tender = await createOpenTender(60_000);
  const custodians = options.remedy ? await custodianEscrow(tender) : undefined;
  const bidders: HallBidder[] = [];
  for (let i = 0; i < count; i++) {
    const bidder = await createBidder();
    const price = `${1_000_000 + i * 12_345}.00`;
    const dir = path.join(path.resolve(env().BIDS_DIR), tender.id);
    fs.mkdirSync(dir, { recursive: true });
    const tmp = path.join(dir, `tmp-${i}.mbseal`);
    await sealTestBid(tmp, { bidder, tender, readOut: { price }, document: new Uint8Array(200_000).fill(i + 1) });
    const { user } = await recordSealedBid({
      tenderId: tender.id,
      organizationId: bidder.organizationId,
      tmpFile: tmp,
      ip: `10.0.0.${i + 1}`,
    });
    bidders.push({ ...bidder, user, price });
  }
  const t = await db().tender.update({
    where: { id: tender.id },
    data: { status: "BIDDING_CLOSED", bidDeadline: new Date() },
    select: { createdById: true },
  });
  return { tender, bidders, host: await sessionUserOf({ id: t.createdById }), ...(custodians ? { custodians } : {}) };
}

/**
 * The tender's escrow key split among real custodians (E-Measures Art 31 remedy): the demo agent,
 * a second agent of the same organisation (keys made here) and the demo supervisor, 2 of 3; the
 * tender states the remedy. Call before sealing: the bids wrap to this key.
 */
export async function custodianEscrow(
  tender: TestTender,
): Promise<{ agent: Custodian; agent2: Custodian; supervisor: Custodian }> {
  const { createEscrow } = await import("../../crypto/escrow/escrow.ts");
  const { importP12 } = await import("../../crypto/pki/p12.ts");
  const { generateRsaKeyPair } = await import("../../crypto/pki/keygen.node.ts");
  const { createCsr } = await import("../../crypto/pki/csr.ts");
  const { certFromPem } = await import("../../crypto/pki/pem.ts");
  const { enrolCertificates } = await import("~/features/pki/certificates.server.ts");
  const forge = (await import("node-forge")).default;
  const keysDir = path.resolve(process.env.DEMO_KEYS_DIR ?? "var/demo-keys");
  const load = (email: string) =>
    importP12(new Uint8Array(fs.readFileSync(path.join(keysDir, `${email}-enc.p12`))), "MingBiao-demo-2026");
  const agentUser = await sessionUserOf({
    id: (await db().user.findUniqueOrThrow({ where: { email: "agent@demo.mingbiao.cn" }, select: { id: true } })).id,
  });
  const supervisorUser = await sessionUserOf({
    id: (await db().user.findUniqueOrThrow({ where: { email: "supervisor@demo.mingbiao.cn" }, select: { id: true } })).id,
  });
  // The second tenderer-side custodian works for a fresh tenderer organisation of this tender
  // only, so other tenders' custodian sets (and thresholds) are not changed by this test.
  const { randomCreditCode } = await import("./ids.ts");
  const org = await db().organization.create({
    data: { name: `测试招标人${tender.id.slice(0, 6)}`, creditCode: randomCreditCode(), kind: "TENDERER" },
    select: { id: true, name: true, creditCode: true },
  });
  const second = await db().user.create({
    data: {
      email: `agent2-${tender.id.slice(0, 8)}@test.mingbiao.cn`,
      name: "招标人经办",
      role: "AGENT",
      organizationId: org.id,
      passwordHash: "x",
    },
    select: { id: true },
  });
  const agent2User = await sessionUserOf({ id: second.id });
  const [signing, encryption] = await Promise.all([generateRsaKeyPair(2048), generateRsaKeyPair(2048)]);
  const subject = { commonName: org.name, organization: org.name, serialNumber: org.creditCode };
  const enrolled = await enrolCertificates(agent2User, {
    signingCsr: createCsr(signing, subject),
    encryptionCsr: createCsr(encryption, subject),
  });
  if (!enrolled.ok) throw new Error(enrolled.error);
  const agent = load("agent@demo.mingbiao.cn");
  const supervisor = load("supervisor@demo.mingbiao.cn");
  const escrowKey = await generateRsaKeyPair(2048);
  const record = await createEscrow({
    tenderId: tender.id,
    escrowKey,
    custodians: [
      { role: "agent", cert: agent.certificate },
      { role: "agent", cert: certFromPem(enrolled.encryptionPem) },
      { role: "supervisor", cert: supervisor.certificate },
    ],
    threshold: 2,
    now: new Date(),
  });
  await db().tenderEscrow.update({
    where: { tenderId: tender.id },
    data: {
      serial: tender.escrow.serial,
      publicKeyPem: forge.pki.publicKeyToPem(escrowKey.publicKey),
      threshold: 2,
      record: JSON.parse(JSON.stringify(record)) as object,
    },
  });
  const admin = await db().user.findFirstOrThrow({ where: { role: "ADMIN" }, select: { id: true } });
  await db().tenderSupervisor.create({ data: { tenderId: tender.id, userId: supervisorUser.id, assignedById: admin.id } });
  await db().tender.update({
    where: { id: tender.id },
    data: { escrowRemedy: true, createdById: agentUser.id, agentOrgId: agentUser.organizationId, tendererOrgId: org.id },
  });
  tender.escrow.keys = escrowKey;
  return {
    agent: { user: agentUser, key: agent.privateKey, record },
    agent2: { user: agent2User, key: encryption.privateKey, record },
    supervisor: { user: supervisorUser, key: supervisor.privateKey, record },
  };
}

export interface Custodian {
  user: SessionUser;
  key: import("../../crypto/pki/keys.ts").PrivateKey;
  record: import("../../crypto/escrow/escrow.ts").EscrowRecord;
}
