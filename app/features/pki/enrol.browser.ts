// Runs in the holder's browser: the key pairs are generated here and leave the page only as
// password-protected PKCS#12 files the holder downloads. The server sees CSRs (public keys).
import { certFromPem, createCsr, exportP12, generateKeyPairWebCrypto, type KeyPair } from "../../../crypto/browser.ts";

export interface PendingEnrolment {
  signing: KeyPair;
  encryption: KeyPair;
  signingCsr: string;
  encryptionCsr: string;
  creditCode: string;
}

export async function generateEnrolmentRequest(holder: { organization: string; creditCode: string }): Promise<PendingEnrolment> {
  const [signing, encryption] = await Promise.all([generateKeyPairWebCrypto("signing"), generateKeyPairWebCrypto("encryption")]);
  const subject = { commonName: holder.organization, organization: holder.organization, serialNumber: holder.creditCode };
  return {
    signing,
    encryption,
    signingCsr: createCsr(signing, subject),
    encryptionCsr: createCsr(encryption, subject),
    creditCode: holder.creditCode,
  };
}

export function buildKeyFiles(
  pending: PendingEnrolment,
  issued: { signingPem: string; encryptionPem: string; chainPem: string[] },
  password: string,
): { name: string; bytes: Uint8Array }[] {
  const chain = issued.chainPem.map(certFromPem);
  const file = (usage: "sign" | "enc", keys: KeyPair, pem: string) => ({
    name: `${pending.creditCode}-${usage}.p12`,
    bytes: exportP12(
      { privateKey: keys.privateKey, certificate: certFromPem(pem), chain },
      password,
      `${pending.creditCode}-${usage}`,
    ),
  });
  return [file("sign", pending.signing, issued.signingPem), file("enc", pending.encryption, issued.encryptionPem)];
}
