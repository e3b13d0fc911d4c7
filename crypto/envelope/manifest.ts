import { fromUtf8, utf8 } from "../bytes.ts";
import { canonicalJson } from "../canonical-json.ts";
import { CryptoErrorCode, fail } from "../errors.ts";
import { MAX_FILES } from "./format.ts";
import type { Suite } from "./suite.ts";
import { isObject, requireInt, requireString } from "./validate.ts";

export interface ManifestFile {
  index: number;
  name: string;
  /** Plaintext size in bytes. */
  size: number;
  chunks: number;
  /** SHA-256 over the concatenated SHA-256 digests of the file's chunk ciphertexts (ciphertext‖tag), hex. */
  ciphertextDigest: string;
}

/** What the bidder signs: everything needed to prove, without the key, what was sealed. */
export interface EnvelopeManifest {
  format: "MBSEAL-MANIFEST";
  version: 1;
  envelopeId: string;
  tenderId: string;
  headerDigest: string;
  suite: Suite;
  bidder: { subject: string; signingCertDigest: string };
  files: ManifestFile[];
  sealedAt: string;
}

export function encodeManifest(m: EnvelopeManifest): Uint8Array {
  return utf8(canonicalJson(m));
}

export function parseManifest(body: Uint8Array): EnvelopeManifest {
  let raw: unknown;
  try {
    raw = JSON.parse(fromUtf8(body));
  } catch {
    fail(CryptoErrorCode.TAMPERED_MANIFEST, "The manifest is not valid UTF-8 JSON.");
  }
  if (!isObject(raw) || raw.format !== "MBSEAL-MANIFEST" || raw.version !== 1) {
    fail(CryptoErrorCode.TAMPERED_MANIFEST, "The manifest is not an MBSEAL v1 manifest.");
  }
  const bidder = raw.bidder;
  const suite = raw.suite;
  if (!isObject(bidder) || !isObject(suite) || !Array.isArray(raw.files))
    fail(CryptoErrorCode.TAMPERED_MANIFEST, "The manifest is incomplete.");
  if (raw.files.length > MAX_FILES) fail(CryptoErrorCode.MALFORMED, `An envelope holds at most ${MAX_FILES} files.`);
  return {
    format: "MBSEAL-MANIFEST",
    version: 1,
    envelopeId: requireString(raw, "envelopeId", "manifest"),
    tenderId: requireString(raw, "tenderId", "manifest"),
    headerDigest: requireString(raw, "headerDigest", "manifest"),
    suite: {
      content: requireString(suite, "content", "suite"),
      keyWrap: requireString(suite, "keyWrap", "suite"),
      digest: requireString(suite, "digest", "suite"),
      signature: requireString(suite, "signature", "suite"),
    },
    bidder: {
      subject: requireString(bidder, "subject", "bidder"),
      signingCertDigest: requireString(bidder, "signingCertDigest", "bidder"),
    },
    files: raw.files.map(parseFile),
    sealedAt: requireString(raw, "sealedAt", "manifest"),
  };
}

function parseFile(f: unknown): ManifestFile {
  if (!isObject(f)) fail(CryptoErrorCode.TAMPERED_MANIFEST, "A manifest file entry is not an object.");
  return {
    index: requireInt(f, "index", "file"),
    name: requireString(f, "name", "file"),
    size: requireInt(f, "size", "file"),
    chunks: requireInt(f, "chunks", "file"),
    ciphertextDigest: requireString(f, "ciphertextDigest", "file"),
  };
}
