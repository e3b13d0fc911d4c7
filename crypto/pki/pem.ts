import forge from "node-forge";
import { fromBinary, toBinary } from "../bytes.ts";
import { normaliseNames } from "./names.ts";

export type Certificate = forge.pki.Certificate;

export function certToPem(cert: Certificate): string {
  return forge.pki.certificateToPem(cert);
}

export function certFromPem(pem: string): Certificate {
  return normaliseNames(forge.pki.certificateFromPem(pem));
}

export function certToDer(cert: Certificate): Uint8Array {
  return fromBinary(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes());
}

export function certFromDer(der: Uint8Array): Certificate {
  return normaliseNames(forge.pki.certificateFromAsn1(forge.asn1.fromDer(forge.util.createBuffer(toBinary(der)))));
}

export function pemEncode(type: string, der: Uint8Array): string {
  return forge.pem.encode({ type, body: toBinary(der) });
}

export function pemDecode(pem: string, type: string): Uint8Array {
  const block = forge.pem.decode(pem).find((m) => m.type === type);
  if (!block) throw new TypeError(`no PEM block of type ${type}`);
  return fromBinary(block.body);
}

/** Split a PEM bundle into its certificates (chain files, CA bundles). */
export function certsFromPemBundle(pem: string): Certificate[] {
  return forge.pem
    .decode(pem)
    .filter((m) => m.type === "CERTIFICATE")
    .map((m) => certFromDer(fromBinary(m.body)));
}
