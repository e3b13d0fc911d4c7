import { randomUUID } from "node:crypto";
import { ensureTenderEscrow, escrowReady, escrowThreshold } from "~/features/escrow/escrow.server.ts";
import { assignSupervisor } from "~/features/witness/witness.server.ts";
import { enrolCertificates } from "~/features/pki/certificates.server.ts";
import { db, disconnectDb } from "~/platform/db.server.ts";
import { closeRedis } from "~/platform/redis.server.ts";
import { platformPki } from "~/features/pki/platform-pki.server.ts";
import type { SessionUser } from "~/platform/auth/auth.server.ts";
import { hashPassword } from "~/features/accounts/password.server.ts";
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
  const org = await db().organization.create({
    data: { name, creditCode: randomCreditCode(), kind: role === "AGENT" ? "AGENT" : "SUPERVISION" },
  });
  const row = await db().user.create({
    data: {
      email: `${randomUUID()}@escrow.test`,
      name,
      role,
      organizationId: org.id,
      passwordHash: await hashPassword("custodian-pass-1"),
    },
  });
  const user: SessionUser = { id: row.id, email: row.email, name, role, organizationId: org.id, organizationName: name };
  const [signing, encryption] = await Promise.all([generateRsaKeyPair(), generateRsaKeyPair()]);
  const subject = { commonName: name, organization: name, serialNumber: org.creditCode };
  const result = await enrolCertificates(user, {
    signingCsr: createCsr(signing, subject),
    encryptionCsr: createCsr(encryption, subject),
  });
  expect(result.ok).toBe(true);
  return { user, keys: encryption };
}

async function tenderFor(agentOrgId: string | null): Promise<string> {
  const creator = await db().user.findFirstOrThrow({ where: { role: "AGENT" }, select: { id: true, organizationId: true } });
  const t = await db().tender.create({
    data: {
      code: `ESC-${randomUUID().slice(0, 8)}`,
      title: "托管测试",
      procedureType: "SERVICES",
      status: "PUBLISHED",
      estimatedPriceCents: 1_000_000n,
      tendererOrgId: creator.organizationId!,
      agentOrgId,
      createdById: creator.id,
      bidDeadline: new Date(Date.now() + 86_400_000),
    },
  });
  return t.id;
}

/** The trading centre assigns a supervisor to a tender (监督人员指派). */
async function assign(tenderId: string, supervisor: { user: SessionUser }): Promise<void> {
  const admin = await db().user.findFirstOrThrow({ where: { role: "ADMIN" }, select: { id: true } });
  expect(await assignSupervisor(admin.id, tenderId, supervisor.user.id)).toEqual({ ok: true });
}

describe("tender escrow key (E-Measures Art 31 remedy)", () => {
  it("needs k of n custodians: 2 of 2 or 3, a majority beyond", () => {
    expect([2, 3, 4, 5, 7].map(escrowThreshold)).toEqual([2, 2, 2, 3, 4]);
  });

  it("is split among the agent and a supervisor; together they rebuild it, the record is platform-signed", async () => {
    const agent = await custodian("AGENT");
    const supervisor = await custodian("SUPERVISOR");
    // Another supervisor with an encryption certificate, not assigned to this tender: no share.
    const bystander = await custodian("SUPERVISOR");
    const tenderId = await tenderFor(agent.user.organizationId);
    // The agent's page warns until a supervisor with a certificate is assigned.
    expect(await escrowReady(tenderId)).toBe(false);
    await assign(tenderId, supervisor);
    expect(await escrowReady(tenderId)).toBe(true);
    // Made when its custodians were set (the assignment), not by the first bid (decision 056).
    expect(await db().tenderEscrow.findUnique({ where: { tenderId }, select: { tenderId: true } })).not.toBeNull();
    const [a, b] = await Promise.all([ensureTenderEscrow(tenderId), ensureTenderEscrow(tenderId)]);
    expect(a?.serial).toBeDefined();
    expect(b?.serial).toBe(a?.serial);
    const row = await db().tenderEscrow.findUniqueOrThrow({ where: { tenderId } });
    const record = row.record as unknown as EscrowRecord;
    expect(record.shares.map((s) => s.role).sort()).toContain("supervisor");

    const pki = await platformPki();
    const now = new Date();
    const crls = [pki.issuing, pki.root].map((ca) =>
      createCrl(ca, { crlNumber: 1, thisUpdate: now, nextUpdate: new Date(now.getTime() + 3600_000), revoked: [] }),
    );
    const verified = verifyCms({
      der: fromBase64(row.signature),
      detachedContent: encodeEscrowRecord(record),
      trust: { roots: [pki.root.cert], intermediates: [pki.issuing.cert], crls },
      at: now,
    });
    expect(verified.signer.serialNumber).toBe(pki.signer.cert.serialNumber);

    const mine = record.shares.filter((s) =>
      [agent, supervisor].some((c) => keyId(publicKeyOf(c.keys.privateKey)) === s.custodianKeyId),
    );
    expect(mine.length).toBe(2);
    expect(record.shares.some((s) => s.custodianKeyId === keyId(publicKeyOf(bystander.keys.privateKey)))).toBe(false);
    expect(record.shares.filter((s) => s.role === "supervisor")).toHaveLength(1);
    const shares = await Promise.all([agent, supervisor].map((c) => openCustodianShare(record, c.keys.privateKey)));
    const key = reconstructEscrowKey(record, shares);
    expect(keyId(publicKeyOf(key))).toBe(row.serial);
    expect(await db().auditEntry.count({ where: { action: "tender.escrow_created", subjectId: tenderId } })).toBe(1);
  });

  it("is not created while no supervisor of the tender holds a current encryption certificate", async () => {
    const agent = await custodian("AGENT");
    // Supervisors with certificates exist on the platform (the demo one, the ones above), but
    // none is assigned to this tender.
    const tenderId = await tenderFor(agent.user.organizationId);
    expect(await ensureTenderEscrow(tenderId)).toBeNull();
    // Assigned, but the certificate was revoked: still none.
    const supervisor = await custodian("SUPERVISOR");
    await db().certificate.updateMany({
      where: { userId: supervisor.user.id },
      data: { revokedAt: new Date(), revocationReason: "keyCompromise" },
    });
    await assign(tenderId, supervisor);
    expect(await ensureTenderEscrow(tenderId)).toBeNull();
    expect(await escrowReady(tenderId)).toBe(false);
    expect(await db().tenderEscrow.findUnique({ where: { tenderId } })).toBeNull();
  });

  it("is not ready with a supervisor alone: the agent's side holds no encryption certificate", async () => {
    const supervisor = await custodian("SUPERVISOR");
    // Tenderer and agent organisations whose staff hold no certificates.
    const orgs = await Promise.all(
      ["TENDERER", "AGENT"].map((kind) =>
        db().organization.create({
          data: {
            name: `托管测试${randomUUID().slice(0, 6)}`,
            creditCode: randomCreditCode(),
            kind: kind as "TENDERER" | "AGENT",
          },
        }),
      ),
    );
    const creator = await db().user.findFirstOrThrow({ where: { role: "AGENT" }, select: { id: true } });
    const t = await db().tender.create({
      data: {
        code: `ESC-${randomUUID().slice(0, 8)}`,
        title: "托管测试",
        procedureType: "SERVICES",
        status: "PUBLISHED",
        estimatedPriceCents: 1_000_000n,
        tendererOrgId: orgs[0]!.id,
        agentOrgId: orgs[1]!.id,
        createdById: creator.id,
        bidDeadline: new Date(Date.now() + 86_400_000),
      },
    });
    await assign(t.id, supervisor);
    expect(await escrowReady(t.id)).toBe(false);
    expect(await ensureTenderEscrow(t.id)).toBeNull();
  });
});
