/** Stable error codes: the app maps them to messages; tests assert them. */
export const CryptoErrorCode = {
  MALFORMED: "CRYPTO.MALFORMED",
  TRUNCATED: "CRYPTO.TRUNCATED",
  TAMPERED_CHUNK: "CRYPTO.TAMPERED_CHUNK",
  TAMPERED_MANIFEST: "CRYPTO.TAMPERED_MANIFEST",
  REORDERED: "CRYPTO.REORDERED",
  BAD_SIGNATURE: "CRYPTO.BAD_SIGNATURE",
  WRONG_PASSWORD: "CRYPTO.WRONG_PASSWORD",
  WRONG_CERT: "CRYPTO.WRONG_CERT",
  WRONG_KEY: "CRYPTO.WRONG_KEY",
  CERT_REVOKED: "CRYPTO.CERT_REVOKED",
  CERT_EXPIRED: "CRYPTO.CERT_EXPIRED",
  CERT_NOT_YET_VALID: "CRYPTO.CERT_NOT_YET_VALID",
  CERT_UNTRUSTED: "CRYPTO.CERT_UNTRUSTED",
  CERT_USAGE: "CRYPTO.CERT_USAGE",
  CRL_MISSING: "CRYPTO.CRL_MISSING",
  CRL_INVALID: "CRYPTO.CRL_INVALID",
  BAD_CSR: "CRYPTO.BAD_CSR",
  UNSUPPORTED_ALGORITHM: "CRYPTO.UNSUPPORTED_ALGORITHM",
  TIMESTAMP_MISMATCH: "CRYPTO.TIMESTAMP_MISMATCH",
  SHARE_INVALID: "CRYPTO.SHARE_INVALID",
  NOT_ENOUGH_SHARES: "CRYPTO.NOT_ENOUGH_SHARES",
  ESCROW_MISMATCH: "CRYPTO.ESCROW_MISMATCH",
  AUDIT_BROKEN: "CRYPTO.AUDIT_BROKEN",
  BAD_INPUT: "CRYPTO.BAD_INPUT",
} as const;

export type CryptoErrorCode = (typeof CryptoErrorCode)[keyof typeof CryptoErrorCode];

export class CryptoError extends Error {
  readonly code: CryptoErrorCode;
  readonly details: Record<string, unknown>;

  constructor(code: CryptoErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = "CryptoError";
    this.code = code;
    this.details = details;
  }
}

export function isCryptoError(e: unknown, code?: CryptoErrorCode): e is CryptoError {
  return e instanceof CryptoError && (code === undefined || e.code === code);
}

export function fail(code: CryptoErrorCode, message: string, details?: Record<string, unknown>): never {
  throw new CryptoError(code, message, details);
}
