import { fromUtf8, utf8 } from "../bytes.ts";
import { canonicalJson } from "../canonical-json.ts";
import { CryptoErrorCode, fail } from "../errors.ts";
import { MAX_CHUNK_SIZE, MIN_CHUNK_SIZE } from "./format.ts";
import { requireSupportedSuite, type Suite } from "./suite.ts";
import { isHex, isObject, requireInt, requireString } from "./validate.ts";

export type RecipientRole = "bidder" | "escrow";

/** One wrapped copy of the content key (RSA-OAEP-SHA256 to the recipient's public key). */
export interface KeyWrapRecord {
  role: RecipientRole;
  /** SHA-256 of the recipient's DER SubjectPublicKeyInfo, hex. */
  keyId: string;
  /** Serial of the recipient certificate, hex, for people reading the header. */
  certSerial: string;
  wrappedKey: string;
}

export interface EnvelopeHeader {
  format: "MBSEAL";
  version: 1;
  envelopeId: string;
  tenderId: string;
  suite: Suite;
  chunkSize: number;
  recipients: KeyWrapRecord[];
  createdAt: string;
}

export function encodeHeader(header: EnvelopeHeader): Uint8Array {
  return utf8(canonicalJson(header));
}

export function parseHeader(body: Uint8Array): EnvelopeHeader {
  let raw: unknown;
  try {
    raw = JSON.parse(fromUtf8(body));
  } catch {
    fail(CryptoErrorCode.MALFORMED, "The envelope header is not valid UTF-8 JSON.");
  }
  if (!isObject(raw) || raw.format !== "MBSEAL") fail(CryptoErrorCode.MALFORMED, "The envelope header is not an MBSEAL header.");
  if (raw.version !== 1)
    fail(CryptoErrorCode.UNSUPPORTED_ALGORITHM, `Envelope format version ${String(raw.version)} is not supported.`);
  const suite = raw.suite;
  if (!isObject(suite)) fail(CryptoErrorCode.MALFORMED, "The envelope header has no algorithm suite.");
  const header: EnvelopeHeader = {
    format: "MBSEAL",
    version: 1,
    envelopeId: requireString(raw, "envelopeId", "header"),
    tenderId: requireString(raw, "tenderId", "header"),
    suite: {
      content: requireString(suite, "content", "suite"),
      keyWrap: requireString(suite, "keyWrap", "suite"),
      digest: requireString(suite, "digest", "suite"),
      signature: requireString(suite, "signature", "suite"),
    },
    chunkSize: requireInt(raw, "chunkSize", "header"),
    recipients: parseRecipients(raw.recipients),
    createdAt: requireString(raw, "createdAt", "header"),
  };
  requireSupportedSuite(header.suite);
  if (header.chunkSize < MIN_CHUNK_SIZE || header.chunkSize > MAX_CHUNK_SIZE) {
    fail(CryptoErrorCode.MALFORMED, `Chunk size ${header.chunkSize} is outside ${MIN_CHUNK_SIZE}..${MAX_CHUNK_SIZE}.`);
  }
  if (!isHex(header.envelopeId, 32)) fail(CryptoErrorCode.MALFORMED, "The envelope id must be 16 bytes of hex.");
  return header;
}

function parseRecipients(value: unknown): KeyWrapRecord[] {
  if (!Array.isArray(value) || value.length === 0)
    fail(CryptoErrorCode.MALFORMED, "The envelope header lists no key recipients.");
  return value.map((r: unknown) => {
    if (!isObject(r) || (r.role !== "bidder" && r.role !== "escrow"))
      fail(CryptoErrorCode.MALFORMED, "Bad key recipient record.");
    return {
      role: r.role,
      keyId: requireString(r, "keyId", "recipient"),
      certSerial: requireString(r, "certSerial", "recipient"),
      wrappedKey: requireString(r, "wrappedKey", "recipient"),
    };
  });
}
