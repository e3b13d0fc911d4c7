import forge from "node-forge";
import { fromBase64, fromBinary, ownBuffer, randomBytes, toBase64, toBinary } from "../bytes.ts";
import { CryptoErrorCode, fail } from "../errors.ts";
import { keyId, publicKeyOf, type PrivateKey, type PublicKey } from "../pki/keys.ts";

/** A small message encrypted to one RSA key: RSA-OAEP-SHA256 wraps a fresh AES-256-GCM key. */
export interface SealedBox {
  alg: "RSA-OAEP-SHA256+AES-256-GCM";
  keyId: string;
  wrappedKey: string;
  nonce: string;
  ciphertext: string;
}

const oaep = () => ({ md: forge.md.sha256.create(), mgf1: { md: forge.md.sha256.create() } });

export async function sealBox(recipient: PublicKey, plaintext: Uint8Array, aad: Uint8Array): Promise<SealedBox> {
  const key = randomBytes(32);
  const nonce = randomBytes(12);
  const aesKey = await globalThis.crypto.subtle.importKey("raw", ownBuffer(key), "AES-GCM", false, ["encrypt"]);
  const ct = await globalThis.crypto.subtle.encrypt(
    { name: "AES-GCM", iv: ownBuffer(nonce), additionalData: ownBuffer(aad) },
    aesKey,
    ownBuffer(plaintext),
  );
  const wrapped = fromBinary(recipient.encrypt(toBinary(key), "RSA-OAEP", oaep()));
  key.fill(0);
  return {
    alg: "RSA-OAEP-SHA256+AES-256-GCM",
    keyId: keyId(recipient),
    wrappedKey: toBase64(wrapped),
    nonce: toBase64(nonce),
    ciphertext: toBase64(new Uint8Array(ct)),
  };
}

export async function openBox(box: SealedBox, privateKey: PrivateKey, aad: Uint8Array): Promise<Uint8Array> {
  if (box.keyId !== keyId(publicKeyOf(privateKey)))
    fail(CryptoErrorCode.WRONG_CERT, "This share was not encrypted to this key: use the custodian's own encryption certificate.");
  let key: Uint8Array;
  try {
    key = fromBinary(privateKey.decrypt(toBinary(fromBase64(box.wrappedKey)), "RSA-OAEP", oaep()));
  } catch {
    fail(CryptoErrorCode.WRONG_KEY, "The share's key cannot be unwrapped with this private key.");
  }
  const aesKey = await globalThis.crypto.subtle.importKey("raw", ownBuffer(key), "AES-GCM", false, ["decrypt"]);
  try {
    const params = { name: "AES-GCM", iv: ownBuffer(fromBase64(box.nonce)), additionalData: ownBuffer(aad) };
    return new Uint8Array(await globalThis.crypto.subtle.decrypt(params, aesKey, ownBuffer(fromBase64(box.ciphertext))));
  } catch {
    fail(CryptoErrorCode.SHARE_INVALID, "The encrypted share was altered (integrity check failed).");
  }
}
