import forge from "node-forge";
import { fromBinary, ownBuffer, toBinary } from "../bytes.ts";
import { sha256 } from "../hash.ts";

export type PrivateKey = forge.pki.rsa.PrivateKey;
export type PublicKey = forge.pki.rsa.PublicKey;
export interface KeyPair {
  privateKey: PrivateKey;
  publicKey: PublicKey;
}

/** What a key is for: Chinese CA practice gives each holder a signing and an encryption pair (双证书). */
export type KeyPurpose = "signing" | "encryption";

export function privateKeyFromPkcs8(der: Uint8Array): PrivateKey {
  const asn1 = forge.asn1.fromDer(forge.util.createBuffer(toBinary(der)));
  return forge.pki.privateKeyFromAsn1(asn1) as PrivateKey;
}

export function privateKeyToPkcs8(key: PrivateKey): Uint8Array {
  const info = forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(key));
  return fromBinary(forge.asn1.toDer(info).getBytes());
}

export function publicKeyOf(key: PrivateKey): PublicKey {
  return forge.pki.setRsaPublicKey(key.n, key.e);
}

export function publicKeyToSpki(key: PublicKey): Uint8Array {
  return fromBinary(forge.asn1.toDer(forge.pki.publicKeyToAsn1(key)).getBytes());
}

export function publicKeyFromSpki(der: Uint8Array): PublicKey {
  return forge.pki.publicKeyFromAsn1(forge.asn1.fromDer(forge.util.createBuffer(toBinary(der)))) as PublicKey;
}

/** Key id used by the envelope and escrow records: SHA-256 of the DER SubjectPublicKeyInfo, hex. */
export function keyId(key: PublicKey): string {
  return forge.util.bytesToHex(toBinary(sha256(publicKeyToSpki(key))));
}

export function sameKeyPair(priv: PrivateKey, pub: PublicKey): boolean {
  return priv.n.equals(pub.n) && priv.e.equals(pub.e);
}

/**
 * Generate an RSA key pair with WebCrypto (browser, or Node's webcrypto). The key is
 * generated where the user is and exported only to build the CSR and the PKCS#12 file:
 * the server never sees it.
 */
export async function generateKeyPairWebCrypto(purpose: KeyPurpose, modulusLength = 2048): Promise<KeyPair> {
  const algorithm =
    purpose === "signing" ? { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" } : { name: "RSA-OAEP", hash: "SHA-256" };
  const usages: KeyUsage[] = purpose === "signing" ? ["sign", "verify"] : ["encrypt", "decrypt"];
  const pair = await globalThis.crypto.subtle.generateKey(
    { ...algorithm, modulusLength, publicExponent: ownBuffer(new Uint8Array([1, 0, 1])) },
    true,
    usages,
  );
  const pkcs8 = new Uint8Array(await globalThis.crypto.subtle.exportKey("pkcs8", pair.privateKey));
  const privateKey = privateKeyFromPkcs8(pkcs8);
  return { privateKey, publicKey: publicKeyOf(privateKey) };
}
