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
  if (s.organizationalUnit)
    attrs.push({ shortName: "OU", value: s.organizationalUnit, valueTagClass: forge.asn1.Type.UTF8 as never });
  if (s.serialNumber) attrs.push({ name: "serialNumber", value: s.serialNumber });
  attrs.push({ shortName: "CN", value: s.commonName, valueTagClass: forge.asn1.Type.UTF8 as never });
  return attrs;
}

const normalised = new WeakSet<object>();

/**
 * forge parses a UTF8String name value as raw UTF-8 bytes but UTF-8-encodes it again when it
 * re-encodes the name (as issuer of a new certificate, in CMS, in a CRL), which would corrupt
 * every Chinese name. Every parsed certificate or CSR goes through here once, so names in
 * memory are always JavaScript strings.
 */
export function normaliseNames<T extends { subject: forge.pki.Certificate["subject"]; issuer?: forge.pki.Certificate["issuer"] }>(
  obj: T,
): T {
  if (normalised.has(obj)) return obj;
  normalised.add(obj);
  for (const name of [obj.subject, obj.issuer]) {
    for (const a of name?.attributes ?? []) {
      if (a.valueTagClass === (forge.asn1.Type.UTF8 as never) && typeof a.value === "string")
        a.value = forge.util.decodeUtf8(a.value);
    }
  }
  return obj;
}

export function fieldValue(cert: { subject: forge.pki.Certificate["subject"] }, shortName: string): string | undefined {
  const field = cert.subject.getField(shortName) as { value?: string } | null;
  return field?.value;
}

/** A readable one-line distinguished name, e.g. "CN=某某建设有限公司, O=..., C=CN". */
export function describeName(name: forge.pki.Certificate["subject"]): string {
  return name.attributes
    .slice()
    .reverse()
    .map((a) => `${a.shortName ?? a.name}=${String(a.value)}`)
    .join(", ");
}
