import forge from "node-forge";
import { fromBinary, toBinary } from "../bytes.ts";
import { CryptoErrorCode, fail } from "../errors.ts";
import { publicKeyOf, sameKeyPair, type PrivateKey } from "./keys.ts";
import { normaliseNames } from "./names.ts";
import type { Certificate } from "./pem.ts";

export interface P12Contents {
  privateKey: PrivateKey;
  certificate: Certificate;
  /** Issuer certificates bundled with it (issuing CA, root). */
  chain: Certificate[];
}

/**
 * One PKCS#12 file per key (signing, encryption), AES-256 protected, as the holder keeps it.
 * The caller decides where the file goes (download in the browser); nothing here uploads it.
 */
export function exportP12(contents: P12Contents, password: string, friendlyName: string): Uint8Array {
  if (password.length < 8) fail(CryptoErrorCode.BAD_INPUT, "The PKCS#12 password must have at least 8 characters.");
  if (!sameKeyPair(contents.privateKey, contents.certificate.publicKey as forge.pki.rsa.PublicKey)) {
    fail(CryptoErrorCode.WRONG_CERT, "The certificate does not belong to this private key.");
  }
  const asn1 = forge.pkcs12.toPkcs12Asn1(contents.privateKey, [contents.certificate, ...contents.chain], password, {
    algorithm: "aes256",
    friendlyName,
    generateLocalKeyId: true,
    // OpenSSL's default; node-forge derives keys in pure JavaScript, so more costs seconds per file.
    count: 2048,
  });
  return fromBinary(forge.asn1.toDer(asn1).getBytes());
}

export function importP12(der: Uint8Array, password: string): P12Contents {
  let p12: forge.pkcs12.Pkcs12Pfx;
  try {
    const asn1 = forge.asn1.fromDer(forge.util.createBuffer(toBinary(der)));
    p12 = forge.pkcs12.pkcs12FromAsn1(asn1, false, password);
  } catch (e) {
    const msg = (e as Error).message ?? "";
    if (/password|MAC/i.test(msg)) fail(CryptoErrorCode.WRONG_PASSWORD, "Wrong password for this certificate file (PKCS#12).");
    fail(CryptoErrorCode.MALFORMED, `This is not a readable PKCS#12 certificate file: ${msg}`);
  }
  return extract(p12);
}

function extract(p12: forge.pkcs12.Pkcs12Pfx): P12Contents {
  const keyBags = p12.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag! })[forge.pki.oids.pkcs8ShroudedKeyBag!] ?? [];
  const certBags = p12.getBags({ bagType: forge.pki.oids.certBag! })[forge.pki.oids.certBag!] ?? [];
  const privateKey = keyBags[0]?.key as PrivateKey | undefined;
  if (!privateKey) fail(CryptoErrorCode.WRONG_PASSWORD, "The PKCS#12 file holds no readable private key (wrong password?).");
  const certs = certBags
    .map((b) => b.cert)
    .filter((c): c is Certificate => !!c)
    .map(normaliseNames);
  const own = publicKeyOf(privateKey);
  const certificate = certs.find((c) => sameKeyPair(privateKey, c.publicKey as forge.pki.rsa.PublicKey));
  if (!certificate)
    fail(CryptoErrorCode.WRONG_CERT, "The PKCS#12 file holds no certificate for its private key.", { keyN: own.n.bitLength() });
  return { privateKey, certificate, chain: certs.filter((c) => c !== certificate) };
}
