import { randomBytes } from "node:crypto";
import { CryptoErrorCode } from "../errors.ts";
import { generateRsaKeyPair } from "../pki/keygen.node.ts";
import type { EnvelopeHeader } from "./header.ts";
import { forgeOaepDecrypt, keyWrapRecord, unwrapContentKey } from "./key-wrap.ts";
import { nativeOaepDecrypt } from "./key-wrap.node.ts";

describe("content key unwrap in OpenSSL (Node opener)", () => {
  it("gives forge's result for the same record, and refuses a damaged record or another key as forge does", async () => {
    const [bidder, other] = await Promise.all([generateRsaKeyPair(2048), generateRsaKeyPair(2048)]);
    const contentKey = new Uint8Array(randomBytes(32));
    const record = keyWrapRecord("bidder", bidder.publicKey, "01", contentKey);
    const header = { recipients: [record] } as unknown as EnvelopeHeader;
    expect(unwrapContentKey(header, bidder.privateKey, nativeOaepDecrypt)).toEqual(contentKey);
    expect(unwrapContentKey(header, bidder.privateKey, forgeOaepDecrypt)).toEqual(contentKey);
    // Twice: the converted key is reused.
    expect(unwrapContentKey(header, bidder.privateKey, nativeOaepDecrypt)).toEqual(contentKey);

    const wrapped = Buffer.from(record.wrappedKey, "base64");
    wrapped[10] = (wrapped[10] as number) ^ 1;
    const damaged = { recipients: [{ ...record, wrappedKey: wrapped.toString("base64") }] } as unknown as EnvelopeHeader;
    for (const decrypt of [nativeOaepDecrypt, forgeOaepDecrypt])
      expect(() => unwrapContentKey(damaged, bidder.privateKey, decrypt)).toThrow(
        expect.objectContaining({ code: CryptoErrorCode.WRONG_KEY }),
      );
    expect(() => unwrapContentKey(header, other.privateKey, nativeOaepDecrypt)).toThrow(
      expect.objectContaining({ code: CryptoErrorCode.WRONG_CERT }),
    );
  });
});
