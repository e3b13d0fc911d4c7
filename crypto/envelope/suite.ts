import { CryptoErrorCode, fail } from "../errors.ts";

/**
 * Algorithm identifiers are part of the format. v1 defines one suite; the 国密 suite
 * (SM4-GCM content, SM2 key wrap, SM3 digest, SM2-with-SM3 CMS signatures, GM/T 0010) uses
 * the same records and layout with these names, so adding it needs no new format version.
 */
export interface Suite {
  content: string;
  keyWrap: string;
  digest: string;
  signature: string;
}

export const SUITE_RSA_AES: Suite = {
  content: "AES-256-GCM",
  keyWrap: "RSA-OAEP-SHA256",
  digest: "SHA-256",
  signature: "CMS-RSA-PKCS1-SHA256",
};

/** Reserved, not implemented: readers must refuse it with UNSUPPORTED_ALGORITHM until they do. */
export const SUITE_GM_RESERVED: Suite = {
  content: "SM4-GCM",
  keyWrap: "SM2-ENC",
  digest: "SM3",
  signature: "CMS-SM2-SM3",
};

export function requireSupportedSuite(suite: Suite): void {
  const supported =
    suite.content === SUITE_RSA_AES.content &&
    suite.keyWrap === SUITE_RSA_AES.keyWrap &&
    suite.digest === SUITE_RSA_AES.digest &&
    suite.signature === SUITE_RSA_AES.signature;
  if (!supported) {
    fail(
      CryptoErrorCode.UNSUPPORTED_ALGORITHM,
      `This envelope uses algorithms ${suite.content}/${suite.keyWrap}/${suite.digest}/${suite.signature}, which this version cannot open.`,
    );
  }
}
