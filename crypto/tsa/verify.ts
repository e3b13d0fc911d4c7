import { children, fromDer, oidOf, primitiveBytes, timeOf, toDer, Asn1Type, type Asn1 } from "../asn1.ts";
import { bytesEqual, toHex } from "../bytes.ts";
import { verifyCms } from "../cms/verify.ts";
import { CryptoErrorCode, fail } from "../errors.ts";
import { OID } from "../oids.ts";
import type { TrustStore } from "../pki/chain.ts";
import type { Certificate } from "../pki/pem.ts";

export interface VerifyTimestampInput {
  /** A TimeStampToken or a whole TimeStampResp. */
  der: Uint8Array;
  /** The SHA-256 digest the token must cover. */
  digest: Uint8Array;
  trust: TrustStore;
  /** The nonce of the request, when checking a fresh response. */
  nonce?: Uint8Array;
  /** TSA certificates, for tokens issued without certReq. */
  tsaCerts?: readonly Certificate[];
}

export interface VerifiedTimestamp {
  genTime: Date;
  serial: string;
  policy: string;
  tsa: Certificate;
}

/** Verify a token: TSA signature and chain at genTime, then the imprint and nonce. */
export function verifyTimestamp(input: VerifyTimestampInput): VerifiedTimestamp {
  const token = tokenOf(input.der);
  const peek = parseTstInfo(encapsulatedContent(token));
  const cms = verifyCms({
    der: token,
    trust: input.trust,
    at: peek.genTime,
    usage: "timestamping",
    expectedContentType: OID.tstInfo,
    extraCerts: input.tsaCerts,
  });
  const info = parseTstInfo(cms.content);
  if (!bytesEqual(info.digest, input.digest)) {
    fail(
      CryptoErrorCode.TIMESTAMP_MISMATCH,
      `The timestamp covers ${toHex(info.digest)}, not the document's hash ${toHex(input.digest)}.`,
    );
  }
  if (input.nonce && (!info.nonce || !bytesEqual(stripZeros(info.nonce), stripZeros(input.nonce)))) {
    fail(CryptoErrorCode.TIMESTAMP_MISMATCH, "The timestamp response does not answer this request (nonce differs).");
  }
  return { genTime: info.genTime, serial: info.serial, policy: info.policy, tsa: cms.signer };
}

function stripZeros(b: Uint8Array): Uint8Array {
  let i = 0;
  while (i < b.length - 1 && b[i] === 0) i++;
  return b.subarray(i);
}

/** Accept either TimeStampResp (status + token) or the bare token. */
function tokenOf(der: Uint8Array): Uint8Array {
  try {
    const top = children(fromDer(der));
    if (top[0]?.type === Asn1Type.OID) return der;
    const status = primitiveBytes(children(top[0])[0]);
    const code = status[status.length - 1] ?? 2;
    if (code > 1 || !top[1]) fail(CryptoErrorCode.BAD_SIGNATURE, `The TSA refused the request (PKIStatus ${code}).`);
    return toDer(top[1]);
  } catch (e) {
    if (e instanceof Error && "code" in e) throw e;
    fail(CryptoErrorCode.MALFORMED, `This is not an RFC 3161 timestamp: ${(e as Error).message}`);
  }
}

function encapsulatedContent(token: Uint8Array): Uint8Array {
  try {
    const sd = children(children(fromDer(token))[1])[0];
    const encap = children(sd).find((n, i) => i === 2) as Asn1;
    return primitiveBytes(children(children(encap)[1])[0]);
  } catch {
    fail(CryptoErrorCode.MALFORMED, "The timestamp token holds no TSTInfo.");
  }
}

interface TstInfo {
  policy: string;
  digest: Uint8Array;
  serial: string;
  genTime: Date;
  nonce?: Uint8Array;
}

function parseTstInfo(der: Uint8Array): TstInfo {
  const f = children(fromDer(der));
  const imprint = children(f[2]);
  if (oidOf(children(imprint[0])[0]) !== OID.sha256)
    fail(CryptoErrorCode.UNSUPPORTED_ALGORITHM, "Only SHA-256 timestamps are supported.");
  const nonceNode = f.slice(5).find((n) => n.type === Asn1Type.INTEGER && n.tagClass === 0);
  return {
    policy: oidOf(f[1]),
    digest: primitiveBytes(imprint[1]),
    serial: toHex(primitiveBytes(f[3])),
    genTime: timeOf(f[4]),
    nonce: nonceNode ? primitiveBytes(nonceNode) : undefined,
  };
}
