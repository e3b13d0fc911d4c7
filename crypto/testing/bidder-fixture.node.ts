import { generateRsaKeyPair } from "../pki/keygen.node.ts";
import type { KeyPair } from "../pki/keys.ts";
import type { Signer } from "../cms/signed-data.ts";
import { createTestPki, type Holder, type TestPki } from "./pki-fixture.node.ts";

export interface EnvelopeFixture {
  pki: TestPki;
  signing: Holder;
  encryption: Holder;
  escrow: KeyPair;
  signer: Signer;
}

/** A bidder with its two certificates (签名证书 + 加密证书) and a tender escrow key. */
export async function createEnvelopeFixture(): Promise<EnvelopeFixture> {
  const pki = await createTestPki();
  const [signing, encryption, escrow] = await Promise.all([
    pki.issue("某某建设有限公司", "bidder", "signing"),
    pki.issue("某某建设有限公司", "bidder", "encryption"),
    generateRsaKeyPair(),
  ]);
  return { pki, signing, encryption, escrow, signer: { cert: signing.cert, key: signing.key, chain: [pki.issuing.cert] } };
}
