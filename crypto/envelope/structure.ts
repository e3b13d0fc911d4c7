import { readU32be } from "../bytes.ts";
import { CryptoErrorCode, fail } from "../errors.ts";
import { sha256Async } from "../hash.ts";
import { ChunkDigests, type ChunkDigestFn } from "./digest-window.ts";
import {
  CHUNK_PREFIX_LENGTH,
  FLAG_FINAL,
  MAX_CHUNK_SIZE,
  MAX_JSON_RECORD,
  MAX_SIGNATURE_RECORD,
  RecordType,
  TAG_LENGTH,
} from "./format.ts";
import { parseHeader, type EnvelopeHeader } from "./header.ts";
import { readRecords } from "./record-reader.ts";

/** A chunk record's prefix fields and where it sits, without its bytes. */
export interface ChunkMeta {
  fileIndex: number;
  chunkIndex: number;
  final: boolean;
  /** Length of ciphertext‖tag. */
  sealedLength: number;
  /** Byte offset of the record (its type byte) in the envelope. */
  offset: number;
}

export interface ChunkView {
  fileIndex: number;
  chunkIndex: number;
  final: boolean;
  /** ciphertext‖tag */
  sealed: Uint8Array;
  offset: number;
}

/** The prefix fields of a chunk record body (its first CHUNK_PREFIX_LENGTH bytes). */
export function readChunkPrefix(prefix: Uint8Array, bodyLength: number, offset: number): ChunkMeta {
  if (bodyLength < CHUNK_PREFIX_LENGTH + TAG_LENGTH)
    fail(CryptoErrorCode.MALFORMED, `Chunk record at byte ${offset} is too short.`);
  return {
    fileIndex: readU32be(prefix, 0),
    chunkIndex: readU32be(prefix, 4),
    final: ((prefix[8] as number) & FLAG_FINAL) !== 0,
    sealedLength: bodyLength - CHUNK_PREFIX_LENGTH,
    offset,
  };
}

export interface ObservedFile {
  chunks: number;
  ciphertextBytes: number;
  ciphertextDigest: string;
}

export interface EnvelopeWalk {
  header: EnvelopeHeader;
  headerDigest: Uint8Array;
  files: ObservedFile[];
  manifestBytes: Uint8Array;
  signatureDer: Uint8Array;
}

export interface WalkHooks {
  /** Called after the header, before any chunk: opening unwraps the content key here. */
  onHeader?(header: EnvelopeHeader, headerDigest: Uint8Array): Promise<void>;
  /**
   * May return the chunk's digest (SHA-256 of chunk.sealed), still computing, when it computes it
   * anyway, as a thread-pool opener does; the walk then uses it instead of hashing again.
   * (Wrapped in an object: an async hook returning the bare promise would be awaited through.)
   */
  onChunk?(chunk: ChunkView, header: EnvelopeHeader, headerDigest: Uint8Array): Promise<{ digest: Promise<Uint8Array> } | void>;
  /** Called once at the manifest, after the last chunk: lets a pipelined opener drain. */
  onChunksDone?(): Promise<void>;
  digest?: ChunkDigestFn;
}

export function maxRecordBody(type: number): number {
  if (type === RecordType.CHUNK) return MAX_CHUNK_SIZE + CHUNK_PREFIX_LENGTH + TAG_LENGTH;
  if (type === RecordType.SIGNATURE) return MAX_SIGNATURE_RECORD;
  return MAX_JSON_RECORD;
}

/**
 * Walk an envelope's records in order and enforce the v1 grammar:
 * HEADER, CHUNK+ per file in file/chunk order with exactly one final chunk per file,
 * MANIFEST, SIGNATURE, end. This needs no key: the server runs it on upload.
 */
export async function walkEnvelope(source: AsyncIterable<Uint8Array>, hooks: WalkHooks = {}): Promise<EnvelopeWalk> {
  const state = new WalkState(hooks.digest);
  for await (const record of readRecords(source, maxRecordBody)) {
    await state.accept(record.type, record.body, record.offset, hooks);
  }
  return state.finish();
}

/**
 * The v1 grammar as a state machine. walkEnvelope feeds it whole records; the file opener in
 * files.node.ts feeds it record frames and chunk prefixes read by position, with the chunk
 * digests its threads compute, so both enforce exactly the same rules.
 */
export class WalkState {
  private header: EnvelopeHeader | null = null;
  private headerDigest = new Uint8Array(0);
  private readonly files: ObservedFile[] = [];
  private fileIndex = 0;
  private chunkIndex = 0;
  private fileOpen = false;
  private fileBytes = 0;
  private digests: ChunkDigests;
  private manifestBytes: Uint8Array | null = null;
  private signatureDer: Uint8Array | null = null;

  /** `window`: chunk digests outstanding at once (more for a thread pool with several threads). */
  constructor(
    private readonly digest?: ChunkDigestFn,
    private readonly window?: number,
  ) {
    this.digests = new ChunkDigests(digest, window);
  }

  async accept(type: number, body: Uint8Array, offset: number, hooks: WalkHooks): Promise<void> {
    if (this.signatureDer) fail(CryptoErrorCode.MALFORMED, `Unexpected data after the signature at byte ${offset}.`);
    if (type === RecordType.HEADER) return this.acceptHeader(body, offset, hooks);
    if (!this.header) fail(CryptoErrorCode.MALFORMED, "The envelope does not start with its header record.");
    if (type === RecordType.CHUNK) return this.acceptChunk(body, offset, hooks);
    if (type === RecordType.MANIFEST) {
      this.acceptManifest(body, offset);
      return hooks.onChunksDone?.();
    }
    if (type === RecordType.SIGNATURE) return this.acceptSignature(body, offset);
    fail(CryptoErrorCode.MALFORMED, `Unknown record type ${type} at byte ${offset}.`);
  }

  private async acceptHeader(body: Uint8Array, offset: number, hooks: WalkHooks): Promise<void> {
    const { header, headerDigest } = await this.acceptHeaderBody(body, offset);
    await hooks.onHeader?.(header, headerDigest);
  }

  async acceptHeaderBody(body: Uint8Array, offset: number): Promise<{ header: EnvelopeHeader; headerDigest: Uint8Array }> {
    if (this.signatureDer) fail(CryptoErrorCode.MALFORMED, `Unexpected data after the signature at byte ${offset}.`);
    if (this.header) fail(CryptoErrorCode.MALFORMED, `A second header record at byte ${offset}: envelopes were spliced.`);
    this.header = parseHeader(body);
    this.headerDigest = await sha256Async(body);
    return { header: this.header, headerDigest: this.headerDigest };
  }

  private async acceptChunk(body: Uint8Array, offset: number, hooks: WalkHooks): Promise<void> {
    const meta = readChunkPrefix(body, body.length, offset);
    const header = this.checkChunk(meta);
    const chunk: ChunkView = { ...meta, sealed: body.subarray(CHUNK_PREFIX_LENGTH) };
    const known = await hooks.onChunk?.(chunk, header, this.headerDigest);
    await this.recordChunk(meta, known ? known.digest : this.digests.digestOf(chunk.sealed));
  }

  /** Grammar checks for the next chunk record; returns the header it belongs to. */
  checkChunk(meta: ChunkMeta): EnvelopeHeader {
    if (this.signatureDer) fail(CryptoErrorCode.MALFORMED, `Unexpected data after the signature at byte ${meta.offset}.`);
    if (!this.header) fail(CryptoErrorCode.MALFORMED, "The envelope does not start with its header record.");
    if (this.manifestBytes) fail(CryptoErrorCode.MALFORMED, `A chunk after the manifest at byte ${meta.offset}.`);
    this.checkOrder(meta);
    const plainLength = meta.sealedLength - TAG_LENGTH;
    if (plainLength > this.header.chunkSize || (!meta.final && plainLength !== this.header.chunkSize)) {
      fail(CryptoErrorCode.MALFORMED, `Chunk ${meta.chunkIndex} of file ${meta.fileIndex} has a wrong length.`);
    }
    return this.header;
  }

  /**
   * Counts a checked chunk; `digest` is SHA-256 of its ciphertext‖tag, possibly still being
   * computed. Waits only when more digests than the window are outstanding.
   */
  async recordChunk(meta: ChunkMeta, digest: Promise<Uint8Array>): Promise<void> {
    await this.digests.addDigest(digest);
    this.fileBytes += meta.sealedLength - TAG_LENGTH;
    this.chunkIndex++;
    this.fileOpen = !meta.final;
    if (meta.final) await this.closeFile();
  }

  get currentHeader(): { header: EnvelopeHeader; headerDigest: Uint8Array } | null {
    return this.header ? { header: this.header, headerDigest: this.headerDigest } : null;
  }

  private checkOrder(chunk: ChunkMeta): void {
    if (chunk.fileIndex !== this.fileIndex || chunk.chunkIndex !== this.chunkIndex) {
      fail(
        CryptoErrorCode.REORDERED,
        `Expected chunk ${this.chunkIndex} of file ${this.fileIndex} at byte ${chunk.offset} but found chunk ${chunk.chunkIndex} of file ${chunk.fileIndex}: chunks were removed, reordered or spliced.`,
      );
    }
  }

  private async closeFile(): Promise<void> {
    this.files.push({ chunks: this.chunkIndex, ciphertextBytes: this.fileBytes, ciphertextDigest: await this.digests.finish() });
    this.digests = new ChunkDigests(this.digest, this.window);
    this.fileIndex++;
    this.chunkIndex = 0;
    this.fileBytes = 0;
  }

  acceptManifest(body: Uint8Array, offset: number): void {
    if (this.signatureDer) fail(CryptoErrorCode.MALFORMED, `Unexpected data after the signature at byte ${offset}.`);
    if (!this.header) fail(CryptoErrorCode.MALFORMED, "The envelope does not start with its header record.");
    if (this.manifestBytes) fail(CryptoErrorCode.MALFORMED, `A second manifest at byte ${offset}.`);
    if (this.fileOpen)
      fail(CryptoErrorCode.TRUNCATED, `File ${this.fileIndex} ends without its final chunk: chunks were cut off.`);
    if (this.files.length === 0) fail(CryptoErrorCode.MALFORMED, "The envelope holds no file.");
    this.manifestBytes = body;
  }

  acceptSignature(body: Uint8Array, offset: number): void {
    if (this.signatureDer) fail(CryptoErrorCode.MALFORMED, `Unexpected data after the signature at byte ${offset}.`);
    if (!this.manifestBytes) fail(CryptoErrorCode.MALFORMED, `A signature before the manifest at byte ${offset}.`);
    this.signatureDer = body;
  }

  finish(): EnvelopeWalk {
    if (!this.header) fail(CryptoErrorCode.TRUNCATED, "The envelope has no header.");
    if (this.fileOpen || !this.manifestBytes)
      fail(CryptoErrorCode.TRUNCATED, "The envelope is cut short: its manifest is missing.");
    if (!this.signatureDer) fail(CryptoErrorCode.TRUNCATED, "The envelope is cut short: the bidder's signature is missing.");
    return {
      header: this.header,
      headerDigest: this.headerDigest,
      files: this.files,
      manifestBytes: this.manifestBytes,
      signatureDer: this.signatureDer,
    };
  }
}
