import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { concatBytes, u32be } from "../../../../crypto/bytes.ts";
import { isCryptoError } from "../../../../crypto/errors.ts";
import { RecordType } from "../../../../crypto/envelope/format.ts";
import { bytesSource, collect } from "../../../../crypto/envelope/sources.ts";
import { walkEnvelope, type EnvelopeWalk } from "../../../../crypto/envelope/structure.ts";
import { checkWalk } from "../../../../crypto/envelope/verify.ts";
import { sealEnvelope } from "../../../../crypto/envelope/writer.ts";
import { nodeCipher } from "../../../../crypto/envelope/cipher.node.ts";
import { createEnvelopeFixture, type EnvelopeFixture } from "../../../../crypto/testing/bidder-fixture.node.ts";
import { joinRecords, splitRecords } from "../../../../crypto/testing/envelope-surgery.ts";
import { EnvelopeIntake, isLimitExceeded, verifyStoredEnvelope, writeBody } from "./envelope-intake.server.ts";

// The intake frames the upload itself and feeds crypto's WalkState, with chunk digests from the
// ingest thread that writes the file: it must agree with crypto's own walker on every envelope,
// however the bytes are cut into pieces, and store exactly the bytes it was given.

const CHUNK = 1024;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "intake-"));
let fx: EnvelopeFixture;
let sealed: Uint8Array;

beforeAll(async () => {
  fx = await createEnvelopeFixture();
  const gen = sealEnvelope({
    tenderId: "T-2026-001",
    files: [
      {
        name: "技术标.pdf",
        data: bytesSource(
          Uint8Array.from({ length: 3 * CHUNK + 100 }, (_, i) => (i * 7) & 0xff),
          700,
        ),
      },
      { name: "empty.txt", data: bytesSource(new Uint8Array(0)) },
      {
        name: "报价.xlsx",
        data: bytesSource(
          Uint8Array.from({ length: 2 * CHUNK }, (_, i) => (i * 13) & 0xff),
          700,
        ),
      },
    ],
    bidderEncryptionCert: fx.encryption.cert,
    escrow: { publicKey: fx.escrow.publicKey, serial: "escrow-T-2026-001" },
    signer: fx.signer,
    now: new Date(),
    cipher: nodeCipher,
    chunkSize: CHUNK,
  });
  sealed = (await collect(gen)).bytes;
}, 60_000);

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

let n = 0;
function emptyFile(): string {
  const file = path.join(tmp, `upload-${++n}`);
  fs.writeFileSync(file, "");
  return file;
}

/** Pieces of `bytes`, each a fresh buffer (the intake takes them over). */
function cut(bytes: Uint8Array, sizes: (i: number) => number): Uint8Array[] {
  const pieces: Uint8Array[] = [];
  for (let at = 0, i = 0; at < bytes.length; i++) {
    const size = Math.max(1, Math.min(sizes(i), bytes.length - at));
    pieces.push(bytes.slice(at, at + size));
    at += size;
  }
  return pieces;
}

async function viaIntake(
  bytes: Uint8Array,
  sizes: (i: number) => number,
): Promise<{ walk: EnvelopeWalk; sha256: string; file: string }> {
  const file = emptyFile();
  const intake = new EnvelopeIntake(file);
  try {
    for (const piece of cut(bytes, sizes)) intake.push(piece);
    expect(await intake.flush()).toBe(bytes.length);
    expect(intake.inStep(bytes.length)).toBe(true);
    return { ...(await intake.finish()), file };
  } finally {
    intake.abandon();
  }
}

/** The crypto walker's verdict: its walk, or its error code. */
async function reference(bytes: Uint8Array): Promise<EnvelopeWalk | string> {
  try {
    return await walkEnvelope(bytesSource(bytes, 333));
  } catch (e) {
    if (isCryptoError(e)) return e.code;
    throw e;
  }
}

async function verdict(bytes: Uint8Array, sizes: (i: number) => number): Promise<EnvelopeWalk | string> {
  try {
    return (await viaIntake(bytes, sizes)).walk;
  } catch (e) {
    if (isCryptoError(e)) return e.code;
    throw e;
  }
}

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");
const random = (seed: number) => () => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed;
};

describe("envelope intake (upload framing, WalkState, ingest thread)", () => {
  it("walks, hashes and stores exactly what crypto's walker sees, however the bytes arrive", async () => {
    const expected = await reference(sealed);
    const patterns: [string, (i: number) => number][] = [
      ["whole", () => sealed.length],
      ["1 byte", () => 1],
      ["7 bytes", () => 7],
      [
        "random",
        (() => {
          const r = random(42);
          return () => 1 + (r() % 3000);
        })(),
      ],
      ["64 KiB", () => 65536],
    ];
    for (const [, sizes] of patterns) {
      const seen = await viaIntake(sealed, sizes);
      expect(seen.walk).toEqual(expected);
      expect(seen.sha256).toBe(sha256(sealed));
      expect(Buffer.from(fs.readFileSync(seen.file)).equals(Buffer.from(sealed))).toBe(true);
    }
    const walk = (await viaIntake(sealed, () => 1000)).walk;
    expect(
      checkWalk(walk, { trust: fx.pki.trust(), at: new Date(), expectedTenderId: "T-2026-001" }).manifest.files,
    ).toHaveLength(3);
  });

  it("refuses what crypto's walker refuses, with the same code, at any cut", async () => {
    const records = splitRecords(sealed);
    const chunks = records.filter((r) => r.type === RecordType.CHUNK);
    const others = records.filter((r) => r.type !== RecordType.CHUNK);
    const variants: Uint8Array[] = [
      new Uint8Array(0),
      Uint8Array.from([0x4d, 0x42, 0x53]),
      concatBytes([Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]), sealed.subarray(8)]),
      concatBytes([sealed, Uint8Array.from([RecordType.CHUNK])]),
      concatBytes([sealed, Uint8Array.from([RecordType.MANIFEST, 0, 0, 0, 0])]),
      joinRecords([others[0]!, chunks[1]!, chunks[0]!, ...chunks.slice(2), ...others.slice(1)]),
      joinRecords([others[0]!, others[0]!, ...chunks, ...others.slice(1)]),
      joinRecords([others[0]!, ...chunks.slice(0, -1), ...others.slice(1)]),
      joinRecords([others[0]!, ...chunks, others[2]!, others[1]!]),
      joinRecords([others[0]!, { type: RecordType.CHUNK, body: new Uint8Array(12) }, ...chunks, ...others.slice(1)]),
      joinRecords([others[0]!, { type: 9, body: new Uint8Array(3) }, ...chunks, ...others.slice(1)]),
      concatBytes([sealed.subarray(0, 8), Uint8Array.from([RecordType.HEADER]), u32be(0x7fffffff)]),
    ];
    // Cut short everywhere around the record boundaries, and at a spread of other places.
    let at = 8;
    for (const r of records) {
      for (const d of [0, 1, 4, 5, 6, 13, 14, 15]) variants.push(sealed.slice(0, Math.min(at + d, sealed.length - 1)));
      at += 5 + r.body.length;
    }
    for (let cutAt = 1; cutAt < sealed.length; cutAt += 97) variants.push(sealed.slice(0, cutAt));
    for (const [k, bytes] of variants.entries()) {
      const expected = await reference(bytes);
      expect(typeof expected).toBe("string");
      expect(await verdict(bytes, () => 50)).toBe(expected);
      if (k % 5 === 0) expect(await verdict(bytes, () => 1)).toBe(expected);
    }
  }, 60_000);

  it("notices a changed ciphertext byte: the chunk digests no longer match the signed manifest", async () => {
    const tampered = sealed.slice();
    tampered[Math.floor(tampered.length / 2)]! ^= 0x01;
    const { walk } = await viaIntake(tampered, () => 4096);
    expect(() => checkWalk(walk, { trust: fx.pki.trust(), at: new Date() })).toThrow(
      /differs from what the bidder signed|TAMPERED/,
    );
  });

  it("verifies a stored file the same way (an upload not seen whole while it arrived)", async () => {
    const file = path.join(tmp, "stored.mbseal");
    fs.writeFileSync(file, sealed);
    const seen = await verifyStoredEnvelope(file);
    expect(seen.walk).toEqual(await reference(sealed));
    expect(seen.sha256).toBe(sha256(sealed));
  });

  it("writes a request body through the intake, keeping what came when the client goes away", async () => {
    const file = emptyFile();
    const intake = new EnvelopeIntake(file);
    const body = new PassThrough();
    const writing = writeBody(body, intake);
    body.write(sealed.slice(0, 1000));
    body.write(sealed.slice(1000, 2500));
    await new Promise((r) => setImmediate(r));
    body.destroy();
    const written = await writing;
    expect(written).toEqual({ offset: 2500, aborted: true });
    expect(fs.statSync(file).size).toBe(2500);
    // The upload resumes at 2500 with the same intake.
    const rest = new PassThrough();
    const resumed = writeBody(rest, intake);
    rest.end(sealed.slice(2500));
    expect(await resumed).toEqual({ offset: sealed.length, aborted: false });
    expect(intake.inStep(sealed.length)).toBe(true);
    const seen = await intake.finish();
    expect(seen.sha256).toBe(sha256(sealed));
    expect(seen.walk).toEqual(await reference(sealed));
  });

  it("refuses a body longer than its limit", async () => {
    const intake = new EnvelopeIntake(emptyFile());
    try {
      const body = new PassThrough();
      const writing = writeBody(body, intake, { limit: 100 });
      body.end(sealed.slice(0, 200));
      const error = await writing.then(
        () => null,
        (e: unknown) => e,
      );
      expect(isLimitExceeded(error)).toBe(true);
    } finally {
      intake.abandon();
    }
  });
});
