import { createDecipheriv, createHash, randomBytes } from "node:crypto";
import { mkdtemp, open, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { CryptoErrorCode, type CryptoError } from "../errors.ts";
import { ChunkThreadPool } from "./thread-pool.node.ts";

const sha = (b: Uint8Array) => new Uint8Array(createHash("sha256").update(b).digest());
const pool = new ChunkThreadPool(2);
afterAll(() => pool.close());

describe("chunk thread pool", () => {
  it("hashes on a thread and leaves the caller's bytes usable (a copy goes over)", async () => {
    const whole = new Uint8Array(randomBytes(70_000));
    const part = whole.subarray(1000, 5000);
    expect(await pool.digest(whole)).toEqual(sha(whole));
    expect(await pool.digest(part)).toEqual(sha(part));
    expect(whole.length).toBe(70_000);
    expect(part.length).toBe(4000);
  });

  it("seals like node:crypto, returns the digest of ciphertext‖tag, and takes over only whole buffers", async () => {
    const key = new Uint8Array(randomBytes(32));
    const nonce = new Uint8Array(12);
    const aad = new Uint8Array([1, 2, 3]);
    const cipher = await pool.cipher(key);
    const plain = new Uint8Array(randomBytes(40_000));
    const expected = plain.slice();
    const sealed = await cipher.sealAndDigest!(nonce, aad, plain);
    expect(plain.length).toBe(0); // handed over to the thread, as ContentCipher allows
    expect(sealed.digest).toEqual(sha(sealed.bytes));
    const d = createDecipheriv("aes-256-gcm", key, nonce);
    d.setAAD(aad);
    d.setAuthTag(sealed.bytes.subarray(sealed.bytes.length - 16));
    expect(new Uint8Array(Buffer.concat([d.update(sealed.bytes.subarray(0, sealed.bytes.length - 16)), d.final()]))).toEqual(
      expected,
    );

    const backing = new Uint8Array(randomBytes(100));
    await cipher.seal(nonce, aad, backing.subarray(10, 60));
    expect(backing.length).toBe(100); // a view into a larger buffer is copied, never detached

    const opened = await cipher.openAndDigest!(nonce, aad, sealed.bytes, "test chunk");
    expect(opened.bytes).toEqual(expected);
    expect(opened.digest).toEqual(sealed.digest);
    const bad = sealed.bytes.slice();
    bad[5] = (bad[5] as number) ^ 1;
    const err = (await cipher.open(nonce, aad, bad, "test chunk").catch((e: unknown) => e)) as CryptoError;
    expect(err.code).toBe(CryptoErrorCode.TAMPERED_CHUNK);
    expect(err.message).toContain("test chunk");
  });

  it("reports a short read by position instead of sealing a chunk that is not there", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "mb-pool-"));
    try {
      await writeFile(path.join(dir, "in"), randomBytes(1000));
      const input = await open(path.join(dir, "in"), "r");
      const output = await open(path.join(dir, "out"), "w");
      try {
        const job = {
          key: new Uint8Array(32),
          nonce: new Uint8Array(12),
          aad: new Uint8Array(0),
          inFd: input.fd,
          head: new Uint8Array([9]),
          outFd: output.fd,
          outPos: 0,
        };
        const ok = await pool.sealAt({ ...job, inPos: 0, length: 1000 });
        expect(ok.shortRead).toBeFalsy();
        const written = new Uint8Array(await readFile(path.join(dir, "out")));
        expect(written.length).toBe(1 + 1000 + 16);
        expect(ok.digest).toEqual(sha(written.subarray(1)));
        expect((await pool.sealAt({ ...job, inPos: 500, length: 1000 })).shortRead).toBe(true);
      } finally {
        await input.close();
        await output.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("a thread that dies fails its work loudly and is replaced", async () => {
    const p = new ChunkThreadPool(1);
    try {
      const big = new Uint8Array(8 << 20);
      const inFlight = p.digest(big);
      const threads = (p as unknown as { threads: { worker: { terminate(): Promise<number> } }[] }).threads;
      await threads[0]?.worker.terminate();
      await expect(inFlight).rejects.toThrow(/thread stopped/);
      expect(await p.digest(new Uint8Array([1, 2, 3]))).toEqual(sha(new Uint8Array([1, 2, 3])));
    } finally {
      await p.close();
    }
  });
});
