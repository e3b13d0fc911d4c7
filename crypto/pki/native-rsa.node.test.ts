import forge from "node-forge";
import { generateRsaKeyPair } from "./keygen.node.ts";
import { installNativeRsaVerify } from "./native-rsa.node.ts";

// Once installed, every RSA public key forge makes verifies PKCS#1 v1.5 in OpenSSL. Its verdicts
// must be forge's own (or stricter only where forge is lax): a bid accepted or refused must not
// depend on which of the two did the check.

const sign = (key: forge.pki.rsa.PrivateKey, algorithm: "sha1" | "sha256" | "sha384" | "sha512", text: string) => {
  const md = forge.md[algorithm].create();
  md.update(text, "utf8");
  return { digest: md.digest().getBytes(), signature: key.sign(md) };
};

/** forge throws on some malformed signatures; callers (crypto/cms/verify.ts, chain.ts) take that as "no". */
function verdict(key: forge.pki.rsa.PublicKey, digest: string, signature: string): boolean {
  try {
    return key.verify(digest, signature);
  } catch {
    return false;
  }
}

describe("native RSA verification behind forge's keys", () => {
  it("agrees with forge on good, altered, cut and foreign signatures, for 2048 and 3072 bit keys", async () => {
    const pairs = await Promise.all([generateRsaKeyPair(2048), generateRsaKeyPair(3072)]);
    const pems = pairs.map((p) => forge.pki.publicKeyToPem(p.publicKey));
    // Made before the install: forge's own verify.
    const reference = pems.map((pem) => forge.pki.publicKeyFromPem(pem));
    installNativeRsaVerify();
    installNativeRsaVerify(); // idempotent
    const patched = pems.map((pem) => forge.pki.publicKeyFromPem(pem));
    expect(patched[0]?.verify).not.toBe(reference[0]?.verify);

    let cases = 0;
    for (const [i, pair] of pairs.entries()) {
      const other = pairs[(i + 1) % pairs.length] as (typeof pairs)[number];
      for (const algorithm of ["sha1", "sha256", "sha384", "sha512"] as const) {
        const good = sign(pair.privateKey, algorithm, `标书 ${algorithm}`);
        const flipped =
          good.signature.slice(0, 10) + String.fromCharCode(good.signature.charCodeAt(10) ^ 1) + good.signature.slice(11);
        const wrongDigest = sign(pair.privateKey, algorithm, "another text").digest;
        const foreign = sign(other.privateKey, algorithm, `标书 ${algorithm}`).signature;
        const attempts: [string, string][] = [
          [good.digest, good.signature],
          [good.digest, flipped],
          [wrongDigest, good.signature],
          [good.digest, good.signature.slice(1)],
          [good.digest, foreign],
          [good.digest, ""],
        ];
        for (const [n, [digest, signature]] of attempts.entries()) {
          const expected = verdict(reference[i] as forge.pki.rsa.PublicKey, digest, signature);
          expect(verdict(patched[i] as forge.pki.rsa.PublicKey, digest, signature), `${algorithm}, key ${i}, attempt ${n}`).toBe(
            expected,
          );
          expect(expected).toBe(n === 0);
          cases++;
        }
      }
    }
    expect(cases).toBe(48);
  }, 60_000);
});
