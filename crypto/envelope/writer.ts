import { concatBytes, randomBytes, toHex } from "../bytes.ts";
import { signCms, type Signer } from "../cms/signed-data.ts";
import { CryptoErrorCode, fail } from "../errors.ts";
import { sha256, sha256Async } from "../hash.ts";
import type { PublicKey } from "../pki/keys.ts";
import { describeName } from "../pki/names.ts";
import { certToDer, type Certificate } from "../pki/pem.ts";
import type { ContentCipher, ContentCipherFactory } from "./cipher.ts";
import { ChunkDigests, type ChunkDigestFn } from "./digest-window.ts";
import {
  CONTENT_KEY_LENGTH,
  DEFAULT_CHUNK_SIZE,
  MAX_CHUNK_SIZE,
  MAX_FILES,
  MIN_CHUNK_SIZE,
  MAGIC,
  RecordType,
  chunkAad,
  chunkNonce,
  chunkPrefix,
  recordFrame,
} from "./format.ts";
import { encodeHeader, type EnvelopeHeader, type KeyWrapRecord } from "./header.ts";
import { keyWrapRecord } from "./key-wrap.ts";
import { encodeManifest, type EnvelopeManifest, type ManifestFile } from "./manifest.ts";
import { rechunk } from "./rechunk.ts";
import { SUITE_RSA_AES } from "./suite.ts";

export interface SealFile {
  name: string;
  /** Plaintext bytes, in pieces of any size (File slices in the browser, a read stream in Node). */
  data: AsyncIterable<Uint8Array>;
}

export interface SealInput {
  tenderId: string;
  files: readonly SealFile[];
  /** The bidder's encryption certificate (加密证书): the bidder can open its own bid at the opening. */
  bidderEncryptionCert: Certificate;
  /** The tender's escrow public key and an id for it (certificate serial or escrow id). */
  escrow: { publicKey: PublicKey; serial: string };
  /** The bidder's signing identity (签名证书) that signs the manifest. */
  signer: Signer;
  now: Date;
  cipher: ContentCipherFactory;
  /** Chunk digest; WebCrypto by default (Node passes a thread pool's digest, thread-pool.node.ts). */
  digest?: ChunkDigestFn;
  chunkSize?: number;
  /** Fixed values for test vectors only; production callers leave this out. */
  deterministic?: { contentKey: Uint8Array; envelopeId: Uint8Array; recipients: KeyWrapRecord[] };
}

export interface SealResult {
  manifest: EnvelopeManifest;
  manifestBytes: Uint8Array;
}

/**
 * Seal bid files into an MBSEAL v1 envelope, yielding its bytes in order. Memory is bounded by
 * a few chunks: nothing buffers a whole file. The generator's return value is the manifest.
 */
export async function* sealEnvelope(input: SealInput): AsyncGenerator<Uint8Array, SealResult> {
  validateSealInput(input);
  const chunkSize = input.chunkSize ?? DEFAULT_CHUNK_SIZE;
  const contentKey = input.deterministic?.contentKey.slice() ?? randomBytes(CONTENT_KEY_LENGTH);
  const header = buildHeader(input, contentKey, chunkSize);
  const headerBytes = encodeHeader(header);
  const headerDigest = await sha256Async(headerBytes);
  yield concatBytes([MAGIC, recordFrame(RecordType.HEADER, headerBytes.length), headerBytes]);
  const cipher = await input.cipher(contentKey);
  const files: ManifestFile[] = [];
  for (const [index, file] of input.files.entries()) {
    const entry = yield* sealFile(cipher, new ChunkDigests(input.digest), headerDigest, index, file, chunkSize);
    files.push(entry);
  }
  contentKey.fill(0);
  const manifest = buildManifest(input, header, headerDigest, files);
  const manifestBytes = encodeManifest(manifest);
  yield concatBytes([recordFrame(RecordType.MANIFEST, manifestBytes.length), manifestBytes]);
  const signature = signCms({ content: manifestBytes, signer: input.signer, signingTime: input.now });
  yield concatBytes([recordFrame(RecordType.SIGNATURE, signature.length), signature]);
  return { manifest, manifestBytes };
}

export function validateSealInput(input: SealInput): void {
  const size = input.chunkSize ?? DEFAULT_CHUNK_SIZE;
  if (size < MIN_CHUNK_SIZE || size > MAX_CHUNK_SIZE)
    fail(CryptoErrorCode.BAD_INPUT, `Chunk size must be ${MIN_CHUNK_SIZE}..${MAX_CHUNK_SIZE} bytes.`);
  if (input.files.length === 0) fail(CryptoErrorCode.BAD_INPUT, "A bid envelope needs at least one file.");
  if (input.files.length > MAX_FILES) fail(CryptoErrorCode.BAD_INPUT, `A bid envelope holds at most ${MAX_FILES} files.`);
  const ku = input.bidderEncryptionCert.getExtension("keyUsage") as { keyEncipherment?: boolean } | null;
  if (!ku?.keyEncipherment) {
    fail(CryptoErrorCode.CERT_USAGE, "Seal to the bidder's encryption certificate (加密证书), not the signing one.");
  }
}

export function buildHeader(input: SealInput, contentKey: Uint8Array, chunkSize: number): EnvelopeHeader {
  const recipients = input.deterministic?.recipients ?? [
    keyWrapRecord(
      "bidder",
      input.bidderEncryptionCert.publicKey as PublicKey,
      input.bidderEncryptionCert.serialNumber,
      contentKey,
    ),
    keyWrapRecord("escrow", input.escrow.publicKey, input.escrow.serial, contentKey),
  ];
  return {
    format: "MBSEAL",
    version: 1,
    envelopeId: toHex(input.deterministic?.envelopeId ?? randomBytes(16)),
    tenderId: input.tenderId,
    suite: SUITE_RSA_AES,
    chunkSize,
    recipients,
    createdAt: input.now.toISOString(),
  };
}

/** Chunks kept in flight so a parallel cipher can work on several at once; bounds memory too. */
const SEAL_WINDOW = 4;

interface InFlightChunk {
  prefix: Uint8Array;
  sealed: Promise<Uint8Array>;
  /** Set when the cipher hashes as it seals (thread pool); otherwise the digest runs here. */
  digest?: Promise<Uint8Array>;
}

/** A chunk's failure surfaces when it is emitted, never as an unhandled rejection meanwhile. */
function handled(c: InFlightChunk): InFlightChunk {
  c.sealed.catch(() => undefined);
  c.digest?.catch(() => undefined);
  return c;
}

async function* sealFile(
  cipher: ContentCipher,
  digests: ChunkDigests,
  headerDigest: Uint8Array,
  fileIndex: number,
  file: SealFile,
  chunkSize: number,
): AsyncGenerator<Uint8Array, ManifestFile> {
  const inFlight: InFlightChunk[] = [];
  let size = 0;
  let chunkIndex = 0;
  const emit = async function* (c: InFlightChunk): AsyncGenerator<Uint8Array> {
    const sealed = await c.sealed;
    await (c.digest ? digests.addDigest(c.digest) : digests.add(sealed));
    yield concatBytes([recordFrame(RecordType.CHUNK, sealed.length + c.prefix.length), c.prefix]);
    yield sealed;
  };
  try {
    for await (const chunk of rechunk(file.data, chunkSize)) {
      // Read the length first: a thread-pool cipher takes the chunk's buffer with it.
      size += chunk.data.length;
      const aad = chunkAad(headerDigest, fileIndex, chunkIndex, chunk.final);
      const prefix = chunkPrefix(fileIndex, chunkIndex, chunk.final);
      const nonce = chunkNonce(fileIndex, chunkIndex);
      if (cipher.sealAndDigest) {
        const both = cipher.sealAndDigest(nonce, aad, chunk.data);
        inFlight.push(handled({ prefix, sealed: both.then((b) => b.bytes), digest: both.then((b) => b.digest) }));
      } else {
        inFlight.push(handled({ prefix, sealed: cipher.seal(nonce, aad, chunk.data) }));
      }
      chunkIndex++;
      if (inFlight.length >= SEAL_WINDOW) yield* emit(inFlight.shift() as InFlightChunk);
    }
    while (inFlight.length > 0) yield* emit(inFlight.shift() as InFlightChunk);
  } finally {
    inFlight.length = 0;
  }
  return { index: fileIndex, name: file.name, size, chunks: chunkIndex, ciphertextDigest: await digests.finish() };
}

export function buildManifest(
  input: SealInput,
  header: EnvelopeHeader,
  headerDigest: Uint8Array,
  files: ManifestFile[],
): EnvelopeManifest {
  return {
    format: "MBSEAL-MANIFEST",
    version: 1,
    envelopeId: header.envelopeId,
    tenderId: header.tenderId,
    headerDigest: toHex(headerDigest),
    suite: header.suite,
    bidder: { subject: describeName(input.signer.cert.subject), signingCertDigest: toHex(sha256(certToDer(input.signer.cert))) },
    files,
    sealedAt: input.now.toISOString(),
  };
}
