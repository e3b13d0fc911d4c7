import { generateKeyPair as nodeGenerateKeyPair } from "node:crypto";
import { promisify } from "node:util";
import { privateKeyFromPkcs8, publicKeyOf, type KeyPair } from "./keys.ts";

const generate = promisify(nodeGenerateKeyPair);

/** node-forge's pure-JS RSA key generation takes seconds; OpenSSL's takes milliseconds. */
export async function generateRsaKeyPair(modulusLength = 2048): Promise<KeyPair> {
  const { privateKey } = await generate("rsa", {
    modulusLength,
    publicExponent: 0x10001,
    privateKeyEncoding: { type: "pkcs8", format: "der" },
    publicKeyEncoding: { type: "spki", format: "der" },
  });
  const forgeKey = privateKeyFromPkcs8(new Uint8Array(privateKey));
  return { privateKey: forgeKey, publicKey: publicKeyOf(forgeKey) };
}
