import vector from "./envelope-v1.json" with { type: "json" };
import { fromHex, toHex } from "../bytes.ts";
import { webCryptoCipher, type ContentCipherFactory } from "../envelope/cipher.ts";
import { nodeCipher } from "../envelope/cipher.node.ts";
import { chunkAad, chunkNonce, CHUNK_PREFIX_LENGTH, RECORD_FRAME_LENGTH } from "../envelope/format.ts";
import { parseHeader } from "../envelope/header.ts";
import { unwrapContentKey } from "../envelope/key-wrap.ts";
import { bytesSource, collect } from "../envelope/sources.ts";
import { sealEnvelope } from "../envelope/writer.ts";
import { sha256 } from "../hash.ts";
import { privateKeyFromPkcs8 } from "../pki/keys.ts";
import { createEnvelopeFixture, type EnvelopeFixture } from "../testing/bidder-fixture.node.ts";
import { extractVectorParts, type EnvelopeVector } from "./vector.ts";
import { parseManifest } from "../envelope/manifest.ts";
import { splitRecords } from "../testing/envelope-surgery.ts";
import { mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileSource, openEnvelopeToDirectory, sealEnvelopeToFile } from "../envelope/files.node.ts";
import { ChunkThreadPool } from "../envelope/thread-pool.node.ts";

const v = vector as EnvelopeVector;
let fx: EnvelopeFixture;
const pool = new ChunkThreadPool(2);
beforeAll(async () => {
  fx = await createEnvelopeFixture();
});
afterAll(() => pool.close());

const ciphers: [string, ContentCipherFactory][] = [
  ["WebCrypto", webCryptoCipher],
  ["node:crypto", nodeCipher],
  ["node:crypto thread pool", pool.cipher],
];

describe("test vectors: envelope-v1.json", () => {
  it.each(ciphers)("%s seals the vector byte for byte", async (_name, cipher) => {
    const { bytes } = await collect(
      sealEnvelope({
        tenderId: v.tenderId,
        files: v.files.map((f) => ({ name: f.name, data: bytesSource(fromHex(f.plaintext), 500) })),
        bidderEncryptionCert: fx.encryption.cert,
        escrow: { publicKey: fx.escrow.publicKey, serial: "unused" },
        signer: fx.signer,
        now: new Date(v.createdAt),
        cipher,
        chunkSize: v.chunkSize,
        deterministic: { contentKey: fromHex(v.contentKey), envelopeId: fromHex(v.envelopeId), recipients: v.recipients },
      }),
    );
    const parts = extractVectorParts(bytes);
    expect(new TextDecoder().decode(parts.header)).toBe(v.expected.header);
    expect(parts.chunkRecords.map(toHex)).toEqual(v.expected.chunkRecords);
    expect(toHex(sha256(parts.body))).toBe(v.expected.bodyDigest);
    const manifest = splitRecords(bytes).find((r) => r.type === 3)!.body;
    expect(parseManifest(manifest).files).toEqual(v.expected.manifestFiles);
  });

  it.each(ciphers)("%s opens the vector's chunks, after unwrapping the key with RSA-OAEP-SHA256", async (_name, cipher) => {
    const header = parseHeader(new TextEncoder().encode(v.expected.header));
    const key = unwrapContentKey(header, privateKeyFromPkcs8(fromHex(v.recipientPrivateKeyPkcs8)));
    expect(toHex(key)).toBe(v.contentKey);
    const c = await cipher(key);
    const plain = new Map<number, Uint8Array[]>();
    for (const recHex of v.expected.chunkRecords) {
      const rec = fromHex(recHex).subarray(RECORD_FRAME_LENGTH);
      const view = new DataView(rec.buffer, rec.byteOffset);
      const [fileIndex, chunkIndex, final] = [view.getUint32(0), view.getUint32(4), rec[8] === 1];
      const aad = chunkAad(fromHex(v.expected.headerDigest), fileIndex, chunkIndex, final);
      const p = await c.open(chunkNonce(fileIndex, chunkIndex), aad, rec.subarray(CHUNK_PREFIX_LENGTH), "vector chunk");
      plain.set(fileIndex, [...(plain.get(fileIndex) ?? []), p]);
    }
    v.files.forEach((f, i) => expect(toHex(Uint8Array.from((plain.get(i) ?? []).flatMap((p) => [...p])))).toBe(f.plaintext));
  });

  it("sealEnvelopeToFile from files (pool threads reading and writing by position) writes the vector's bytes, and opens them", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "mbseal-vector-"));
    try {
      const inputs = await Promise.all(
        v.files.map(async (f, i) => {
          const file = path.join(dir, `in-${i}`);
          await writeFile(file, fromHex(f.plaintext));
          return { name: f.name, data: fileSource(file) };
        }),
      );
      const out = path.join(dir, "vector.mbseal");
      await sealEnvelopeToFile(
        {
          tenderId: v.tenderId,
          files: inputs,
          bidderEncryptionCert: fx.encryption.cert,
          escrow: { publicKey: fx.escrow.publicKey, serial: "unused" },
          signer: fx.signer,
          now: new Date(v.createdAt),
          chunkSize: v.chunkSize,
          deterministic: { contentKey: fromHex(v.contentKey), envelopeId: fromHex(v.envelopeId), recipients: v.recipients },
        },
        out,
      );
      const bytes = new Uint8Array(await readFile(out));
      const parts = extractVectorParts(bytes);
      expect(new TextDecoder().decode(parts.header)).toBe(v.expected.header);
      expect(parts.chunkRecords.map(toHex)).toEqual(v.expected.chunkRecords);
      expect(toHex(sha256(parts.body))).toBe(v.expected.bodyDigest);
      expect(parseManifest(splitRecords(bytes).find((r) => r.type === 3)!.body).files).toEqual(v.expected.manifestFiles);

      const opened = path.join(dir, "opened");
      await (await import("node:fs/promises")).mkdir(opened);
      const result = await openEnvelopeToDirectory(out, opened, {
        trust: fx.pki.trust(),
        at: new Date(),
        recipientKey: privateKeyFromPkcs8(fromHex(v.recipientPrivateKeyPkcs8)),
      });
      expect(result.files.map((f) => path.basename(f))).toEqual(["000-投标函.pdf", "001-empty.txt", "002-报价.xlsx"]);
      for (const [i, f] of v.files.entries())
        expect(toHex(new Uint8Array(await readFile(result.files[i] as string)))).toBe(f.plaintext);
      expect((await readdir(opened)).sort()).toEqual(["000-投标函.pdf", "001-empty.txt", "002-报价.xlsx"]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
