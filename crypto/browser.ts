/**
 * Browser-safe entry of crypto/: no node:* imports. The bidder's browser generates its key
 * pairs, builds CSRs, keeps its keys in PKCS#12 files, seals bids and (at the opening) opens
 * them; custodians open their escrow shares. Everything here also runs in Node.
 */
export { CryptoError, CryptoErrorCode, isCryptoError } from "./errors.ts";
export { toHex, fromHex, toBase64, fromBase64, utf8 } from "./bytes.ts";
export { sha256, sha256Async } from "./hash.ts";
export { canonicalJson } from "./canonical-json.ts";
export {
  generateKeyPairWebCrypto,
  keyId,
  publicKeyOf,
  privateKeyFromPkcs8,
  privateKeyToPkcs8,
  publicKeyFromSpki,
  publicKeyToSpki,
} from "./pki/keys.ts";
export type { KeyPair, KeyPurpose, PrivateKey, PublicKey } from "./pki/keys.ts";
export { createCsr } from "./pki/csr.ts";
export type { SubjectInput, HolderRole } from "./pki/names.ts";
export { exportP12, importP12 } from "./pki/p12.ts";
export type { P12Contents } from "./pki/p12.ts";
export { certFromPem, certToPem, certFromDer, certToDer, certsFromPemBundle } from "./pki/pem.ts";
export type { Certificate } from "./pki/pem.ts";
export type { TrustStore } from "./pki/chain.ts";
export { signCms } from "./cms/signed-data.ts";
export type { Signer } from "./cms/signed-data.ts";
export { verifyCms } from "./cms/verify.ts";
export { sealEnvelope } from "./envelope/writer.ts";
export type { SealFile, SealInput, SealResult } from "./envelope/writer.ts";
export { webCryptoCipher } from "./envelope/cipher.ts";
export type { ContentCipher, ContentCipherFactory } from "./envelope/cipher.ts";
export { verifyEnvelope } from "./envelope/verify.ts";
export type { VerifiedEnvelope, VerifyEnvelopeOptions } from "./envelope/verify.ts";
export { openEnvelope } from "./envelope/open.ts";
export type { OpenEnvelopeOptions } from "./envelope/open.ts";
export { blobSource, bytesSource, readableSource, toReadableStream, collect } from "./envelope/sources.ts";
export { DEFAULT_CHUNK_SIZE } from "./envelope/format.ts";
export { SUITE_RSA_AES, SUITE_GM_RESERVED } from "./envelope/suite.ts";
export type { EnvelopeManifest } from "./envelope/manifest.ts";
export type { EnvelopeHeader } from "./envelope/header.ts";
export { parseHeader } from "./envelope/header.ts";
export { contentKeyToBase64, unwrapContentKeyFromHeader } from "./envelope/content-key.ts";
export { openCustodianShare, reconstructEscrowKey } from "./escrow/escrow.ts";
export type { EscrowRecord, CustodianShare } from "./escrow/escrow.ts";
