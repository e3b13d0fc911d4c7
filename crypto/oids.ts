/** Object identifiers used across the PKI, CMS and TSA code. */
export const OID = {
  rsaEncryption: "1.2.840.113549.1.1.1",
  sha256WithRSAEncryption: "1.2.840.113549.1.1.11",
  sha256: "2.16.840.1.101.3.4.2.1",
  data: "1.2.840.113549.1.7.1",
  signedData: "1.2.840.113549.1.7.2",
  tstInfo: "1.2.840.113549.1.9.16.1.4",
  contentType: "1.2.840.113549.1.9.3",
  messageDigest: "1.2.840.113549.1.9.4",
  signingTime: "1.2.840.113549.1.9.5",
  signingCertificateV2: "1.2.840.113549.1.9.16.2.47",
  // RFC 3161 appendix A: an unsigned attribute holding a timestamp token over the signature value.
  signatureTimeStampToken: "1.2.840.113549.1.9.16.2.14",
  authorityKeyIdentifier: "2.5.29.35",
  cRLNumber: "2.5.29.20",
  cRLReason: "2.5.29.21",
  ekuTimeStamping: "1.3.6.1.5.5.7.3.8",
  ekuClientAuth: "1.3.6.1.5.5.7.3.2",
  ekuEmailProtection: "1.3.6.1.5.5.7.3.4",
  ekuCodeSigning: "1.3.6.1.5.5.7.3.3",
  /** MingBiao private arc for its TSA policy (a deployment registers its own). */
  tsaPolicy: "1.3.6.1.4.1.59999.1.1",
} as const;
