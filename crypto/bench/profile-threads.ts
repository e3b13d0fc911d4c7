/**
 * Investigation aid (decision 092), not a benchmark: seals a 128 MiB file and opens it, twice,
 * and prints each step's wall time, the process's user and system CPU and every thread's CPU
 * (from /proc/self/task), so the opener's costs can be told from the sealer's.
 *   npx tsx crypto/bench/profile-threads.ts      PROF_DIR=/dev/shm/x- (another file system)
 *   PROF_SYNC=1 (sync before each open, so the sealed file is clean)
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { openEnvelopeToDirectory, sealEnvelopeToFile, fileSource } from "../envelope/files.node.ts";
import { createEnvelopeFixture } from "../testing/bidder-fixture.node.ts";
const dir = fs.mkdtempSync(process.env.PROF_DIR ?? path.join(os.tmpdir(), "mb-profile-"));
const fx = await createEnvelopeFixture();
const plain = path.join(dir, "p.bin");
fs.writeFileSync(plain, randomBytes(128 << 20));
const sealed = path.join(dir, "s.mbseal");
const seal = (out: string) =>
  sealEnvelopeToFile(
    {
      tenderId: "P",
      files: [{ name: "p.bin", data: fileSource(plain) }],
      bidderEncryptionCert: fx.encryption.cert,
      escrow: { publicKey: fx.escrow.publicKey, serial: "e" },
      signer: fx.signer,
      now: new Date(),
    },
    out,
  );
function threads(): Map<string, number> {
  const m = new Map<string, number>();
  for (const t of fs.readdirSync("/proc/self/task")) {
    const stat = fs.readFileSync(`/proc/self/task/${t}/stat`, "utf8");
    const comm = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    m.set(`${t} ${comm}`, Number(f[11]) + Number(f[12]));
  }
  return m;
}
const diff = (a: Map<string, number>, b: Map<string, number>) =>
  [...b]
    .map(([k, v]) => [k, v - (a.get(k) ?? 0)] as const)
    .filter(([, v]) => v > 0)
    .sort((x, y) => y[1] - x[1]);
await seal(path.join(dir, "warm.mbseal"));
for (const what of ["seal", "open", "seal", "open"]) {
  if (process.env.PROF_SYNC && what === "open") (await import("node:child_process")).execSync("sync");
  const before = threads();
  const cpu = process.cpuUsage();
  const t = performance.now();
  if (what === "seal") await seal(sealed);
  else {
    const out = fs.mkdtempSync(path.join(dir, "o-"));
    await openEnvelopeToDirectory(sealed, out, { trust: fx.pki.trust(), at: new Date(), recipientKey: fx.encryption.key });
  }
  const u = process.cpuUsage(cpu);
  console.log(
    what,
    `wall ${(performance.now() - t).toFixed(0)} ms, cpu ${((u.user + u.system) / 1000).toFixed(0)} ms (user ${(u.user / 1000).toFixed(0)} sys ${(u.system / 1000).toFixed(0)})`,
    JSON.stringify(diff(before, threads()).map(([k, v]) => `${k}:${v * 10}ms`)),
  );
}
fs.rmSync(dir, { recursive: true, force: true });
process.exit(0);
