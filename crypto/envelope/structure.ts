import { readU32be } from "../bytes.ts";
import { CryptoErrorCode, fail } from "../errors.ts";
import { sha256Async } from "../hash.ts";
import { ChunkDigests, type ChunkDigestFn } from "./digest-window.ts";
import {
  CHUNK_PREFIX_LENGTH, FLAG_FINAL, MAX_CHUNK_SIZE, MAX_JSON_RECORD, MAX_SIGNATURE_RECORD, RecordType, TAG_LENGTH,
} from "./format.ts";
import { parseHeader, type EnvelopeHeader } from "./header.ts";
import { readRecords } from "./record-reader.ts";

export interface ChunkView {
  fileIndex: number;
  chunkIndex: number;
  final: boolean;
  /** ciphertext‖tag */
  sealed: Uint8Array;
  offset: number;
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
  onChunk?(chunk: ChunkView, header: EnvelopeHeader, headerDigest: Uint8Array): Promise<void>;
  /** Called once at the manifest, after the last chunk: lets a pipelined opener drain. */
  onChunksDone?(): Promise<void>;
  digest?: ChunkDigestFn;
}

function maxBody(type: number): number {
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
  for await (const record of readRecords(source, maxBody)) {
    await state.accept(record.type, record.body, record.offset, hooks);
  }
  return state.finish();
}

class WalkState {
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

  constructor(private readonly digest?: ChunkDigestFn) {
    this.digests = new ChunkDigests(digest);
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
    if (this.header) fail(CryptoErrorCode.MALFORMED, `A second header record at byte ${offset}: envelopes were spliced.`);
    this.header = parseHeader(body);
    this.headerDigest = await sha256Async(body);
    await hooks.onHeader?.(this.header, this.headerDigest);
  }

  private async acceptChunk(body: Uint8Array, offset: number, hooks: WalkHooks): Promise<void> {
    const header = this.header as EnvelopeHeader;
    if (this.manifestBytes) fail(CryptoErrorCode.MALFORMED, `A chunk after the manifest at byte ${offset}.`);
    if (body.length < CHUNK_PREFIX_LENGTH + TAG_LENGTH) fail(CryptoErrorCode.MALFORMED, `Chunk record at byte ${offset} is too short.`);
    const chunk: ChunkView = {
      fileIndex: readU32be(body, 0),
      chunkIndex: readU32be(body, 4),
      final: ((body[8] as number) & FLAG_FINAL) !== 0,
      sealed: body.subarray(CHUNK_PREFIX_LENGTH),
      offset,
    };
    this.checkOrder(chunk);
    const plainLength = chunk.sealed.length - TAG_LENGTH;
    if (plainLength > header.chunkSize || (!chunk.final && plainLength !== header.chunkSize)) {
      fail(CryptoErrorCode.MALFORMED, `Chunk ${chunk.chunkIndex} of file ${chunk.fileIndex} has a wrong length.`);
    }
    await this.digests.add(chunk.sealed);
    await hooks.onChunk?.(chunk, header, this.headerDigest);
    this.fileBytes += plainLength;
    this.chunkIndex++;
    this.fileOpen = !chunk.final;
    if (chunk.final) await this.closeFile();
  }

  private checkOrder(chunk: ChunkView): void {
    if (chunk.fileIndex !== this.fileIndex || chunk.chunkIndex !== this.chunkIndex) {
      fail(
        CryptoErrorCode.REORDERED,
        `Expected chunk ${this.chunkIndex} of file ${this.fileIndex} at byte ${chunk.offset} but found chunk ${chunk.chunkIndex} of file ${chunk.fileIndex}: chunks were removed, reordered or spliced.`,
      );
    }
  }

  private async closeFile(): Promise<void> {
    this.files.push({ chunks: this.chunkIndex, ciphertextBytes: this.fileBytes, ciphertextDigest: await this.digests.finish() });
    this.digests = new ChunkDigests(this.digest);
    this.fileIndex++;
    this.chunkIndex = 0;
    this.fileBytes = 0;
  }

  private acceptManifest(body: Uint8Array, offset: number): void {
    if (this.manifestBytes) fail(CryptoErrorCode.MALFORMED, `A second manifest at byte ${offset}.`);
    if (this.fileOpen) fail(CryptoErrorCode.TRUNCATED, `File ${this.fileIndex} ends without its final chunk: chunks were cut off.`);
    if (this.files.length === 0) fail(CryptoErrorCode.MALFORMED, "The envelope holds no file.");
    this.manifestBytes = body;
  }

  private acceptSignature(body: Uint8Array, offset: number): void {
    if (!this.manifestBytes) fail(CryptoErrorCode.MALFORMED, `A signature before the manifest at byte ${offset}.`);
    this.signatureDer = body;
  }

  finish(): EnvelopeWalk {
    if (!this.header) fail(CryptoErrorCode.TRUNCATED, "The envelope has no header.");
    if (this.fileOpen || !this.manifestBytes) fail(CryptoErrorCode.TRUNCATED, "The envelope is cut short: its manifest is missing.");
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

