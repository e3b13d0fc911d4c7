import {
  canonicalJson,
  issueTimestamp,
  sha256,
  signCms,
  timestampRequestFor,
  toBase64,
  utf8,
} from "../../../crypto/index.node.ts";
import { platformPki } from "../pki/index.ts";

export interface ReceiptInput {
  tender: { id: string; code: string; title: string };
  bidder: { id: string; name: string; creditCode: string };
  bidId: string;
  version: number;
  envelopeSha256: string;
  envelopeId: string;
  manifestDigest: string;
  sizeBytes: number;
  receivedAt: Date;
}

/** The statement the platform signs: what arrived, from whom, for which tender, when. */
export interface ReceiptStatement {
  format: "MINGBIAO-BID-RECEIPT";
  version: 1;
  tender: { id: string; code: string; title: string };
  bidder: { organizationId: string; name: string; creditCode: string };
  bidId: string;
  bidVersion: number;
  envelope: { id: string; sha256: string; manifestSha256: string; sizeBytes: number };
  receivedAt: string;
}

export interface SignedReceipt {
  /** Stored with the bid version and given to the bidder. */
  json: { statement: ReceiptStatement; signature: string; timestampToken: string };
  timestampToken: Uint8Array;
}

/**
 * The bidder's receipt (E-Measures Arts 26-28): the canonical statement, the platform's detached
 * CMS signature over it, and an RFC 3161 token from the platform TSA over its SHA-256, so the
 * time of arrival can be proven to anyone with the platform root certificate and OpenSSL.
 */
export async function issueReceipt(input: ReceiptInput): Promise<SignedReceipt> {
  const statement: ReceiptStatement = {
    format: "MINGBIAO-BID-RECEIPT",
    version: 1,
    tender: { id: input.tender.id, code: input.tender.code, title: input.tender.title },
    bidder: { organizationId: input.bidder.id, name: input.bidder.name, creditCode: input.bidder.creditCode },
    bidId: input.bidId,
    bidVersion: input.version,
    envelope: {
      id: input.envelopeId,
      sha256: input.envelopeSha256,
      manifestSha256: input.manifestDigest,
      sizeBytes: input.sizeBytes,
    },
    receivedAt: input.receivedAt.toISOString(),
  };
  const bytes = receiptBytes(statement);
  const pki = await platformPki();
  const signature = signCms({ content: bytes, signer: pki.signer, signingTime: input.receivedAt, detached: true });
  const stamp = issueTimestamp({ signer: pki.tsa }, timestampRequestFor(sha256(bytes)), input.receivedAt);
  return {
    json: { statement, signature: toBase64(signature), timestampToken: toBase64(stamp.token) },
    timestampToken: stamp.token,
  };
}

/** The exact bytes that are signed and timestamped. */
export function receiptBytes(statement: ReceiptStatement): Uint8Array {
  return utf8(canonicalJson(statement));
}
