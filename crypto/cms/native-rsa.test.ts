import { createPrivateKey, generateKeyPairSync, sign } from "node:crypto";
import forge from "node-forge";
import { rsaSha256Sign } from "./signed-data.ts";

describe("native RSA signing", () => {
  it("gives exactly the signature forge would (PKCS#1 v1.5 is deterministic)", () => {
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const pem = privateKey.export({ type: "pkcs1", format: "pem" }).toString();
    const data = new TextEncoder().encode("明标 receipt statement");
    const native = new Uint8Array(sign("sha256", data, createPrivateKey(pem)));
    const viaForge = rsaSha256Sign(forge.pki.privateKeyFromPem(pem) as forge.pki.rsa.PrivateKey, data);
    expect(Buffer.from(native).equals(Buffer.from(viaForge))).toBe(true);
  });
});
