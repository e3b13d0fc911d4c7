import { randomUUID } from "node:crypto";
import { ensureTenderEscrow, escrowThreshold } from "~/escrow.server.ts";
import { enrolCertificates } from "~/certificates.server.ts";
import { db, disconnectDb } from "~/db.server.ts";
import { closeRedis } from "~/redis.server.ts";
import { platformPki } from "~/pki.server.ts";
import type { SessionUser } from "~/auth.server.ts";
import { hashPassword } from "~/password.server.ts";
import { createCsr } from "../../crypto/pki/csr.ts";
import { generateRsaKeyPair } from "../../crypto/pki/keygen.node.ts";
import type { KeyPair } from "../../crypto/pki/keys.ts";
import { fromBase64 } from "../../crypto/bytes.ts";
import { verifyCms } from "../../crypto/cms/verify.ts";
import { createCrl } from "../../crypto/pki/crl.ts";
import { encodeEscrowRecord, openCustodianShare, reconstructEscrowKey, type EscrowRecord } from "../../crypto/escrow/escrow.ts";
import { keyId, publicKeyOf } from "../../crypto/pki/keys.ts";
import { randomCreditCode } from "../support/ids.ts";

afterAll(async () => {
  await closeRedis();
  await disconnectDb();
});

/** A user of a new organisation with an encryption certificate from the platform CA. */
async function custodian(role: "AGENT" | "SUPERVISOR"): Promise<{ user: SessionUser; keys: KeyPair }> {
  const name = `托管测试${randomUUID().slice(0, 6)}`;
  const org = await db().organization.create({ data: { name, creditCode: randomCreditCode(), kind: role === "AGENT" ? "AGENT" : "SUPERVISION" } });
  const row = await db().user.create({
    data: { email: `${randomUUID()}@escrow.test`, name, role, organizationId: org.id, passwordHash: await hashPassword("custodian-pass-1") },
  });
  const user: SessionUser = { id: row.id, email: row.email, name, role, organizationId: org.id, organizationName: name };
  const [signing, encryption] = await Promise.all([generateRsaKeyPair(), generateRsaKeyPair()]);
  const subject = { commonName: name, organization: name, serialNumber: org.creditCode };
  const result = await enrolCertificates(user, { signingCsr: createCsr(signing, subject), encryptionCsr: createCsr(encryption, subject) });
  expect(result.ok).toBe(true);
  return { user, keys: encryption };
}

async function tenderFor(agentOrgId: string | null): Promise<string> {
  const creator = await db().user.findFirstOrThrow({ where: { role: "AGENT" }, select: { id: true, organizationId: true } });
  const t = await db().tender.create({
    data: {
      code: `ESC-${randomUUID().slice(0, 8)}`, title: "托管测试", procedureType: "SERVICES", status: "PUBLISHED",
      estimatedPriceCents: 1_000_000n, tendererOrgId: creator.organizationId!, agentOrgId, createdById: creator.id,
      bidDeadline: new Date(Date.now() + 86_400_000),
    },
  });
  return t.id;
}

describe("tender escrow key (E-Measures Art 31 remedy)", () => {
  it("needs k of n custodians: 2 of 2 or 3, a majority beyond", () => {
    expect([2, 3, 4, 5, 7].map(escrowThreshold)).toEqual([2, 2, 2, 3, 4]);
  });

  it("is split among the agent and a supervisor; together they rebuild it, the record is platform-signed", async () => {
    const agent = await custodian("AGENT");
    const supervisor = await custodian("SUPERVISOR");
    const tenderId = await tenderFor(agent.user.organizationId);
    const [a, b] = await Promise.all([ensureTenderEscrow(tenderId), ensureTenderEscrow(tenderId)]);
    expect(a?.serial).toBeDefined();
    expect(b?.serial).toBe(a?.serial);
    const row = await db().tenderEscrow.findUniqueOrThrow({ where: { tenderId } });
    const record = row.record as unknown as EscrowRecord;
    expect(record.shares.map((s) => s.role).sort()).toContain("supervisor");

    const pki = await platformPki();
    const now = new Date();
    const crls = [pki.issuing, pki.root].map((ca) => createCrl(ca, { crlNumber: 1, thisUpdate: now, nextUpdate: new Date(now.getTime() + 3600_000), revoked: [] }));
    const verified = verifyCms({ der: fromBase64(row.signature), detachedContent: encodeEscrowRecord(record), trust: { roots: [pki.root.cert], intermediates: [pki.issuing.cert], crls }, at: now });
    expect(verified.signer.serialNumber).toBe(pki.signer.cert.serialNumber);

    const mine = record.shares.filter((s) => [agent, supervisor].some((c) => keyId(publicKeyOf(c.keys.privateKey)) === s.custodianKeyId));
    expect(mine.length).toBe(2);
    const shares = await Promise.all([agent, supervisor].map((c) => openCustodianShare(record, c.keys.privateKey)));
    const key = reconstructEscrowKey(record, shares);
    expect(keyId(publicKeyOf(key))).toBe(row.serial);
    expect(await db().auditEntry.count({ where: { action: "tender.escrow_created", subjectId: tenderId } })).toBe(1);
  });

  it("is not created while no supervisor holds an encryption certificate", async () => {
    const agent = await custodian("AGENT");
    const supervisors = (await db().user.findMany({ where: { role: "SUPERVISOR" }, select: { id: true } })).map((u) => u.id);
    const held = await db().certificate.findMany({ where: { usage: "ENCRYPTION", revokedAt: null, userId: { in: supervisors } }, select: { id: true } });
    const ids = held.map((c) => c.id);
    // Take the supervisors' certificates out of service for this check only, then restore them
    // (the demo supervisor's certificate is needed by the end-to-end tests that follow).
    await db().certificate.updateMany({ where: { id: { in: ids } }, data: { revokedAt: new Date(), revocationReason: "cessationOfOperation" } });
    try {
      const tenderId = await tenderFor(agent.user.organizationId);
      expect(await ensureTenderEscrow(tenderId)).toBeNull();
    } finally {
      await db().certificate.updateMany({ where: { id: { in: ids } }, data: { revokedAt: null, revocationReason: null } });
    }
  });
});
