import forge from "node-forge";
import { fromBase64, fromBinary, toBase64, toBinary } from "../bytes.ts";
import { CryptoErrorCode, fail } from "../errors.ts";
import { keyId, publicKeyOf, type PrivateKey, type PublicKey } from "../pki/keys.ts";
import { CONTENT_KEY_LENGTH } from "./format.ts";
import type { EnvelopeHeader, KeyWrapRecord, RecipientRole } from "./header.ts";

const oaepSha256 = () => ({ md: forge.md.sha256.create(), mgf1: { md: forge.md.sha256.create() } });

/** RSAES-OAEP with SHA-256 for both the hash and MGF1, empty label (RFC 8017). */
export function wrapContentKey(recipient: PublicKey, contentKey: Uint8Array): string {
  return toBase64(fromBinary(recipient.encrypt(toBinary(contentKey), "RSA-OAEP", oaepSha256())));
}

export function keyWrapRecord(
  role: RecipientRole,
  recipient: PublicKey,
  certSerial: string,
  contentKey: Uint8Array,
): KeyWrapRecord {
  return { role, keyId: keyId(recipient), certSerial, wrappedKey: wrapContentKey(recipient, contentKey) };
}

/** RSA-OAEP (SHA-256, MGF1-SHA-256) decryption of a wrapped key with `privateKey`; throws if it fails. */
export type OaepDecrypt = (privateKey: PrivateKey, wrapped: Uint8Array) => Uint8Array;

/** forge's RSA-OAEP, in JavaScript: what the browser uses (key-wrap.node.ts has OpenSSL's for Node). */
export const forgeOaepDecrypt: OaepDecrypt = (privateKey, wrapped) =>
  fromBinary(privateKey.decrypt(toBinary(wrapped), "RSA-OAEP", oaepSha256()));

/** Find this key's record in the header and unwrap the content key. */
export function unwrapContentKey(
  header: EnvelopeHeader,
  privateKey: PrivateKey,
  decrypt: OaepDecrypt = forgeOaepDecrypt,
): Uint8Array {
  const id = keyId(publicKeyOf(privateKey));
  const record = header.recipients.find((r) => r.keyId === id);
  if (!record) {
    fail(
      CryptoErrorCode.WRONG_CERT,
      "This envelope was not sealed to this key: use the encryption certificate (加密证书) the bid was sealed with, or the escrow key.",
      { keyId: id, recipients: header.recipients.map((r) => r.keyId) },
    );
  }
  let key: Uint8Array;
  try {
    key = decrypt(privateKey, fromBase64(record.wrappedKey));
  } catch {
    fail(
      CryptoErrorCode.WRONG_KEY,
      "The content key cannot be unwrapped with this private key (damaged key record or wrong key).",
    );
  }
  if (key.length !== CONTENT_KEY_LENGTH) fail(CryptoErrorCode.WRONG_KEY, "The unwrapped content key has the wrong length.");
  return key;
}
