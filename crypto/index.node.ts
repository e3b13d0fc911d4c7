/**
 * Node entry of crypto/: everything in the browser entry plus the platform side — CA and
 * issuing, CRLs, fast key generation, the TSA, escrow creation, audit chain, file helpers.
 */
export * from "./browser.ts";
export { generateRsaKeyPair } from "./pki/keygen.node.ts";
export { installNativeRsaVerify, nativeSigner, signNatively } from "./pki/native-rsa.node.ts";
export { workerSource } from "./worker-source.node.ts";
export { createRootCa, createIssuingCa, issueCertificate, newSerial } from "./pki/ca.ts";
export type { CaIdentity, IssueInput } from "./pki/ca.ts";
export { createCrl, parseCrl, crlToPem } from "./pki/crl.ts";
export type { RevokedEntry, CrlInput } from "./pki/crl.ts";
export { verifyCertificateChain } from "./pki/chain.ts";
export { parseCsr } from "./pki/csr.ts";
export { nodeCipher } from "./envelope/cipher.node.ts";
export { fileSource, sealEnvelopeToFile, verifyEnvelopeFile, openEnvelopeToDirectory } from "./envelope/files.node.ts";
export { ChunkThreadPool, sharedChunkPool } from "./envelope/thread-pool.node.ts";
export { issueTimestamp, timestampRequestFor } from "./tsa/tsa.ts";
export { encodeTimestampRequest, parseTimestampRequest } from "./tsa/request.ts";
export { verifyTimestamp } from "./tsa/verify.ts";
export { createEscrow, encodeEscrowRecord } from "./escrow/escrow.ts";
export { appendEntry, hashEntry, verifyAuditChain, GENESIS_HASH } from "./audit/chain.ts";
export type { AuditEntry, AuditFields, AuditVerdict } from "./audit/chain.ts";
export { signCheckpoint, verifyCheckpoint } from "./audit/checkpoint.ts";
// What the app's server side needs beyond the above: the envelope's framing for the upload's
// streaming intake, low-level helpers, and types.
export { fail } from "./errors.ts";
export { readU32be } from "./bytes.ts";
export type { CanonicalValue } from "./canonical-json.ts";
export { fieldValue } from "./pki/names.ts";
export type { CertProfile } from "./pki/profiles.ts";
export { CHUNK_PREFIX_LENGTH, MAGIC, RECORD_FRAME_LENGTH, RecordType } from "./envelope/format.ts";
export { maxRecordBody, readChunkPrefix, WalkState } from "./envelope/structure.ts";
export type { EnvelopeWalk } from "./envelope/structure.ts";
export { checkWalk } from "./envelope/verify.ts";
export type { Custodian } from "./escrow/escrow.ts";
export { checkpointBytes } from "./audit/checkpoint.ts";
export type { AuditExport, ExportedAuditEntry } from "./audit/export.ts";
export { isLoopbackHost, weakSecretReason } from "./secret-policy.ts";
