import { fromHex, toHex } from "../bytes.ts";
import type { KeyWrapRecord } from "../envelope/header.ts";
import type { ManifestFile } from "../envelope/manifest.ts";
import { splitRecords } from "../testing/envelope-surgery.ts";
import { RecordType, MAGIC, recordFrame } from "../envelope/format.ts";
import { concatBytes } from "../bytes.ts";

/** Shape of crypto/test-vectors/envelope-v1.json (see docs/crypto/envelope-v1.md §Test vectors). */
export interface EnvelopeVector {
  description: string;
  contentKey: string;
  envelopeId: string;
  tenderId: string;
  createdAt: string;
  chunkSize: number;
  recipients: KeyWrapRecord[];
  recipientPrivateKeyPkcs8: string;
  files: { name: string; plaintext: string }[];
  expected: {
    header: string;
    headerDigest: string;
    chunkRecords: string[];
    manifestFiles: ManifestFile[];
    /** SHA-256 of MAGIC ‖ header record ‖ chunk records, i.e. everything before the manifest. */
    bodyDigest: string;
  };
}

export function vectorPlaintext(size: number, seed: number): Uint8Array {
  return Uint8Array.from({ length: size }, (_, i) => (i * 31 + seed) & 0xff);
}

/** Everything the bidder-independent part of the format determines, extracted from an envelope. */
export function extractVectorParts(envelope: Uint8Array): { header: Uint8Array; chunkRecords: Uint8Array[]; body: Uint8Array } {
  const records = splitRecords(envelope);
  const header = records.find((r) => r.type === RecordType.HEADER)?.body ?? new Uint8Array(0);
  const chunkRecords = records
    .filter((r) => r.type === RecordType.CHUNK)
    .map((r) => concatBytes([recordFrame(RecordType.CHUNK, r.body.length), r.body]));
  const body = concatBytes([MAGIC, recordFrame(RecordType.HEADER, header.length), header, ...chunkRecords]);
  return { header, chunkRecords, body };
}

export const hex = { from: fromHex, to: toHex };
