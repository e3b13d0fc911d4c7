import { concatBytes, utf8 } from "../bytes.ts";
import { signCms } from "../cms/signed-data.ts";
import { CryptoErrorCode, type CryptoError } from "../errors.ts";
import { createEnvelopeFixture, type EnvelopeFixture } from "../testing/bidder-fixture.node.ts";
import { joinRecords, splitRecords, type RawRecord } from "../testing/envelope-surgery.ts";
import { webCryptoCipher, type ContentCipherFactory } from "./cipher.ts";
import { nodeCipher } from "./cipher.node.ts";
import { RecordType } from "./format.ts";
import { openEnvelope } from "./open.ts";
import { bytesSource, collect } from "./sources.ts";
import { verifyEnvelope } from "./verify.ts";
import { sealEnvelope } from "./writer.ts";
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { openEnvelopeToDirectory } from "./files.node.ts";
import { ChunkThreadPool } from "./thread-pool.node.ts";
import type { PrivateKey } from "../pki/keys.ts";

const pool = new ChunkThreadPool(2);
afterAll(() => pool.close());

const CHUNK = 1024;
let fx: EnvelopeFixture;
let sealed: Uint8Array;

const filesPlain = () => [
  { name: "技术标.pdf", bytes: Uint8Array.from({ length: 3 * CHUNK + 100 }, (_, i) => (i * 7) & 0xff) },
  { name: "empty.txt", bytes: new Uint8Array(0) },
  { name: "报价.xlsx", bytes: Uint8Array.from({ length: 2 * CHUNK }, (_, i) => (i * 13) & 0xff) },
];

async function seal(cipher: ContentCipherFactory, tenderId = "T-2026-001"): Promise<Uint8Array> {
  const gen = sealEnvelope({
    tenderId,
    files: filesPlain().map((f) => ({ name: f.name, data: bytesSource(f.bytes, 700) })),
    bidderEncryptionCert: fx.encryption.cert,
    escrow: { publicKey: fx.escrow.publicKey, serial: "escrow-T-2026-001" },
    signer: fx.signer,
    now: new Date(),
    cipher,
    chunkSize: CHUNK,
  });
  return (await collect(gen)).bytes;
}

async function open(bytes: Uint8Array, cipher: ContentCipherFactory = nodeCipher, key = fx.encryption.key) {
  const out = new Map<number, Uint8Array[]>();
  const verified = await openEnvelope(bytesSource(bytes, 4096), {
    trust: fx.pki.trust(),
    at: new Date(),
    recipientKey: key,
    cipher,
    onData: (i, p) => void out.set(i, [...(out.get(i) ?? []), p]),
  });
  return { verified, files: [...verified.manifest.files].map((f) => concatBytes(out.get(f.index) ?? [])) };
}

const verify = (bytes: Uint8Array, trust = fx.pki.trust(), at = new Date()) =>
  verifyEnvelope(bytesSource(bytes, 5000), { trust, at });

async function expectCode(p: Promise<unknown>, code: string): Promise<CryptoError> {
  const err = (await p.then(
    () => null,
    (e: unknown) => e,
  )) as CryptoError | null;
  expect(err, `expected ${code}`).not.toBeNull();
  expect(err?.code).toBe(code);
  expect(err?.message.length).toBeGreaterThan(20);
  return err as CryptoError;
}

/** Opens file to file the way the server does (pool threads by position); plaintext per file. */
async function openFile(
  bytes: Uint8Array,
  key: PrivateKey = fx.encryption.key,
): Promise<{ files: Uint8Array[]; left: string[] }> {
  const dir = await mkdtemp(path.join(tmpdir(), "mbseal-open-"));
  try {
    const file = path.join(dir, "bid.mbseal");
    const out = path.join(dir, "out");
    await writeFile(file, bytes);
    await mkdir(out);
    try {
      const r = await openEnvelopeToDirectory(file, out, { trust: fx.pki.trust(), at: new Date(), recipientKey: key });
      return { files: await Promise.all(r.files.map(async (f) => new Uint8Array(await readFile(f)))), left: await readdir(out) };
    } catch (e) {
      (e as { left?: string[] }).left = await readdir(out);
      throw e;
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Every Node opener refuses alike: streaming (node:crypto, thread pool) and file to file, which leaves no plaintext behind. */
async function expectOpenCode(bytes: Uint8Array, code: string, key: PrivateKey = fx.encryption.key): Promise<void> {
  await expectCode(open(bytes, nodeCipher, key), code);
  await expectCode(open(bytes, pool.cipher, key), code);
  const err = await expectCode(openFile(bytes, key), code);
  expect((err as unknown as { left: string[] }).left).toEqual([]);
}

function mutate(bytes: Uint8Array, fn: (records: RawRecord[]) => RawRecord[]): Uint8Array {
  return joinRecords(fn(splitRecords(bytes)));
}

const chunkRecords = (records: RawRecord[]) => records.filter((r) => r.type === RecordType.CHUNK);

beforeAll(async () => {
  fx = await createEnvelopeFixture();
  sealed = await seal(nodeCipher);
});

describe("bid envelope v1: round trip", () => {
  it.each([
    ["node:crypto → WebCrypto", () => nodeCipher, () => webCryptoCipher],
    ["WebCrypto → node:crypto", () => webCryptoCipher, () => nodeCipher],
    ["thread pool → WebCrypto", () => pool.cipher, () => webCryptoCipher],
    ["WebCrypto → thread pool", () => webCryptoCipher, () => pool.cipher],
  ])("seals with %s and opens the same files", async (_label, sealWithF, openWithF) => {
    const [sealWith, openWith] = [sealWithF(), openWithF()];
    const bytes = await seal(sealWith);
    const { verified, files } = await open(bytes, openWith);
    expect(files).toEqual(filesPlain().map((f) => f.bytes));
    expect(verified.manifest.files.map((f) => [f.name, f.size, f.chunks])).toEqual([
      ["技术标.pdf", 3172, 4],
      ["empty.txt", 0, 1],
      ["报价.xlsx", 2048, 2],
    ]);
    expect(verified.manifest.bidder.subject).toContain("某某建设有限公司");
  });

  it("opens file to file by position (pool threads) to the same files, nothing else left in the directory", async () => {
    const { files, left } = await openFile(sealed);
    expect(files).toEqual(filesPlain().map((f) => f.bytes));
    expect(left.sort()).toEqual(["000-技术标.pdf", "001-empty.txt", "002-报价.xlsx"]);
    const viaEscrow = await openFile(sealed, fx.escrow.privateKey);
    expect(viaEscrow.files[2]).toEqual(filesPlain()[2]?.bytes);
  });

  it("verifies on the server without any key and reports the manifest digest", async () => {
    const v = await verify(sealed);
    expect(v.manifest.tenderId).toBe("T-2026-001");
    expect(v.manifestDigest).toMatch(/^[0-9a-f]{64}$/);
    expect(v.header.recipients.map((r) => r.role)).toEqual(["bidder", "escrow"]);
  });

  it("opens with the escrow key as well as with the bidder's encryption key", async () => {
    const { files } = await open(sealed, nodeCipher, fx.escrow.privateKey);
    expect(files[0]).toEqual(filesPlain()[0]?.bytes);
  });

  it("refuses to seal to a signing certificate (双证书)", async () => {
    const gen = sealEnvelope({
      tenderId: "T",
      files: [{ name: "a", data: bytesSource(new Uint8Array(1)) }],
      bidderEncryptionCert: fx.signing.cert,
      escrow: { publicKey: fx.escrow.publicKey, serial: "e" },
      signer: fx.signer,
      now: new Date(),
      cipher: nodeCipher,
    });
    await expectCode(collect(gen), CryptoErrorCode.CERT_USAGE);
  });
});

describe("bid envelope v1: tampering fails loudly", () => {
  const flipInChunk = (bytes: Uint8Array, n: number) =>
    mutate(bytes, (rs) => {
      const c = chunkRecords(rs)[n] as RawRecord;
      c.body[20] = (c.body[20] as number) ^ 0x01;
      return rs;
    });

  it("a flipped ciphertext byte: TAMPERED_CHUNK on open and on server verify", async () => {
    const bad = flipInChunk(sealed, 1);
    await expectOpenCode(bad, CryptoErrorCode.TAMPERED_CHUNK);
    await expectCode(verify(bad), CryptoErrorCode.TAMPERED_CHUNK);
  });

  it("a flipped tag byte: TAMPERED_CHUNK", async () => {
    const bad = mutate(sealed, (rs) => {
      const c = chunkRecords(rs)[0] as RawRecord;
      c.body[c.body.length - 1] = (c.body[c.body.length - 1] as number) ^ 0x80;
      return rs;
    });
    await expectCode(open(bad, webCryptoCipher), CryptoErrorCode.TAMPERED_CHUNK);
    await expectOpenCode(bad, CryptoErrorCode.TAMPERED_CHUNK);
  });

  it("swapped chunks: REORDERED", async () => {
    const bad = mutate(sealed, (rs) => {
      const [a, b] = [rs[1] as RawRecord, rs[2] as RawRecord];
      rs[1] = b;
      rs[2] = a;
      return rs;
    });
    await expectOpenCode(bad, CryptoErrorCode.REORDERED);
    await expectCode(verify(bad), CryptoErrorCode.REORDERED);
  });

  it("swapped chunk bodies with rewritten indices: TAMPERED_CHUNK (the AAD binds the position)", async () => {
    const bad = mutate(sealed, (rs) => {
      const [a, b] = [rs[1] as RawRecord, rs[2] as RawRecord];
      const tmp = a.body.slice(9);
      a.body = concatBytes([a.body.subarray(0, 9), b.body.subarray(9)]);
      b.body = concatBytes([b.body.subarray(0, 9), tmp]);
      return rs;
    });
    await expectOpenCode(bad, CryptoErrorCode.TAMPERED_CHUNK);
    await expectCode(verify(bad), CryptoErrorCode.TAMPERED_CHUNK);
  });

  it("a file cut short with the final flag moved forward: TAMPERED_CHUNK", async () => {
    const bad = mutate(sealed, (rs) => {
      const chunks = chunkRecords(rs);
      (chunks[2] as RawRecord).body[8] = 1;
      return rs.filter((r) => r !== chunks[3]);
    });
    await expectOpenCode(bad, CryptoErrorCode.TAMPERED_CHUNK);
    await expectCode(verify(bad), CryptoErrorCode.TAMPERED_CHUNK);
  });

  it("a file missing its final chunk: REORDERED or TRUNCATED", async () => {
    const missingInside = mutate(sealed, (rs) => rs.filter((r) => r !== chunkRecords(rs)[3]));
    await expectCode(verify(missingInside), CryptoErrorCode.REORDERED);
    const missingAtEnd = mutate(sealed, (rs) => rs.filter((r) => r !== chunkRecords(rs)[6]));
    await expectOpenCode(missingAtEnd, CryptoErrorCode.TRUNCATED);
  });

  it.each([10, 300, 2000, 0.5])("a truncated file (cut at %s): TRUNCATED", async (cut) => {
    const at = cut < 1 ? Math.floor(sealed.length * cut) : sealed.length - cut;
    await expectCode(verify(sealed.subarray(0, at)), CryptoErrorCode.TRUNCATED);
    await expectOpenCode(sealed.subarray(0, at), CryptoErrorCode.TRUNCATED);
  });

  it("an envelope without its signature record: TRUNCATED", async () => {
    const bad = mutate(sealed, (rs) => rs.filter((r) => r.type !== RecordType.SIGNATURE));
    await expectCode(verify(bad), CryptoErrorCode.TRUNCATED);
  });

  it("a chunk spliced in from another envelope of the same bidder: TAMPERED_CHUNK", async () => {
    const other = await seal(nodeCipher);
    const foreign = chunkRecords(splitRecords(other))[1] as RawRecord;
    const bad = mutate(sealed, (rs) => rs.map((r) => (r === chunkRecords(rs)[1] ? foreign : r)));
    await expectOpenCode(bad, CryptoErrorCode.TAMPERED_CHUNK);
    await expectCode(verify(bad), CryptoErrorCode.TAMPERED_CHUNK);
  });

  it("an edited manifest: BAD_SIGNATURE", async () => {
    const bad = mutate(sealed, (rs) => {
      const m = rs.find((r) => r.type === RecordType.MANIFEST) as RawRecord;
      m.body = utf8(new TextDecoder().decode(m.body).replace("报价.xlsx", "报价.xlsz"));
      return rs;
    });
    await expectCode(verify(bad), CryptoErrorCode.BAD_SIGNATURE);
  });

  it("a manifest re-signed by someone else: TAMPERED_MANIFEST", async () => {
    const other = await fx.pki.issue("另一家公司", "bidder", "signing");
    const bad = mutate(sealed, (rs) => {
      const m = rs.find((r) => r.type === RecordType.MANIFEST) as RawRecord;
      const s = rs.find((r) => r.type === RecordType.SIGNATURE) as RawRecord;
      s.body = signCms({ content: m.body, signer: { ...other, chain: [fx.pki.issuing.cert] }, signingTime: new Date() });
      return rs;
    });
    await expectCode(verify(bad), CryptoErrorCode.TAMPERED_MANIFEST);
  });

  it("an edited header (tender id): TAMPERED_MANIFEST on verify, TAMPERED_CHUNK on open", async () => {
    const bad = mutate(sealed, (rs) => {
      const h = rs[0] as RawRecord;
      h.body = utf8(new TextDecoder().decode(h.body).replace("T-2026-001", "T-2026-002"));
      return rs;
    });
    await expectCode(verify(bad), CryptoErrorCode.TAMPERED_MANIFEST);
    await expectOpenCode(bad, CryptoErrorCode.TAMPERED_CHUNK);
  });

  it("the whole signed trailer of another envelope: TAMPERED_MANIFEST", async () => {
    const other = splitRecords(await seal(nodeCipher));
    const bad = mutate(sealed, (rs) => [
      ...rs.filter((r) => r.type === RecordType.HEADER || r.type === RecordType.CHUNK),
      ...other.filter((r) => r.type >= RecordType.MANIFEST),
    ]);
    await expectCode(verify(bad), CryptoErrorCode.TAMPERED_MANIFEST);
  });

  it("trailing bytes and bad magic: MALFORMED", async () => {
    await expectCode(verify(concatBytes([sealed, new Uint8Array([1, 0, 0, 0, 0])])), CryptoErrorCode.MALFORMED);
    const badMagic = sealed.slice();
    badMagic[0] = 0x00;
    await expectCode(verify(badMagic), CryptoErrorCode.MALFORMED);
  });

  it("another bidder's encryption key: WRONG_CERT", async () => {
    const other = await fx.pki.issue("另一家公司", "bidder", "encryption");
    await expectOpenCode(sealed, CryptoErrorCode.WRONG_CERT, other.key);
  });

  it("a revoked or expired signing certificate: CERT_REVOKED / CERT_EXPIRED", async () => {
    const revoked = fx.pki.trust([{ serial: fx.signing.cert.serialNumber, revokedAt: new Date(Date.now() - 1000) }]);
    await expectCode(verify(sealed, revoked), CryptoErrorCode.CERT_REVOKED);
    await expectCode(verify(sealed, fx.pki.trust(), new Date(Date.now() + 400 * 86_400_000)), CryptoErrorCode.CERT_EXPIRED);
  });

  it("an envelope sealed for another tender is refused when the tender is named", async () => {
    await expectCode(
      verifyEnvelope(bytesSource(sealed), { trust: fx.pki.trust(), at: new Date(), expectedTenderId: "T-OTHER" }),
      CryptoErrorCode.BAD_INPUT,
    );
  });
});
