import forge from "node-forge";
import { fromBinary, toBinary } from "./bytes.ts";

/** Thin helpers over forge.asn1 so that CMS, TSA and CRL builders read like their ASN.1 modules. */
export type Asn1 = forge.asn1.Asn1;
const { Class, Type } = forge.asn1;

export const seq = (items: Asn1[]): Asn1 => forge.asn1.create(Class.UNIVERSAL, Type.SEQUENCE, true, items);
export const set = (items: Asn1[]): Asn1 => forge.asn1.create(Class.UNIVERSAL, Type.SET, true, items);
export const oid = (dotted: string): Asn1 =>
  forge.asn1.create(Class.UNIVERSAL, Type.OID, false, forge.asn1.oidToDer(dotted).getBytes());
export const octets = (bytes: Uint8Array): Asn1 => forge.asn1.create(Class.UNIVERSAL, Type.OCTETSTRING, false, toBinary(bytes));
export const nullValue = (): Asn1 => forge.asn1.create(Class.UNIVERSAL, Type.NULL, false, "");
export const bool = (v: boolean): Asn1 => forge.asn1.create(Class.UNIVERSAL, Type.BOOLEAN, false, v ? "\xff" : "\x00");
export const bitString = (bytes: Uint8Array): Asn1 =>
  forge.asn1.create(Class.UNIVERSAL, Type.BITSTRING, false, "\x00" + toBinary(bytes));
export const explicit = (tag: number, inner: Asn1): Asn1 => forge.asn1.create(Class.CONTEXT_SPECIFIC, tag, true, [inner]);
export const implicitConstructed = (tag: number, items: Asn1[]): Asn1 =>
  forge.asn1.create(Class.CONTEXT_SPECIFIC, tag, true, items);
export const implicitPrimitive = (tag: number, bytes: Uint8Array): Asn1 =>
  forge.asn1.create(Class.CONTEXT_SPECIFIC, tag, false, toBinary(bytes));
export const utcTime = (d: Date): Asn1 => forge.asn1.create(Class.UNIVERSAL, Type.UTCTIME, false, forge.asn1.dateToUtcTime(d));
export const enumerated = (n: number): Asn1 => forge.asn1.create(Class.UNIVERSAL, Type.ENUMERATED, false, String.fromCharCode(n));

/** RFC 5280: UTCTime through 2049, GeneralizedTime from 2050. */
export const time = (d: Date): Asn1 =>
  d.getUTCFullYear() < 2050
    ? utcTime(d)
    : forge.asn1.create(Class.UNIVERSAL, Type.GENERALIZEDTIME, false, forge.asn1.dateToGeneralizedTime(d));

/** GeneralizedTime with milliseconds, as RFC 3161 genTime allows (no trailing zeros). */
export function generalizedTimeMs(d: Date): Asn1 {
  const iso = d.toISOString();
  const base = iso.slice(0, 19).replace(/[-:T]/g, "");
  const ms = iso.slice(20, 23).replace(/0+$/, "");
  return forge.asn1.create(Class.UNIVERSAL, Type.GENERALIZEDTIME, false, `${base}${ms ? `.${ms}` : ""}Z`);
}

/** INTEGER from unsigned big-endian bytes: a leading 0x00 keeps it positive, as DER requires. */
export function uintFromBytes(bytes: Uint8Array): Asn1 {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  const trimmed = bytes.subarray(start);
  const body = (trimmed[0] ?? 0) & 0x80 ? new Uint8Array([0, ...trimmed]) : trimmed;
  return forge.asn1.create(Class.UNIVERSAL, Type.INTEGER, false, toBinary(body.length ? body : new Uint8Array([0])));
}

export const smallInt = (n: number): Asn1 =>
  forge.asn1.create(Class.UNIVERSAL, Type.INTEGER, false, forge.asn1.integerToDer(n).getBytes());

export function toDer(node: Asn1): Uint8Array {
  return fromBinary(forge.asn1.toDer(node).getBytes());
}

export function fromDer(der: Uint8Array): Asn1 {
  return forge.asn1.fromDer(forge.util.createBuffer(toBinary(der)), { strict: true, decodeBitStrings: false } as never);
}

export function children(node: Asn1 | undefined): Asn1[] {
  return node && Array.isArray(node.value) ? (node.value as Asn1[]) : [];
}

export function primitiveBytes(node: Asn1 | undefined): Uint8Array {
  if (!node || typeof node.value !== "string") throw new TypeError("expected a primitive ASN.1 value");
  return fromBinary(node.value);
}

export function oidOf(node: Asn1 | undefined): string {
  if (!node || node.type !== Type.OID || typeof node.value !== "string") throw new TypeError("expected an OID");
  return forge.asn1.derToOid(forge.util.createBuffer(node.value));
}

export function timeOf(node: Asn1 | undefined): Date {
  if (!node || typeof node.value !== "string") throw new TypeError("expected a time");
  if (node.type === Type.UTCTIME) return forge.asn1.utcTimeToDate(node.value);
  if (node.type === Type.GENERALIZEDTIME) return forge.asn1.generalizedTimeToDate(node.value);
  throw new TypeError("expected UTCTime or GeneralizedTime");
}

export function isContext(node: Asn1 | undefined, tag: number): boolean {
  return !!node && node.tagClass === Class.CONTEXT_SPECIFIC && node.type === tag;
}

export function isUniversal(node: Asn1 | undefined, type: number): boolean {
  return !!node && node.tagClass === Class.UNIVERSAL && node.type === type;
}

export function nameOf(cert: forge.pki.Certificate, which: "subject" | "issuer"): Asn1 {
  return forge.pki.distinguishedNameToAsn1(cert[which]);
}

export function algorithm(dotted: string, withNull = true): Asn1 {
  return seq(withNull ? [oid(dotted), nullValue()] : [oid(dotted)]);
}

export function serialInteger(cert: forge.pki.Certificate): Asn1 {
  return forge.asn1.create(Class.UNIVERSAL, Type.INTEGER, false, forge.util.hexToBytes(cert.serialNumber));
}

export { Class as Asn1Class, Type as Asn1Type };
