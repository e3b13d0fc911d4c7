import { createCipheriv, createDecipheriv } from "node:crypto";
import { CryptoErrorCode, fail } from "../errors.ts";
import type { ContentCipherFactory } from "./cipher.ts";
import { CONTENT_KEY_LENGTH, TAG_LENGTH } from "./format.ts";

/** node:crypto AES-256-GCM: synchronous OpenSSL calls, no copy into WebCrypto's job queue. */
export const nodeCipher: ContentCipherFactory = async (rawKey) => {
  if (rawKey.length !== CONTENT_KEY_LENGTH) throw new RangeError("AES-256 needs a 32-byte key");
  const key = Buffer.from(rawKey);
  return {
    async seal(nonce, aad, plaintext) {
      const c = createCipheriv("aes-256-gcm", key, nonce, { authTagLength: TAG_LENGTH });
      c.setAAD(aad);
      const out = Buffer.allocUnsafe(plaintext.length + TAG_LENGTH);
      const body = c.update(plaintext);
      body.copy(out, 0);
      c.final();
      c.getAuthTag().copy(out, plaintext.length);
      return out;
    },
    async open(nonce, aad, sealed, where) {
      if (sealed.length < TAG_LENGTH) fail(CryptoErrorCode.TAMPERED_CHUNK, `${where} is shorter than its tag.`);
      const d = createDecipheriv("aes-256-gcm", key, nonce, { authTagLength: TAG_LENGTH });
      d.setAAD(aad);
      d.setAuthTag(sealed.subarray(sealed.length - TAG_LENGTH));
      const plain = d.update(sealed.subarray(0, sealed.length - TAG_LENGTH));
      try {
        d.final();
      } catch {
        fail(CryptoErrorCode.TAMPERED_CHUNK, `${where} fails its integrity check: the envelope was altered, reordered or spliced.`);
      }
      return plain;
    },
  };
};
