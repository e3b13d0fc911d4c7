import { constants, createPrivateKey, privateDecrypt, type KeyObject } from "node:crypto";
import forge from "node-forge";
import type { PrivateKey } from "../pki/keys.ts";
import type { OaepDecrypt } from "./key-wrap.ts";

/**
 * RSA-OAEP (SHA-256, MGF1-SHA-256) unwrap in OpenSSL for the Node opener: the same parameters and
 * result as forge's (key-wrap.ts), a few milliseconds instead of the 100-400 ms of the event loop
 * a 3 072-bit private operation takes in forge. The key is converted once per key object.
 */
const converted = new WeakMap<PrivateKey, KeyObject>();

export const nativeOaepDecrypt: OaepDecrypt = (privateKey, wrapped) => {
  let key = converted.get(privateKey);
  if (!key) {
    key = createPrivateKey(forge.pki.privateKeyToPem(privateKey));
    converted.set(privateKey, key);
  }
  const out = privateDecrypt({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: "sha256" }, wrapped);
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
};
