import { fromBase64, toBase64 } from "../bytes.ts";
import type { PrivateKey } from "../pki/keys.ts";
import { parseHeader } from "./header.ts";
import { unwrapContentKey } from "./key-wrap.ts";

/**
 * The opening hall (E-Measures Art 30): the bidder's page gets its envelope's header record
 * (base64 of the header bytes, public: only wrapped keys), unwraps the content key with the
 * private key from its encryption PKCS#12, and sends only the content key. The private key never
 * leaves the page. Also the pre-deadline decryption check: can this key open that envelope?
 */
export function unwrapContentKeyFromHeader(
  headerBase64: string,
  privateKey: PrivateKey,
  expectedEnvelopeId?: string,
): Uint8Array {
  const header = parseHeader(fromBase64(headerBase64));
  if (expectedEnvelopeId !== undefined && header.envelopeId !== expectedEnvelopeId) {
    throw new Error("The header is not the one of the expected envelope.");
  }
  return unwrapContentKey(header, privateKey);
}

export function contentKeyToBase64(key: Uint8Array): string {
  return toBase64(key);
}
