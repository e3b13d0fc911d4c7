// A signed-up bidder organisation with certificates issued by the platform CA from keys made
// here (as the browser would), a published tender it holds the documents of, and its escrow key.
import { randomUUID } from "node:crypto";
import forge from "node-forge";
import { action as enrolAction } from "~/routes/pki.enrol.tsx";
import { action as signUp } from "~/routes/signup.tsx";
import { db } from "~/platform/db.server.ts";
import { platformPki } from "~/features/pki/platform-pki.server.ts";
import { createCsr } from "../../crypto/pki/csr.ts";
import { generateRsaKeyPair } from "../../crypto/pki/keygen.node.ts";
import type { KeyPair } from "../../crypto/pki/keys.ts";
import { certFromPem, type Certificate } from "../../crypto/pki/pem.ts";
import type { Signer } from "../../crypto/cms/signed-data.ts";
import { sealEnvelopeToFile } from "../../crypto/envelope/files.node.ts";
import { bytesSource } from "../../crypto/envelope/sources.ts";
import { cookieFrom, csrfPair, formRequest, respond } from "./requests.ts";
import { randomCreditCode, uniqueEmail } from "./ids.ts";

export interface TestBidder {
  cookie: string;
  token: string;
  organizationId: string;
  name: string;
  signer: Signer;
  encryption: { cert: Certificate; keys: KeyPair };
}

export async function createBidder(): Promise<TestBidder> {
  const { cookie, token } = await csrfPair();
  const name = `投标测试${randomUUID().slice(0, 6)}有限公司`;
  const creditCode = randomCreditCode();
  const res = await respond(() =>
    signUp({
      request: formRequest(
        "/signup",
        {
          organizationName: name,
          creditCode,
          name: "测试",
          email: uniqueEmail("bid"),
          phone: "13500135000",
          password: "bid-password-123",
          passwordConfirm: "bid-password-123",
          csrf: token,
        },
        cookie,
      ),
      params: {},
      context: {},
    }),
  );
  const session = `${cookie}; ${cookieFrom(res, "mb_session")}`;
  const [signing, encryption] = await Promise.all([generateRsaKeyPair(2048), generateRsaKeyPair(2048)]);
  const subject = { commonName: name, organization: name, serialNumber: creditCode };
  const enrolled = await respond(() =>
    enrolAction({
      request: formRequest(
        "/pki/enrol",
        { signingCsr: createCsr(signing, subject), encryptionCsr: createCsr(encryption, subject), csrf: token },
        session,
      ),
      params: {},
      context: {},
    }),
  );
  const pems = (await enrolled.json()) as { signingPem: string; encryptionPem: string };
  const org = await db().organization.findUniqueOrThrow({ where: { creditCode }, select: { id: true } });
  const pki = await platformPki();
  return {
    cookie: session,
    token,
    organizationId: org.id,
    name,
    signer: { cert: certFromPem(pems.signingPem), key: signing.privateKey, chain: [pki.issuing.cert] },
    encryption: { cert: certFromPem(pems.encryptionPem), keys: encryption },
  };
}

export interface TestTender {
  id: string;
  escrow: { serial: string; keys: KeyPair };
}

/** A published tender with an escrow key (the test keeps the private half to open bids). */
export async function createOpenTender(deadlineInMs = 30 * 24 * 3600 * 1000): Promise<TestTender> {
  const creator = await db().user.findFirstOrThrow({ where: { role: "AGENT" }, select: { id: true, organizationId: true } });
  const escrowKeys = await generateRsaKeyPair(2048);
  const serial = randomUUID().replace(/-/g, "");
  const tender = await db().tender.create({
    data: {
      code: `TEST-${randomUUID().slice(0, 8)}`,
      title: "投标测试项目",
      procedureType: "GOODS",
      status: "PUBLISHED",
      estimatedPriceCents: 100_000_000n,
      tendererOrgId: creator.organizationId!,
      createdById: creator.id,
      docsIssueAt: new Date(Date.now() - 86_400_000),
      bidDeadline: new Date(Date.now() + deadlineInMs),
      publishedAt: new Date(),
      maxEnvelopeBytes: 8n * 1024n * 1024n,
      readOutItems: [{ key: "price", label: "投标报价（元）", kind: "money" }],
      // A test-held escrow key (no custodian split), so tests can open what was sealed.
      escrow: {
        create: { serial, publicKeyPem: forge.pki.publicKeyToPem(escrowKeys.publicKey), threshold: 2, record: {}, signature: "" },
      },
    },
    select: { id: true },
  });
  return { id: tender.id, escrow: { serial, keys: escrowKeys } };
}

/** The bidder obtained the tender documents (the download itself is tested with publication). */
export async function holdDocuments(tenderId: string, bidder: TestBidder): Promise<void> {
  const user = await db().user.findFirstOrThrow({ where: { organizationId: bidder.organizationId }, select: { id: true } });
  const doc = await db().tenderDocument.create({
    data: {
      tenderId,
      kind: "TENDER_DOCUMENTS",
      fileName: "招标文件.pdf",
      sizeBytes: 10n,
      sha256: "0".repeat(64),
      storageKey: "test",
      uploadedById: user.id,
    },
    select: { id: true },
  });
  await db().documentDownload.create({
    data: { tenderId, documentId: doc.id, organizationId: bidder.organizationId, userId: user.id },
  });
}

/**
 * Seals a bid as the browser would: a 唱标 form (JSON) and one technical document, 64 KiB chunks
 * so that even small test bids have many chunks, to `file`.
 */
export async function sealTestBid(
  file: string,
  bid: {
    bidder: TestBidder;
    tender: TestTender;
    tenderId?: string;
    readOut: Record<string, string>;
    document: Uint8Array;
  },
): Promise<void> {
  await sealEnvelopeToFile(
    {
      tenderId: bid.tenderId ?? bid.tender.id,
      files: [
        { name: "唱标信息.json", data: bytesSource(new TextEncoder().encode(JSON.stringify(bid.readOut))) },
        { name: "技术标.pdf", data: bytesSource(bid.document) },
      ],
      bidderEncryptionCert: bid.bidder.encryption.cert,
      escrow: { publicKey: bid.tender.escrow.keys.publicKey, serial: bid.tender.escrow.serial },
      signer: bid.bidder.signer,
      now: new Date(),
      chunkSize: 64 * 1024,
    },
    file,
  );
}
