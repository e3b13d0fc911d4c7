/**
 * Node entry of crypto/: everything in the browser entry plus the platform side — CA and
 * issuing, CRLs, fast key generation, the TSA, escrow creation, audit chain, file helpers.
 */
export * from "./browser.ts";
export { generateRsaKeyPair } from "./pki/keygen.node.ts";
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
