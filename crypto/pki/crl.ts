import forge from "node-forge";
import {
  algorithm,
  children,
  enumerated,
  explicit,
  fromDer,
  implicitPrimitive,
  isUniversal,
  nameOf,
  oid,
  oidOf,
  octets,
  primitiveBytes,
  seq,
  smallInt,
  time,
  timeOf,
  toDer,
  uintFromBytes,
  bitString,
  type Asn1,
  Asn1Type,
} from "../asn1.ts";
import { bytesEqual, fromBinary, fromHex, toBinary, toHex } from "../bytes.ts";
import { CryptoErrorCode, fail } from "../errors.ts";
import { sha256 } from "../hash.ts";
import { OID } from "../oids.ts";
import type { CaIdentity } from "./ca.ts";
import type { Certificate } from "./pem.ts";

/** RFC 5280 §5.3.1 reason codes used by the platform. */
export const RevocationReason = {
  unspecified: 0,
  keyCompromise: 1,
  affiliationChanged: 3,
  superseded: 4,
  cessationOfOperation: 5,
} as const;
export type RevocationReasonName = keyof typeof RevocationReason;

export interface RevokedEntry {
  serial: string;
  revokedAt: Date;
  reason?: RevocationReasonName;
}

export interface CrlInput {
  crlNumber: number;
  thisUpdate: Date;
  nextUpdate: Date;
  revoked: readonly RevokedEntry[];
}

export interface ParsedCrl {
  der: Uint8Array;
  issuerDer: Uint8Array;
  thisUpdate: Date;
  nextUpdate?: Date;
  revoked: Map<string, { revokedAt: Date }>;
  tbsDer: Uint8Array;
  signature: Uint8Array;
  signatureOid: string;
}

function extension(id: string, value: Asn1): Asn1 {
  return seq([oid(id), octets(toDer(value))]);
}

function revokedEntry(e: RevokedEntry): Asn1 {
  const fields = [uintFromBytes(fromHex(e.serial)), time(e.revokedAt)];
  if (e.reason) fields.push(seq([extension(OID.cRLReason, enumerated(RevocationReason[e.reason]))]));
  return seq(fields);
}

/** node-forge cannot write CRLs, so the v2 CertificateList is assembled here (RFC 5280 §5.1). */
export function createCrl(ca: CaIdentity, input: CrlInput): Uint8Array {
  const ski = ca.cert.getExtension("subjectKeyIdentifier") as { subjectKeyIdentifier?: string } | null;
  const crlExtensions = [extension(OID.cRLNumber, smallInt(input.crlNumber))];
  if (ski?.subjectKeyIdentifier) {
    const aki = seq([implicitPrimitive(0, fromHex(ski.subjectKeyIdentifier))]);
    crlExtensions.unshift(extension(OID.authorityKeyIdentifier, aki));
  }
  const tbsFields = [
    smallInt(1),
    algorithm(OID.sha256WithRSAEncryption),
    nameOf(ca.cert, "subject"),
    time(input.thisUpdate),
    time(input.nextUpdate),
  ];
  if (input.revoked.length > 0) tbsFields.push(seq(input.revoked.map(revokedEntry)));
  tbsFields.push(explicit(0, seq(crlExtensions)));
  const tbs = seq(tbsFields);
  const md = forge.md.sha256.create();
  md.update(toBinary(toDer(tbs)));
  const signature = fromBinary(ca.key.sign(md));
  return toDer(seq([tbs, algorithm(OID.sha256WithRSAEncryption), bitString(signature)]));
}

export function parseCrl(der: Uint8Array): ParsedCrl {
  try {
    return parseCrlUnchecked(der);
  } catch (e) {
    fail(CryptoErrorCode.CRL_INVALID, `The CRL cannot be parsed: ${(e as Error).message}`);
  }
}

function parseCrlUnchecked(der: Uint8Array): ParsedCrl {
  const [tbs, sigAlg, sigValue] = children(fromDer(der));
  const fields = children(tbs);
  let i = fields[0]?.type === Asn1Type.INTEGER ? 1 : 0;
  i++; // inner signature algorithm, must equal the outer one
  const issuerDer = toDer(fields[i++] as Asn1);
  const thisUpdate = timeOf(fields[i++]);
  let nextUpdate: Date | undefined;
  const maybeNext = fields[i];
  if (isUniversal(maybeNext, Asn1Type.UTCTIME) || isUniversal(maybeNext, Asn1Type.GENERALIZEDTIME)) {
    nextUpdate = timeOf(maybeNext);
    i++;
  }
  const revoked = new Map<string, { revokedAt: Date }>();
  const maybeList = fields[i];
  if (isUniversal(maybeList, Asn1Type.SEQUENCE)) {
    for (const entry of children(maybeList)) {
      const [serial, when] = children(entry);
      revoked.set(normaliseSerial(toHex(primitiveBytes(serial))), { revokedAt: timeOf(when) });
    }
  }
  const sigBits = primitiveBytes(sigValue);
  return {
    der,
    issuerDer,
    thisUpdate,
    nextUpdate,
    revoked,
    tbsDer: toDer(tbs as Asn1),
    signature: sigBits.subarray(1),
    signatureOid: oidOf(children(sigAlg)[0]),
  };
}

/** Serial numbers compare as integers: drop DER's positive-padding zeros and case. */
export function normaliseSerial(hex: string): string {
  return hex.toLowerCase().replace(/^(00)+(?=.)/, "");
}

export function crlIssuedBy(crl: ParsedCrl, issuer: Certificate): boolean {
  return bytesEqual(crl.issuerDer, toDer(nameOf(issuer, "subject"))) && verifyCrlSignature(crl, issuer);
}

function verifyCrlSignature(crl: ParsedCrl, issuer: Certificate): boolean {
  if (crl.signatureOid !== OID.sha256WithRSAEncryption) return false;
  const digest = toBinary(sha256(crl.tbsDer));
  try {
    return (issuer.publicKey as forge.pki.rsa.PublicKey).verify(digest, toBinary(crl.signature));
  } catch {
    return false;
  }
}

export function crlToPem(der: Uint8Array): string {
  return forge.pem.encode({ type: "X509 CRL", body: toBinary(der) });
}
