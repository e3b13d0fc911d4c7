// Demo only: the seeded agent and supervisor get encryption certificates so that tenders can
// have an escrow key (custodian shares) and bids can be sealed in the walkthrough. In a real
// installation custodians enrol in their own browser (/pki/enrol) and no key is ever made here.
// Their key files are written to DEMO_KEYS_DIR (password: the demo password) for the demo's
// opening walkthrough.
import fs from "node:fs";
import path from "node:path";
import type { PrismaClient } from "../app/generated/prisma/client.ts";
import { enrolCertificates } from "../app/features/pki/certificates.server.ts";
import { createCsr } from "../crypto/pki/csr.ts";
import { generateRsaKeyPair } from "../crypto/pki/keygen.node.ts";
import { exportP12 } from "../crypto/pki/p12.ts";
import { certFromPem } from "../crypto/pki/pem.ts";

export async function seedDemoCustodians(prisma: PrismaClient, emails: string[], password: string): Promise<void> {
  const dir = path.resolve(process.env.DEMO_KEYS_DIR ?? "var/demo-keys");
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  for (const email of emails) {
    const user = await prisma.user.findUniqueOrThrow({
      where: { email },
      select: {
        id: true,
        email: true,
        name: true,
        role: true,
        organizationId: true,
        organization: { select: { name: true, creditCode: true } },
      },
    });
    if (!user.organization || !user.organizationId) continue;
    const has = await prisma.certificate.count({
      where: { userId: user.id, usage: "ENCRYPTION", revokedAt: null, notAfter: { gt: new Date() } },
    });
    if (has > 0) continue;
    const [signing, encryption] = await Promise.all([generateRsaKeyPair(), generateRsaKeyPair()]);
    const subject = {
      commonName: user.organization.name,
      organization: user.organization.name,
      serialNumber: user.organization.creditCode,
    };
    const result = await enrolCertificates(
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
    if (!result.ok) throw new Error(`demo custodian ${email}: ${result.error}`);
    const chain = result.chainPem.map(certFromPem);
    const p12 = exportP12(
      { privateKey: encryption.privateKey, certificate: certFromPem(result.encryptionPem), chain },
      password,
      `${email}-enc`,
    );
    fs.writeFileSync(path.join(dir, `${email}-enc.p12`), p12, { mode: 0o600 });
  }
}
