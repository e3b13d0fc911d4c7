import { CryptoErrorCode, fail } from "../errors.ts";
import { CONTENT_KEY_LENGTH } from "./format.ts";

/** A chunk's output with the SHA-256 of its sealed form (ciphertext‖tag), computed alongside. */
export interface DigestedChunk {
  bytes: Uint8Array;
  digest: Uint8Array;
}

/**
 * AES-256-GCM over one chunk; `seal` returns ciphertext‖tag (16-byte tag), as WebCrypto does.
 * The input may be handed over (a thread pool moves whole buffers): callers do not reuse it.
 */
export interface ContentCipher {
  seal(nonce: Uint8Array, aad: Uint8Array, plaintext: Uint8Array): Promise<Uint8Array>;
  /** Throws CRYPTO.TAMPERED_CHUNK when the tag does not verify. */
  open(nonce: Uint8Array, aad: Uint8Array, sealed: Uint8Array, where: string): Promise<Uint8Array>;
  /**
   * Optional: seal/open that also return the chunk digest the manifest needs (SHA-256 of
   * ciphertext‖tag), so a cipher that runs on other threads hashes there too.
   */
  sealAndDigest?(nonce: Uint8Array, aad: Uint8Array, plaintext: Uint8Array): Promise<DigestedChunk>;
  openAndDigest?(nonce: Uint8Array, aad: Uint8Array, sealed: Uint8Array, where: string): Promise<DigestedChunk>;
}

export type ContentCipherFactory = (key: Uint8Array) => Promise<ContentCipher>;

/**
 * WebCrypto views must be backed by an ArrayBuffer; Node's Buffers and the browser's slices
 * always are (this code never uses SharedArrayBuffer), so the cast only satisfies the typings.
 */
export function bufferSource(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return bytes as Uint8Array<ArrayBuffer>;
}

export const webCryptoCipher: ContentCipherFactory = async (rawKey) => {
  if (rawKey.length !== CONTENT_KEY_LENGTH) throw new RangeError("AES-256 needs a 32-byte key");
  const subtle = globalThis.crypto.subtle;
  const key = await subtle.importKey("raw", bufferSource(rawKey), { name: "AES-GCM" }, false, ["encrypt", "decrypt"]);
  return {
    async seal(nonce, aad, plaintext) {
      const params = { name: "AES-GCM", iv: bufferSource(nonce), additionalData: bufferSource(aad), tagLength: 128 };
      return new Uint8Array(await subtle.encrypt(params, key, bufferSource(plaintext)));
    },
    async open(nonce, aad, sealed, where) {
      const params = { name: "AES-GCM", iv: bufferSource(nonce), additionalData: bufferSource(aad), tagLength: 128 };
      try {
        return new Uint8Array(await subtle.decrypt(params, key, bufferSource(sealed)));
      } catch {
        fail(
          CryptoErrorCode.TAMPERED_CHUNK,
          `${where} fails its integrity check: the envelope was altered, reordered or spliced.`,
        );
      }
    },
  };
};
