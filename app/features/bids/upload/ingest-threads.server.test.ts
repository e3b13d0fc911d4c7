import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { IngestJob } from "./ingest-threads.server.ts";

// Upload bytes are written by position on ingest threads, with direct I/O (whole 4 KiB blocks
// from an aligned stage, the partial last block through the page cache) or through the page
// cache. Either way the file must hold exactly the bytes pushed, however a resumable upload was
// cut into requests and pieces: a request may start and end anywhere inside a block.

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ingest-"));

afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** A copy that owns its memory, as a received piece does (Buffer#slice would share `bytes`'). */
const own = (bytes: Uint8Array, start = 0, end = bytes.length) => new Uint8Array(bytes.subarray(start, end));

/** A deterministic pseudo-random generator, so a failure names the cut that broke. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return s / 2 ** 32;
  };
}

async function storeInRequests(
  file: string,
  data: Uint8Array,
  cuts: number[],
  direct: boolean,
  random: () => number,
): Promise<void> {
  fs.writeFileSync(file, "");
  let at = 0;
  for (const end of [...cuts, data.length]) {
    // Every request is a job of its own starting at the upload's offset, as a resumed PATCH is.
    const job = new IngestJob({ file, write: true, hash: false, start: at, direct });
    while (at < end) {
      const size = Math.min(end - at, 1 + Math.floor(random() * 200_000));
      // A received piece owns its memory (it is moved to the thread).
      job.push(own(data, at, at + size));
      at += size;
    }
    expect(await job.flush()).toBe(end);
    job.close();
    // Between requests the file holds exactly what was received: tus takes the offset from its size.
    expect(fs.statSync(file).size).toBe(end);
  }
}

describe("ingest threads (positioned writes of upload bytes)", () => {
  for (const direct of [true, false]) {
    it(`stores exactly the bytes pushed, across requests cut anywhere (${direct ? "direct I/O" : "page cache"})`, async () => {
      const random = rng(direct ? 1 : 2);
      const data = randomBytes(3 * 1024 * 1024 + 4321);
      const cases = [
        [],
        [4096, 8192],
        [1, 4095, 4097, 2 * 1024 * 1024 + 7],
        Array.from({ length: 6 }, () => Math.floor(random() * data.length)).sort((a, b) => a - b),
      ];
      for (const [n, cuts] of cases.entries()) {
        const file = path.join(tmp, `cut-${direct}-${n}.bin`);
        await storeInRequests(file, data, cuts, direct, random);
        expect(Buffer.compare(fs.readFileSync(file), data), `cuts ${cuts.join(",")}`).toBe(0);
      }
    });
  }

  it("hashes the whole upload and announced ranges in the same pass as the direct writes", async () => {
    const data = randomBytes(2 * 1024 * 1024 + 999);
    const file = path.join(tmp, "hashed.bin");
    fs.writeFileSync(file, "");
    const job = new IngestJob({ file, write: true, hash: true, direct: true });
    const range = job.range(5000, 1_500_001);
    for (let at = 0; at < data.length; at += 70_001) job.push(own(data, at, at + 70_001));
    const whole = await job.finish();
    expect(whole).toBe(createHash("sha256").update(data).digest("hex"));
    expect(Buffer.from(await range).toString("hex")).toBe(
      createHash("sha256").update(data.subarray(5000, 1_500_001)).digest("hex"),
    );
    expect(Buffer.compare(fs.readFileSync(file), data)).toBe(0);
  });

  it("fails the job, not the thread, when the upload file is missing", async () => {
    const job = new IngestJob({ file: path.join(tmp, "no-such-dir", "x.bin"), write: true, hash: false, direct: true });
    job.push(own(randomBytes(10_000)));
    await expect(job.flush()).rejects.toThrow(/ENOENT/);
    // The thread still serves other uploads.
    const file = path.join(tmp, "after-failure.bin");
    fs.writeFileSync(file, "");
    const next = new IngestJob({ file, write: true, hash: false, direct: true });
    const bytes = randomBytes(12_345);
    next.push(own(bytes));
    expect(await next.flush()).toBe(bytes.length);
    next.close();
    expect(Buffer.compare(fs.readFileSync(file), bytes)).toBe(0);
  });
});
