// WHAT-IF preload for bench:submit (BENCH_WHATIF=native-rsa), never used for the headline figures:
// every node-forge RSA private key created in the server process signs SHA-256 PKCS#1 v1.5 in
// OpenSSL (node:crypto) instead of forge's JavaScript bignum. The signatures are byte-identical
// (PKCS#1 v1.5 is deterministic), so the app behaves the same; only the CPU cost changes. It
// shows what moving the platform's RSA private operations (CRLs, receipt CMS, RFC 3161 token)
// to node:crypto would buy, without touching app/ or crypto/.
import { constants, createPrivateKey, privateEncrypt } from "node:crypto";
import forge from "node-forge";

const DIGEST_INFO_SHA256 = Buffer.from("3031300d060960864801650304020105000420", "hex");
const original = forge.pki.rsa.setPrivateKey;

function nativeSigning(...args) {
  const key = original(...args);
  const forgeSign = key.sign.bind(key);
  let native;
  key.sign = (md, scheme) => {
    if (md.algorithm !== "sha256" || scheme !== undefined) return forgeSign(md, scheme);
    native ??= createPrivateKey(forge.pki.privateKeyToPem(key));
    const digest = Buffer.from(md.digest().getBytes(), "binary");
    return privateEncrypt(
      { key: native, padding: constants.RSA_PKCS1_PADDING },
      Buffer.concat([DIGEST_INFO_SHA256, digest]),
    ).toString("binary");
  };
  return key;
}
forge.pki.rsa.setPrivateKey = nativeSigning;
forge.pki.setRsaPrivateKey = nativeSigning;
