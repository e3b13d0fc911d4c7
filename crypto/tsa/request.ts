import forge from "node-forge";
import {
  algorithm,
  bool,
  children,
  fromDer,
  octets,
  oidOf,
  primitiveBytes,
  seq,
  smallInt,
  toDer,
  type Asn1,
  Asn1Type,
} from "../asn1.ts";
import { uintFromBytes } from "../asn1.ts";
import { CryptoErrorCode, fail } from "../errors.ts";
import { OID } from "../oids.ts";

/** RFC 3161 §2.4.1 TimeStampReq, SHA-256 imprints only. */
export interface TimestampRequest {
  digest: Uint8Array;
  /** Unsigned big-endian nonce bytes, echoed in the token. */
  nonce?: Uint8Array;
  certReq: boolean;
}

export function encodeTimestampRequest(req: TimestampRequest): Uint8Array {
  const fields: Asn1[] = [smallInt(1), seq([algorithm(OID.sha256), octets(req.digest)])];
  if (req.nonce) fields.push(uintFromBytes(req.nonce));
  if (req.certReq) fields.push(bool(true));
  return toDer(seq(fields));
}

export function parseTimestampRequest(der: Uint8Array): TimestampRequest {
  try {
    const f = children(fromDer(der));
    const [alg, hashed] = children(f[1]);
    if (oidOf(children(alg)[0]) !== OID.sha256)
      fail(CryptoErrorCode.UNSUPPORTED_ALGORITHM, "The timestamp request must use a SHA-256 message imprint.");
    const nonceNode = f.find((n, i) => i > 1 && n.type === Asn1Type.INTEGER && n.tagClass === forge.asn1.Class.UNIVERSAL);
    const certReqNode = f.find((n) => n.type === Asn1Type.BOOLEAN);
    const digest = primitiveBytes(hashed);
    if (digest.length !== 32) fail(CryptoErrorCode.BAD_INPUT, "A SHA-256 message imprint is 32 bytes.");
    return {
      digest,
      nonce: nonceNode ? unsigned(primitiveBytes(nonceNode)) : undefined,
      certReq: certReqNode ? primitiveBytes(certReqNode)[0] !== 0 : false,
    };
  } catch (e) {
    if (e instanceof Error && "code" in e) throw e;
    fail(CryptoErrorCode.MALFORMED, `This is not an RFC 3161 timestamp request: ${(e as Error).message}`);
  }
}

/** INTEGER content as unsigned bytes: drop DER's sign-padding zero. */
function unsigned(bytes: Uint8Array): Uint8Array {
  return bytes.length > 1 && bytes[0] === 0 ? bytes.subarray(1) : bytes;
}
