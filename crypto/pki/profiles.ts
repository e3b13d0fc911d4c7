/**
 * Certificate profiles. A holder gets a signing and an encryption certificate (双证书):
 * the signing key never decrypts and the encryption key never signs, so escrow or
 * recovery of an encryption key can never be used to forge a signature.
 */
export type CertProfile = "root-ca" | "issuing-ca" | "signing" | "encryption" | "tsa";

type Extension = Record<string, unknown>;

export function profileExtensions(profile: CertProfile): Extension[] {
  switch (profile) {
    case "root-ca":
      return [
        { name: "basicConstraints", cA: true, critical: true },
        { name: "keyUsage", keyCertSign: true, cRLSign: true, critical: true },
      ];
    case "issuing-ca":
      return [
        { name: "basicConstraints", cA: true, pathLenConstraint: 0, critical: true },
        { name: "keyUsage", keyCertSign: true, cRLSign: true, critical: true },
      ];
    case "signing":
      return [
        { name: "basicConstraints", cA: false, critical: true },
        { name: "keyUsage", digitalSignature: true, nonRepudiation: true, critical: true },
        { name: "extKeyUsage", emailProtection: true, clientAuth: true },
      ];
    case "encryption":
      return [
        { name: "basicConstraints", cA: false, critical: true },
        { name: "keyUsage", keyEncipherment: true, dataEncipherment: true, critical: true },
        { name: "extKeyUsage", emailProtection: true },
      ];
    case "tsa":
      return [
        { name: "basicConstraints", cA: false, critical: true },
        { name: "keyUsage", digitalSignature: true, nonRepudiation: true, critical: true },
        // RFC 3161 §2.3: the TSA certificate has exactly this one EKU, marked critical.
        { name: "extKeyUsage", timeStamping: true, critical: true },
      ];
  }
}
