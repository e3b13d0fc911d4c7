import forge from "node-forge";
import { children, fromDer, isContext, oidOf, primitiveBytes, set, timeOf, toDer, type Asn1 } from "../asn1.ts";
import { bytesEqual, toBinary } from "../bytes.ts";
import { CryptoErrorCode, fail } from "../errors.ts";
import { sha256 } from "../hash.ts";
import { OID } from "../oids.ts";
import { verifyCertificateChain, type RequiredUsage, type TrustStore } from "../pki/chain.ts";
import { normaliseSerial } from "../pki/crl.ts";
import { certFromDer, type Certificate } from "../pki/pem.ts";

export interface CmsVerifyInput {
  der: Uint8Array;
  /** The signed bytes for a detached signature; omit when the content is encapsulated. */
  detachedContent?: Uint8Array;
  trust: TrustStore;
  /** The time the certificate chain must be valid at: a trusted timestamp's, or now. */
  at: Date;
  usage?: RequiredUsage;
  expectedContentType?: string;
  /** Candidate signer certificates when the signature does not embed them (RFC 3161 tokens). */
  extraCerts?: readonly Certificate[];
}

export interface VerifiedCms {
  signer: Certificate;
  chain: Certificate[];
  signingTime?: Date;
  eContentType: string;
  content: Uint8Array;
}

interface ParsedSignerInfo {
  serial: string;
  digestOid: string;
  attrs: Asn1[];
  signatureOid: string;
  signature: Uint8Array;
}

interface ParsedSignedData {
  eContentType: string;
  eContent?: Uint8Array;
  certificates: Certificate[];
  signerInfo: ParsedSignerInfo;
}

export function verifyCms(input: CmsVerifyInput): VerifiedCms {
  const sd = parseSignedDataOrFail(input.der);
  const content = input.detachedContent ?? sd.eContent;
  if (!content) fail(CryptoErrorCode.BAD_INPUT, "The signature is detached: supply the signed file as well.");
  if (input.expectedContentType && sd.eContentType !== input.expectedContentType) {
    fail(CryptoErrorCode.BAD_SIGNATURE, `The signed content type is ${sd.eContentType}, expected ${input.expectedContentType}.`);
  }
  const si = sd.signerInfo;
  const known = [...sd.certificates, ...(input.trust.intermediates ?? []), ...(input.extraCerts ?? [])];
  const signer = known.find((c) => normaliseSerial(c.serialNumber) === si.serial);
  if (!signer) fail(CryptoErrorCode.BAD_SIGNATURE, "The signature does not include its signer's certificate.");
  checkAttributes(si, sd.eContentType, content, signer);
  checkSignatureValue(si, signer);
  const chain = verifyCertificateChain(signer, withIntermediates(input.trust, sd.certificates), {
    at: input.at,
    usage: input.usage ?? "signing",
  });
  return { signer, chain, signingTime: findSigningTime(si.attrs), eContentType: sd.eContentType, content };
}

function withIntermediates(trust: TrustStore, embedded: Certificate[]): TrustStore {
  return { ...trust, intermediates: [...(trust.intermediates ?? []), ...embedded] };
}

function parseSignedDataOrFail(der: Uint8Array): ParsedSignedData {
  try {
    return parseSignedData(der);
  } catch (e) {
    fail(CryptoErrorCode.MALFORMED, `This is not a CMS SignedData structure: ${(e as Error).message}`);
  }
}

export function parseSignedData(der: Uint8Array): ParsedSignedData {
  const [type, wrapped] = children(fromDer(der));
  if (oidOf(type) !== OID.signedData) throw new TypeError("content type is not signedData");
  const fields = children(children(wrapped)[0]);
  const encap = children(fields[2]);
  const eContentNode = children(encap[1])[0];
  const certNode = fields.find((f) => isContext(f, 0));
  const signerInfos = children(fields[fields.length - 1]);
  if (signerInfos.length !== 1) throw new TypeError("exactly one signer is expected");
  return {
    eContentType: oidOf(encap[0]),
    eContent: eContentNode ? octetStringValue(eContentNode) : undefined,
    certificates: children(certNode).map((c) => certFromDer(toDer(c))),
    signerInfo: parseSignerInfo(signerInfos[0] as Asn1),
  };
}

/** eContent may arrive BER-constructed (chunked OCTET STRING) from other writers. */
function octetStringValue(node: Asn1): Uint8Array {
  if (typeof node.value === "string") return primitiveBytes(node);
  return Uint8Array.from(children(node).flatMap((c) => [...primitiveBytes(c)]));
}

function parseSignerInfo(node: Asn1): ParsedSignerInfo {
  const f = children(node);
  const sid = children(f[1]);
  const attrsNode = f[3];
  if (!isContext(attrsNode, 0)) throw new TypeError("signed attributes are required");
  return {
    serial: normaliseSerial(forge.util.bytesToHex(toBinary(primitiveBytes(sid[1])))),
    digestOid: oidOf(children(f[2])[0]),
    attrs: children(attrsNode),
    signatureOid: oidOf(children(f[4])[0]),
    signature: primitiveBytes(f[5]),
  };
}

function attributeValue(attrs: Asn1[], type: string): Asn1 | undefined {
  const attr = attrs.find((a) => oidOf(children(a)[0]) === type);
  return children(children(attr)[1])[0];
}

function checkAttributes(si: ParsedSignerInfo, eContentType: string, content: Uint8Array, signer: Certificate): void {
  if (si.digestOid !== OID.sha256)
    fail(CryptoErrorCode.UNSUPPORTED_ALGORITHM, `Digest ${si.digestOid} is not supported (SHA-256 only).`);
  const ct = attributeValue(si.attrs, OID.contentType);
  if (!ct || oidOf(ct) !== eContentType)
    fail(CryptoErrorCode.BAD_SIGNATURE, "The signed content-type attribute is missing or wrong.");
  const md = attributeValue(si.attrs, OID.messageDigest);
  if (!md || !bytesEqual(primitiveBytes(md), sha256(content))) {
    fail(CryptoErrorCode.BAD_SIGNATURE, "The signed file was changed after signing (message digest mismatch).");
  }
  const ess = attributeValue(si.attrs, OID.signingCertificateV2);
  if (ess) checkEssCertId(ess, signer);
}

/** ESS signing-certificate-v2 binds the signature to one certificate, not just to its key. */
function checkEssCertId(ess: Asn1, signer: Certificate): void {
  const first = children(children(ess)[0])[0];
  const parts = children(first);
  const hashNode = parts.find((p) => p.type === forge.asn1.Type.OCTETSTRING);
  const certDer = toDer(forge.pki.certificateToAsn1(signer));
  if (!hashNode || !bytesEqual(primitiveBytes(hashNode), sha256(certDer))) {
    fail(CryptoErrorCode.BAD_SIGNATURE, "The signing-certificate attribute names a different certificate.");
  }
}

function checkSignatureValue(si: ParsedSignerInfo, signer: Certificate): void {
  if (si.signatureOid !== OID.rsaEncryption && si.signatureOid !== OID.sha256WithRSAEncryption) {
    fail(CryptoErrorCode.UNSUPPORTED_ALGORITHM, `Signature algorithm ${si.signatureOid} is not supported.`);
  }
  const digest = toBinary(sha256(toDer(set(si.attrs))));
  let ok = false;
  try {
    ok = (signer.publicKey as forge.pki.rsa.PublicKey).verify(digest, toBinary(si.signature));
  } catch {
    ok = false;
  }
  if (!ok) fail(CryptoErrorCode.BAD_SIGNATURE, "The signature value does not verify with the signer's certificate.");
}

function findSigningTime(attrs: Asn1[]): Date | undefined {
  const node = attributeValue(attrs, OID.signingTime);
  return node ? timeOf(node) : undefined;
}
