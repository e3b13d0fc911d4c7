import forge from "node-forge";
import { Prisma } from "../../generated/prisma/client.ts";
import {
  certFromPem,
  createEscrow,
  type Custodian,
  encodeEscrowRecord,
  generateRsaKeyPair,
  signCms,
  toBase64,
} from "../../../crypto/index.node.ts";
import { appendAudit } from "../../platform/audit/audit.server.ts";
import { db } from "../../platform/db.server.ts";
import { platformPki } from "../pki/index.ts";
import * as clock from "../../platform/clock.server.ts";
import { AUDIT_SUBJECT } from "../../platform/audit/subjects.ts";

export interface TenderEscrowKey {
  serial: string;
  publicKeyPem: string;
}

/** Fewer custodians and no escrow key is made (one of them must be a supervisor: custodiansFor). */
const MIN_CUSTODIANS = 2;

/**
 * Whether bids can be sealed for the tender as far as its escrow key goes: the key exists, or it
 * can be made (an assigned supervisor holds a current encryption certificate). The agent's page
 * warns when not, before a bidder is refused.
 */
export async function escrowReady(tenderId: string): Promise<boolean> {
  if (await db().tenderEscrow.findUnique({ where: { tenderId }, select: { tenderId: true } })) return true;
  return (await custodiansFor(tenderId)).length >= MIN_CUSTODIANS;
}

/** k of n: two custodians suffice for two or three; more custodians need a majority. */
export function escrowThreshold(custodians: number): number {
  return custodians <= 3 ? 2 : Math.ceil(custodians / 2);
}

/**
 * Custodians of a tender's escrow key: the tendering agent's (and tenderer's) staff and the
 * supervisors the trading centre assigned to this tender (监督人员指派, decision 037), each with a
 * current encryption certificate. A supervisor is independent of tenderer and bidders; one who
 * does not supervise the tender holds no share of its key. The key is made once, with the
 * custodians of that moment (decision 052).
 */
async function custodiansFor(tenderId: string): Promise<(Custodian & { userId: string })[]> {
  const tender = await db().tender.findUnique({
    where: { id: tenderId },
    select: { agentOrgId: true, tendererOrgId: true, supervisors: { select: { userId: true } } },
  });
  if (!tender) return [];
  const now = clock.now();
  const certs = await db().certificate.findMany({
    where: {
      usage: "ENCRYPTION",
      revokedAt: null,
      notAfter: { gt: now },
      userId: { not: null },
      OR: [
        { organizationId: { in: [tender.agentOrgId, tender.tendererOrgId].filter((id): id is string => !!id) } },
        { userId: { in: tender.supervisors.map((s) => s.userId) } },
      ],
    },
    orderBy: { createdAt: "desc" },
    select: { userId: true, pem: true, organizationId: true },
  });
  const users = await db().user.findMany({
    where: { id: { in: certs.map((c) => c.userId as string) } },
    select: { id: true, role: true },
  });
  const roleOf = new Map(users.map((u) => [u.id, u.role]));
  const seen = new Set<string>();
  const custodians: (Custodian & { userId: string })[] = [];
  for (const c of certs) {
    const userId = c.userId as string;
    const role = roleOf.get(userId);
    if (seen.has(userId) || (role !== "AGENT" && role !== "SUPERVISOR")) continue;
    seen.add(userId);
    custodians.push({ userId, role: role === "AGENT" ? "agent" : "supervisor", cert: certFromPem(c.pem) });
  }
  // At least one independent supervisor must hold a share, so the agent alone can never open.
  return custodians.some((c) => c.role === "supervisor") ? custodians : [];
}

/**
 * The tender's escrow public key, created on first need: a fresh RSA key whose private half is
 * split among the custodians and then dropped. Returns null while fewer than two custodians
 * (incl. a supervisor) have encryption certificates: bids cannot be sealed until then.
 */
export async function ensureTenderEscrow(tenderId: string): Promise<TenderEscrowKey | null> {
  const existing = await db().tenderEscrow.findUnique({ where: { tenderId }, select: { serial: true, publicKeyPem: true } });
  if (existing) return existing;
  const custodians = await custodiansFor(tenderId);
  if (custodians.length < MIN_CUSTODIANS) return null;
  const escrowKey = await generateRsaKeyPair(3072);
  const threshold = escrowThreshold(custodians.length);
  const now = clock.now();
  const record = await createEscrow({ tenderId, escrowKey, custodians, threshold, now });
  const pki = await platformPki();
  const signature = signCms({ content: encodeEscrowRecord(record), signer: pki.signer, signingTime: now, detached: true });
  const publicKeyPem = forge.pki.publicKeyToPem(escrowKey.publicKey);
  try {
    await db().$transaction(async (tx) => {
      await tx.tenderEscrow.create({
        data: {
          tenderId,
          serial: record.escrowKeyId,
          publicKeyPem,
          threshold,
          record: JSON.parse(JSON.stringify(record)) as object,
          signature: toBase64(signature),
        },
      });
      await appendAudit(
        {
          action: "tender.escrow_created",
          subjectType: AUDIT_SUBJECT.Tender,
          subjectId: tenderId,
          data: {
            escrowKeyId: record.escrowKeyId,
            threshold,
            custodians: custodians.map((c) => ({ userId: c.userId, role: c.role, certSerial: c.cert.serialNumber })),
          },
        },
        tx,
      );
    });
  } catch (error) {
    // Another request created it first: theirs stands, this key is simply dropped.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      return db().tenderEscrow.findUnique({ where: { tenderId }, select: { serial: true, publicKeyPem: true } });
    }
    throw error;
  }
  return { serial: record.escrowKeyId, publicKeyPem };
}

/**
 * Makes the tender's escrow key as soon as it can be made: when the tender is published, and
 * when its custodians are set (a supervisor assigned), never in the middle of a bid (decision
 * 056). A failure is logged, not thrown at the agent or the trading centre: the bid page tries
 * again, and a bid upload without the key is refused clearly (bid.escrowMissing). Callers call it
 * only while the tender takes bids (publication; a supervisor assigned to an open tender).
 */
export async function prepareTenderEscrow(tenderId: string): Promise<TenderEscrowKey | null> {
  try {
    return await ensureTenderEscrow(tenderId);
  } catch (error) {
    console.error(`escrow key for tender ${tenderId} not made yet`, error);
    return null;
  }
}
