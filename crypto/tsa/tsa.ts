import { algorithm, fromDer, generalizedTimeMs, octets, oid, seq, smallInt, toDer, uintFromBytes, type Asn1 } from "../asn1.ts";
import { fromHex, randomBytes } from "../bytes.ts";
import { signCms, type Signer } from "../cms/signed-data.ts";
import { CryptoErrorCode, fail } from "../errors.ts";
import { OID } from "../oids.ts";
import { newSerial } from "../pki/ca.ts";
import type { TimestampRequest } from "./request.ts";

export interface TimestampAuthority {
  signer: Signer;
  policy?: string;
}

export interface IssuedTimestamp {
  /** The TimeStampToken (CMS ContentInfo): what the platform stores beside the receipt. */
  token: Uint8Array;
  /** The TimeStampResp wrapping it: what `openssl ts -verify -in` reads. */
  response: Uint8Array;
  serial: string;
  genTime: Date;
}

/**
 * Issue an RFC 3161 token over a SHA-256 digest. The clock is passed in: the platform's TSA
 * service reads it from its own NTP-disciplined source, and tests fix it.
 */
export function issueTimestamp(tsa: TimestampAuthority, req: TimestampRequest, now: Date): IssuedTimestamp {
  const eku = tsa.signer.cert.getExtension("extKeyUsage") as { timeStamping?: boolean; critical?: boolean } | null;
  if (!eku?.timeStamping)
    fail(CryptoErrorCode.CERT_USAGE, "The TSA certificate must carry the critical timeStamping extended key usage.");
  const serial = newSerial();
  const tstInfo = seq(tstInfoFields(tsa, req, now, serial));
  const token = signCms({
    content: toDer(tstInfo),
    eContentType: OID.tstInfo,
    detached: false,
    signer: tsa.signer,
    signingTime: now,
    includeCerts: req.certReq,
  });
  const status = seq([smallInt(0)]);
  const response = toDer(seq([status, fromDer(token)]));
  return { token, response, serial, genTime: now };
}

function tstInfoFields(tsa: TimestampAuthority, req: TimestampRequest, now: Date, serial: string): Asn1[] {
  const fields: Asn1[] = [
    smallInt(1),
    oid(tsa.policy ?? OID.tsaPolicy),
    seq([algorithm(OID.sha256), octets(req.digest)]),
    uintFromBytes(fromHex(serial)),
    generalizedTimeMs(now),
    seq([smallInt(1)]),
  ];
  if (req.nonce) fields.push(uintFromBytes(req.nonce));
  return fields;
}

export function timestampRequestFor(digest: Uint8Array, certReq = true): TimestampRequest {
  return { digest, nonce: randomBytes(8), certReq };
}
