import forge from "node-forge";

/** The roles a certificate can be issued for; written in the subject's OU so relying code can check it. */
export const HOLDER_ROLES = ["bidder", "expert", "supervisor", "agent", "notary", "tenderer", "service"] as const;
export type HolderRole = (typeof HOLDER_ROLES)[number];

export interface SubjectInput {
  commonName: string;
  organization?: string;
  /** 统一社会信用代码 of an organisation, or an ID number of a person, as the CA registered it. */
  serialNumber?: string;
  organizationalUnit?: string;
  country?: string;
}

export function subjectAttributes(s: SubjectInput): forge.pki.CertificateField[] {
  const attrs: forge.pki.CertificateField[] = [{ shortName: "C", value: s.country ?? "CN" }];
  if (s.organization) attrs.push({ shortName: "O", value: s.organization, valueTagClass: forge.asn1.Type.UTF8 as never });
  if (s.organizationalUnit) attrs.push({ shortName: "OU", value: s.organizationalUnit, valueTagClass: forge.asn1.Type.UTF8 as never });
  if (s.serialNumber) attrs.push({ name: "serialNumber", value: s.serialNumber });
  attrs.push({ shortName: "CN", value: s.commonName, valueTagClass: forge.asn1.Type.UTF8 as never });
  return attrs.map(encodeUtf8Value);
}

/** forge writes attribute values as binary strings: UTF-8 encode so Chinese names survive. */
function encodeUtf8Value(a: forge.pki.CertificateField): forge.pki.CertificateField {
  return typeof a.value === "string" ? { ...a, value: forge.util.encodeUtf8(a.value) } : a;
}

export function fieldValue(cert: { subject: forge.pki.Certificate["subject"] }, shortName: string): string | undefined {
  const field = cert.subject.getField(shortName) as { value?: string } | null;
  return field?.value === undefined ? undefined : forge.util.decodeUtf8(field.value);
}

/** A readable one-line distinguished name, e.g. "CN=某某建设有限公司, O=..., C=CN". */
export function describeName(name: forge.pki.Certificate["subject"]): string {
  return name.attributes
    .slice()
    .reverse()
    .map((a) => `${a.shortName ?? a.name}=${decodeValue(a.value)}`)
    .join(", ");
}

function decodeValue(v: unknown): string {
  if (typeof v !== "string") return String(v);
  try {
    return forge.util.decodeUtf8(v);
  } catch {
    return v;
  }
}
