import forge from "node-forge";
import {
  algorithm,
  explicit,
  implicitConstructed,
  nameOf,
  octets,
  oid,
  seq,
  serialInteger,
  set,
  smallInt,
  time,
  toDer,
  type Asn1,
} from "../asn1.ts";
import { fromBinary, toBinary } from "../bytes.ts";
import { sha256 } from "../hash.ts";
import { OID } from "../oids.ts";
import type { PrivateKey } from "../pki/keys.ts";
import { certToDer, type Certificate } from "../pki/pem.ts";

export interface Signer {
  cert: Certificate;
  key: PrivateKey;
  /** Issuer certificates to embed, so a verifier needs only the root. */
  chain?: readonly Certificate[];
  /**
   * RSASSA-PKCS1-v1_5 with SHA-256 over `data`, done elsewhere: node:crypto on the server (about
   * 70× faster than forge's JavaScript) or an HSM. Must produce what rsaSha256Sign(key) would.
   */
  sign?: (data: Uint8Array) => Uint8Array;
}

export interface CmsSignInput {
  content: Uint8Array;
  signer: Signer;
  signingTime: Date;
  /** Defaults to id-data; the TSA uses id-ct-TSTInfo. */
  eContentType?: string;
  /** Detached (the default) leaves the content out: the manifest travels beside its signature. */
  detached?: boolean;
  /** Embed the signer's certificate and chain (default true; RFC 3161 omits them unless asked). */
  includeCerts?: boolean;
  /**
   * Unsigned attributes made from the signature value, e.g. an RFC 3161 signature timestamp
   * (id-aa-signatureTimeStampToken, RFC 3161 appendix A) for a PAdES B-T PDF signature.
   */
  unsignedAttributes?: (signature: Uint8Array) => readonly { type: string; valueDer: Uint8Array }[];
}

/**
 * RFC 5652 SignedData, built by hand: node-forge's PKCS#7 writer cannot add the ESS
 * signing-certificate-v2 attribute that RFC 3161 and OpenSSL's `ts -verify` require,
 * nor set a non-data eContentType, and the platform wants one writer for both uses.
 */
export function signCms(input: CmsSignInput): Uint8Array {
  const eContentType = input.eContentType ?? OID.data;
  const attrs = signedAttributes(input, eContentType);
  const signedBytes = toDer(set(attrs));
  const signature = input.signer.sign ? input.signer.sign(signedBytes) : rsaSha256Sign(input.signer.key, signedBytes);
  const signerInfo = seq([
    smallInt(1),
    seq([nameOf(input.signer.cert, "issuer"), serialInteger(input.signer.cert)]),
    algorithm(OID.sha256, false),
    implicitConstructed(0, attrs),
    algorithm(OID.rsaEncryption),
    octets(signature),
    ...unsignedAttributes(input, signature),
  ]);
  const encap =
    input.detached === false ? seq([oid(eContentType), explicit(0, octets(input.content))]) : seq([oid(eContentType)]);
  const certs = [input.signer.cert, ...(input.signer.chain ?? [])].map(certAsn1);
  const signedData = seq([
    smallInt(eContentType === OID.data ? 1 : 3),
    set([algorithm(OID.sha256, false)]),
    encap,
    ...(input.includeCerts === false ? [] : [implicitConstructed(0, certs)]),
    set([signerInfo]),
  ]);
  return toDer(seq([oid(OID.signedData), explicit(0, signedData)]));
}

function unsignedAttributes(input: CmsSignInput, signature: Uint8Array): Asn1[] {
  const attrs = input.unsignedAttributes?.(signature) ?? [];
  if (attrs.length === 0) return [];
  return [
    implicitConstructed(
      1,
      sortDer(attrs.map((a) => attribute(a.type, forge.asn1.fromDer(forge.util.createBuffer(toBinary(a.valueDer)))))),
    ),
  ];
}

function certAsn1(cert: Certificate): Asn1 {
  return forge.asn1.fromDer(forge.util.createBuffer(toBinary(certToDer(cert))));
}

function attribute(type: string, value: Asn1): Asn1 {
  return seq([oid(type), set([value])]);
}

function signedAttributes(input: CmsSignInput, eContentType: string): Asn1[] {
  const essCertIdV2 = seq([octets(sha256(certToDer(input.signer.cert)))]);
  const attrs = [
    attribute(OID.contentType, oid(eContentType)),
    attribute(OID.signingTime, time(input.signingTime)),
    attribute(OID.messageDigest, octets(sha256(input.content))),
    attribute(OID.signingCertificateV2, seq([seq([essCertIdV2])])),
  ];
  return sortDer(attrs);
}

/** DER orders SET OF by encoding; verifiers re-encode the attributes before checking. */
function sortDer(items: Asn1[]): Asn1[] {
  const encoded = items.map((node) => ({ node, der: toBinary(toDer(node)) }));
  encoded.sort((a, b) => (a.der < b.der ? -1 : a.der > b.der ? 1 : 0));
  return encoded.map((e) => e.node);
}

export function rsaSha256Sign(key: PrivateKey, data: Uint8Array): Uint8Array {
  const md = forge.md.sha256.create();
  md.update(toBinary(data));
  return fromBinary(key.sign(md));
}
