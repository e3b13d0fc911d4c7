import { bytesEqual, fromHex, toHex } from "../bytes.ts";
import { verifyCms } from "../cms/verify.ts";
import { CryptoErrorCode, fail } from "../errors.ts";
import { sha256 } from "../hash.ts";
import type { TrustStore } from "../pki/chain.ts";
import { certToDer, type Certificate } from "../pki/pem.ts";
import type { EnvelopeHeader } from "./header.ts";
import { parseManifest, type EnvelopeManifest } from "./manifest.ts";
import type { ChunkDigestFn } from "./digest-window.ts";
import { walkEnvelope, type EnvelopeWalk, type WalkHooks } from "./structure.ts";

export interface VerifyEnvelopeOptions {
  trust: TrustStore;
  /** Time the bidder's certificate must be valid at: the receipt time on upload. */
  at: Date;
  expectedTenderId?: string;
  /** Chunk digest; WebCrypto by default (Node passes a thread pool's digest, thread-pool.node.ts). */
  digest?: ChunkDigestFn;
}

export interface VerifiedEnvelope {
  header: EnvelopeHeader;
  manifest: EnvelopeManifest;
  manifestBytes: Uint8Array;
  /** SHA-256 of the signed manifest, hex: what the receipt timestamp covers. */
  manifestDigest: string;
  signatureDer: Uint8Array;
  signer: Certificate;
  signingTime?: Date;
}

/**
 * Server-side check on upload, without any key: grammar, ciphertext digests against the signed
 * manifest, bidder signature and certificate chain with revocation. Streams; memory is bounded.
 */
export async function verifyEnvelope(
  source: AsyncIterable<Uint8Array>,
  options: VerifyEnvelopeOptions,
): Promise<VerifiedEnvelope> {
  return checkWalk(await walkEnvelope(source, { digest: options.digest }), options);
}

export async function walkAndCheck(
  source: AsyncIterable<Uint8Array>,
  options: VerifyEnvelopeOptions,
  hooks: WalkHooks,
): Promise<VerifiedEnvelope> {
  return checkWalk(await walkEnvelope(source, { digest: options.digest, ...hooks }), options);
}

/** The checks after a walk (signature, chain, manifest against what was seen), for callers that walked incrementally. */
export function checkWalk(walk: EnvelopeWalk, options: VerifyEnvelopeOptions): VerifiedEnvelope {
  const cms = verifyCms({
    der: walk.signatureDer,
    detachedContent: walk.manifestBytes,
    trust: options.trust,
    at: options.at,
    usage: "signing",
  });
  const manifest = parseManifest(walk.manifestBytes);
  if (manifest.bidder.signingCertDigest !== toHex(sha256(certToDer(cms.signer)))) {
    fail(CryptoErrorCode.TAMPERED_MANIFEST, "The manifest names a different signing certificate than the one that signed it.");
  }
  checkManifestMatchesHeader(manifest, walk);
  if (options.expectedTenderId !== undefined && manifest.tenderId !== options.expectedTenderId) {
    fail(
      CryptoErrorCode.BAD_INPUT,
      `This envelope was sealed for tender "${manifest.tenderId}", not "${options.expectedTenderId}".`,
    );
  }
  checkFiles(manifest, walk);
  return {
    header: walk.header,
    manifest,
    manifestBytes: walk.manifestBytes,
    manifestDigest: toHex(sha256(walk.manifestBytes)),
    signatureDer: walk.signatureDer,
    signer: cms.signer,
    signingTime: cms.signingTime,
  };
}

function checkManifestMatchesHeader(m: EnvelopeManifest, walk: EnvelopeWalk): void {
  const h = walk.header;
  const sameSuite = JSON.stringify(m.suite) === JSON.stringify(h.suite);
  const sameDigest = /^[0-9a-f]{64}$/.test(m.headerDigest) && bytesEqual(fromHex(m.headerDigest), walk.headerDigest);
  if (m.envelopeId !== h.envelopeId || m.tenderId !== h.tenderId || !sameSuite || !sameDigest) {
    fail(
      CryptoErrorCode.TAMPERED_MANIFEST,
      "The signed manifest belongs to a different envelope header: the envelope was altered or spliced.",
    );
  }
}

function checkFiles(m: EnvelopeManifest, walk: EnvelopeWalk): void {
  if (m.files.length !== walk.files.length) {
    fail(
      CryptoErrorCode.TAMPERED_MANIFEST,
      `The manifest lists ${m.files.length} files but the envelope holds ${walk.files.length}.`,
    );
  }
  m.files.forEach((f, i) => {
    const seen = walk.files[i];
    if (!seen || f.index !== i) fail(CryptoErrorCode.TAMPERED_MANIFEST, `File entry ${i} of the manifest is out of order.`);
    if (f.chunks !== seen.chunks || f.size !== seen.ciphertextBytes || f.ciphertextDigest !== seen.ciphertextDigest) {
      fail(
        CryptoErrorCode.TAMPERED_CHUNK,
        `The encrypted content of "${f.name}" (file ${i}) differs from what the bidder signed.`,
        { fileIndex: i },
      );
    }
  });
}
