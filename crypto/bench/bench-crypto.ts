/**
 * npm run bench:crypto — seal and open a 256 MB envelope with node:crypto, compare with
 * `openssl speed -evp aes-256-gcm` (16 KB blocks) measured in the same run, and report the peak
 * RSS growth. The last line is JSON for CI.
 */
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { cpus, loadavg, tmpdir } from "node:os";
import path from "node:path";
import { openEnvelopeToDirectory, sealEnvelopeToFile, fileSource } from "../envelope/files.node.ts";
import { createEnvelopeFixture } from "../testing/bidder-fixture.node.ts";
import { sharedChunkPool } from "../envelope/thread-pool.node.ts";

const SIZE_MB = Number(process.env.BENCH_CRYPTO_MB ?? 256);
const MB = 1_000_000;

class RssSampler {
  private peak = 0;
  private timer: NodeJS.Timeout | null = null;
  baseline = 0;

  start(): void {
    this.baseline = process.memoryUsage().rss;
    this.peak = this.baseline;
    this.timer = setInterval(() => this.sample(), 5);
  }

  sample(): void {
    this.peak = Math.max(this.peak, process.memoryUsage().rss);
  }

  stop(): number {
    if (this.timer) clearInterval(this.timer);
    this.sample();
    return (this.peak - this.baseline) / (1024 * 1024);
  }
}

async function writePlaintext(file: string): Promise<void> {
  const out = createWriteStream(file);
  const block = randomBytes(1 << 20);
  for (let i = 0; i < (SIZE_MB * MB) / (1 << 20); i++) {
    block[0] = i & 0xff;
    if (!out.write(Buffer.from(block))) await once(out, "drain");
  }
  out.end();
  await once(out, "close");
}

/**
 * `openssl speed` divides by user CPU time unless given -elapsed. The envelope figures are
 * wall-clock, so the ratio uses the wall-clock OpenSSL figure measured under the same load;
 * the CPU-time figure is printed beside it.
 */
function opensslMbPerSecond(elapsed: boolean, algorithm = "aes-256-gcm"): number {
  const args = ["speed", ...(elapsed ? ["-elapsed"] : []), "-evp", algorithm, "-bytes", "16384", "-seconds", "3"];
  const out = execFileSync("/usr/bin/openssl", args, {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "ignore"],
  });
  const match = new RegExp(`^${algorithm}\\s+([\\d.]+)k`, "im").exec(out);
  if (!match?.[1]) throw new Error(`cannot read openssl speed output:\n${out}`);
  return (Number(match[1]) * 1000) / MB;
}

async function main(): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), "mb-bench-"));
  try {
    const fx = await createEnvelopeFixture();
    const plain = path.join(dir, "bid.bin");
    const sealed = path.join(dir, "bid.mbseal");
    await writePlaintext(plain);
    const bytes = (await stat(plain)).size;
    const trust = fx.pki.trust();
    global.gc?.();
    const rss = new RssSampler();
    rss.start();
    // Warm-up inside the RSS window (the chunk threads' own memory counts) but outside the
    // timed part: a server's pool is started once, not per bid.
    await warmUp(dir, fx);
    let t = performance.now();
    let cpu = process.cpuUsage();
    await sealEnvelopeToFile(
      {
        tenderId: "BENCH-256",
        files: [{ name: "bid.bin", data: fileSource(plain) }],
        bidderEncryptionCert: fx.encryption.cert,
        escrow: { publicKey: fx.escrow.publicKey, serial: "escrow-bench" },
        signer: fx.signer,
        now: new Date(),
      },
      sealed,
    );
    const sealSeconds = (performance.now() - t) / 1000;
    const sealCpu = cpuSeconds(process.cpuUsage(cpu));
    const outDir = path.join(dir, "opened");
    await (await import("node:fs/promises")).mkdir(outDir);
    t = performance.now();
    cpu = process.cpuUsage();
    await openEnvelopeToDirectory(sealed, outDir, { trust, at: new Date(), recipientKey: fx.encryption.key });
    const openSeconds = (performance.now() - t) / 1000;
    const openCpu = cpuSeconds(process.cpuUsage(cpu));
    const rssGrowth = rss.stop();
    const seal = bytes / MB / sealSeconds;
    const open = bytes / MB / openSeconds;
    const opensslMbS = opensslMbPerSecond(true);
    const opensslCpuMbS = opensslMbPerSecond(false);
    const sha256MbS = opensslMbPerSecond(true, "sha256");
    const ratio = Math.min(seal, open) / opensslMbS;
    // Every chunk is both AES-GCM'd and SHA-256'd (the manifest's ciphertext digests), so even
    // with no file I/O at all the pool's threads cannot beat threads / (1/aes + 1/sha).
    const threads = sharedChunkPool().size;
    const ceiling = threads / (1 / opensslMbS + 1 / sha256MbS);
    console.log(
      `plaintext ${(bytes / MB).toFixed(0)} MB in ${dir}, chunk 1 MiB, node:crypto AES-256-GCM + SHA-256 chunk digests on ${sharedChunkPool().size} threads, file to file`,
    );
    console.log(
      `seal  ${seal.toFixed(0)} MB/s (${sealSeconds.toFixed(2)} s), open ${open.toFixed(0)} MB/s (${openSeconds.toFixed(2)} s) wall-clock`,
    );
    console.log(
      `per CPU second of this process (all threads): seal ${(bytes / MB / sealCpu).toFixed(0)} MB/s, open ${(bytes / MB / openCpu).toFixed(0)} MB/s`,
    );
    console.log(
      `openssl speed -elapsed -evp aes-256-gcm (16 KB): ${opensslMbS.toFixed(0)} MB/s wall-clock (${opensslCpuMbS.toFixed(0)} MB/s per CPU second); ratio ${ratio.toFixed(2)} (target >= 0.5)`,
    );
    console.log(
      `openssl speed -elapsed -evp sha256 (16 KB): ${sha256MbS.toFixed(0)} MB/s; AES-GCM + SHA-256 on ${threads} threads, without any file I/O, cannot exceed ${ceiling.toFixed(0)} MB/s = ratio ${(ceiling / opensslMbS).toFixed(2)}`,
    );
    console.log(
      `load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(" ")} on ${cpus().length} CPUs`,
    );
    console.log(`peak RSS growth ${rssGrowth.toFixed(1)} MB (target <= 64)`);
    console.log(
      JSON.stringify({
        bench: "crypto",
        seal_mb_s: round(seal),
        open_mb_s: round(open),
        openssl_mb_s: round(opensslMbS),
        ratio: round(ratio, 3),
        rss_growth_mb: round(rssGrowth),
      }),
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A 4 MB envelope sealed and opened once: starts the chunk threads and warms the JIT. */
async function warmUp(dir: string, fx: Awaited<ReturnType<typeof createEnvelopeFixture>>): Promise<void> {
  const { writeFile, mkdir } = await import("node:fs/promises");
  const plain = path.join(dir, "warm.bin");
  await writeFile(plain, randomBytes(4 * MB));
  const sealed = path.join(dir, "warm.mbseal");
  await sealEnvelopeToFile(
    {
      tenderId: "BENCH-WARM",
      files: [{ name: "warm.bin", data: fileSource(plain) }],
      bidderEncryptionCert: fx.encryption.cert,
      escrow: { publicKey: fx.escrow.publicKey, serial: "escrow-bench" },
      signer: fx.signer,
      now: new Date(),
    },
    sealed,
  );
  const out = path.join(dir, "warm-opened");
  await mkdir(out);
  await openEnvelopeToDirectory(sealed, out, { trust: fx.pki.trust(), at: new Date(), recipientKey: fx.encryption.key });
  await rm(out, { recursive: true });
  await rm(sealed);
  await rm(plain);
}

function cpuSeconds(u: NodeJS.CpuUsage): number {
  return (u.user + u.system) / 1e6;
}

function round(n: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

await main();
