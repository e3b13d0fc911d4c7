import { concatBytes, u32be } from "../bytes.ts";

/**
 * Byte layout of envelope format v1 (docs/crypto/envelope-v1.md is the normative text).
 * Envelope = MAGIC, then records: type (1 byte) | body length (u32 BE) | body.
 */
export const MAGIC = new Uint8Array([0x4d, 0x42, 0x53, 0x45, 0x41, 0x4c, 0x00, 0x01]); // "MBSEAL" 0x00 0x01

export const RecordType = { HEADER: 0x01, CHUNK: 0x02, MANIFEST: 0x03, SIGNATURE: 0x04 } as const;
export type RecordType = (typeof RecordType)[keyof typeof RecordType];

export const RECORD_FRAME_LENGTH = 5;
export const CHUNK_PREFIX_LENGTH = 9;
export const TAG_LENGTH = 16;
export const CONTENT_KEY_LENGTH = 32;
export const NONCE_LENGTH = 12;
export const FLAG_FINAL = 0x01;

export const DEFAULT_CHUNK_SIZE = 1 << 20;
export const MIN_CHUNK_SIZE = 1 << 10;
export const MAX_CHUNK_SIZE = 1 << 24;
export const MAX_JSON_RECORD = 1 << 20;
export const MAX_SIGNATURE_RECORD = 1 << 18;
export const MAX_FILES = 1000;

export function recordFrame(type: RecordType, bodyLength: number): Uint8Array {
  const frame = new Uint8Array(RECORD_FRAME_LENGTH);
  frame[0] = type;
  frame.set(u32be(bodyLength), 1);
  return frame;
}

export function chunkPrefix(fileIndex: number, chunkIndex: number, final: boolean): Uint8Array {
  const prefix = new Uint8Array(CHUNK_PREFIX_LENGTH);
  const view = new DataView(prefix.buffer);
  view.setUint32(0, fileIndex, false);
  view.setUint32(4, chunkIndex, false);
  prefix[8] = final ? FLAG_FINAL : 0;
  return prefix;
}

/** Nonce = 0x00000000 | fileIndex | chunkIndex: unique per chunk because every envelope has a fresh key. */
export function chunkNonce(fileIndex: number, chunkIndex: number): Uint8Array {
  const nonce = new Uint8Array(NONCE_LENGTH);
  const view = new DataView(nonce.buffer);
  view.setUint32(4, fileIndex, false);
  view.setUint32(8, chunkIndex, false);
  return nonce;
}

/**
 * AAD = SHA-256(header record body) | fileIndex | chunkIndex | flags. The header digest ties each
 * chunk to this envelope's recipients and parameters; the indices and the final flag make
 * reordering, splicing and truncation fail the tag check.
 */
export function chunkAad(headerDigest: Uint8Array, fileIndex: number, chunkIndex: number, final: boolean): Uint8Array {
  return concatBytes([headerDigest, chunkPrefix(fileIndex, chunkIndex, final)]);
}
