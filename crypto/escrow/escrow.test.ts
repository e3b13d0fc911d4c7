import { fromBase64, toBase64 } from "../bytes.ts";
import { CryptoErrorCode } from "../errors.ts";
import { generateRsaKeyPair } from "../pki/keygen.node.ts";
import { sameKeyPair, type KeyPair } from "../pki/keys.ts";
import { createTestPki, type Holder, type TestPki } from "../testing/pki-fixture.node.ts";
import { createEscrow, openCustodianShare, reconstructEscrowKey, type CustodianShare, type EscrowRecord } from "./escrow.ts";

let pki: TestPki;
let escrowKey: KeyPair;
let custodians: Holder[];
let record: EscrowRecord;
let shares: CustodianShare[];

beforeAll(async () => {
  pki = await createTestPki();
  escrowKey = await generateRsaKeyPair();
  custodians = await Promise.all([
    pki.issue("监督人 李四", "supervisor", "encryption"),
    pki.issue("招标代理 王五", "agent", "encryption"),
    pki.issue("公证处 赵六", "notary", "encryption"),
  ]);
  record = await createEscrow({
    tenderId: "T-2026-001",
    escrowKey,
    custodians: custodians.map((c, i) => ({ role: ["supervisor", "agent", "notary"][i] as string, cert: c.cert })),
    threshold: 2,
    now: new Date(),
  });
  shares = await Promise.all(custodians.map((c) => openCustodianShare(record, c.key)));
});

const expectCode = (fn: () => unknown, code: string) => expect(fn).toThrow(expect.objectContaining({ code }));

describe("escrow key with a custodian quorum", () => {
  it("any 2 of the 3 custodians rebuild the escrow private key", () => {
    for (const pair of [
      [0, 1],
      [1, 2],
      [0, 2],
    ]) {
      const key = reconstructEscrowKey(
        record,
        pair.map((i) => shares[i] as CustodianShare),
      );
      expect(sameKeyPair(key, escrowKey.publicKey)).toBe(true);
    }
  });

  it("the record holds no share in the clear", () => {
    const json = JSON.stringify(record);
    for (const s of shares) expect(json).not.toContain(s.share);
  });

  it("one share is not enough: NOT_ENOUGH_SHARES (duplicates do not count twice)", () => {
    expectCode(() => reconstructEscrowKey(record, [shares[0]!]), CryptoErrorCode.NOT_ENOUGH_SHARES);
    expectCode(() => reconstructEscrowKey(record, [shares[0]!, shares[0]!]), CryptoErrorCode.NOT_ENOUGH_SHARES);
  });

  it("a tampered share is detected and its custodian named: SHARE_INVALID", () => {
    const y = fromBase64(shares[1]!.share);
    y[5] = (y[5] as number) ^ 1;
    const bad = { x: shares[1]!.x, share: toBase64(y) };
    const err = (() => {
      try {
        reconstructEscrowKey(record, [shares[0]!, bad]);
      } catch (e) {
        return e as Error;
      }
      return null;
    })();
    expect(err).toMatchObject({ code: CryptoErrorCode.SHARE_INVALID });
    expect(err?.message).toContain("招标代理");
  });

  it("a share presented under another index: SHARE_INVALID", () => {
    expectCode(
      () => reconstructEscrowKey(record, [shares[0]!, { x: 3, share: shares[1]!.share }]),
      CryptoErrorCode.SHARE_INVALID,
    );
  });

  it("a record whose digests were forged to accept bad shares still fails: ESCROW_MISMATCH", async () => {
    const y = fromBase64(shares[1]!.share);
    y[0] = (y[0] as number) ^ 1;
    const bad = { x: shares[1]!.x, share: toBase64(y) };
    const { createHash } = await import("node:crypto");
    const forged = {
      ...record,
      shares: record.shares.map((s) =>
        s.x === bad.x
          ? {
              ...s,
              shareDigest: createHash("sha256")
                .update(Buffer.from([bad.x, ...y]))
                .digest("hex"),
            }
          : s,
      ),
    };
    expectCode(() => reconstructEscrowKey(forged, [shares[0]!, bad]), CryptoErrorCode.ESCROW_MISMATCH);
  });

  it("a custodian cannot open another's share: WRONG_CERT; a tampered sealed share: SHARE_INVALID", async () => {
    const outsider = await pki.issue("外人", "bidder", "encryption");
    await expect(openCustodianShare(record, outsider.key)).rejects.toMatchObject({ code: CryptoErrorCode.WRONG_CERT });
    const ct = fromBase64(record.shares[0]!.box.ciphertext);
    ct[3] = (ct[3] as number) ^ 1;
    const altered = {
      ...record,
      shares: record.shares.map((s, i) => (i === 0 ? { ...s, box: { ...s.box, ciphertext: toBase64(ct) } } : s)),
    };
    await expect(openCustodianShare(altered, custodians[0]!.key)).rejects.toMatchObject({ code: CryptoErrorCode.SHARE_INVALID });
  });
});
