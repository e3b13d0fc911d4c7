import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { appendAudit } from "~/platform/audit/audit.server.ts";
import { disconnectDb } from "~/platform/db.server.ts";
import { auditCheckpointJob } from "~/features/audit/checkpoint.jobs.server.ts";
import { hashEntry } from "../../crypto/audit/chain.ts";
import { createRootCa } from "../../crypto/pki/ca.ts";
import { generateRsaKeyPair } from "../../crypto/pki/keygen.node.ts";
import { certToPem } from "../../crypto/pki/pem.ts";
import type { AuditExport } from "../../crypto/audit/export.ts";

// An outsider verifies the exported chain and its signed checkpoints with nothing but the
// platform root certificate (issue 11, item 8).
let dir: string;
let exportFile: string;
let rootPem: string;

function run(args: string[], env: NodeJS.ProcessEnv) {
  return spawnSync(process.execPath, ["--import", "tsx", ...args], { encoding: "utf8", env, timeout: 120_000 });
}
// The verifier gets no database, no secrets, no PKI directory: a clean environment.
const outsider = { NODE_ENV: "test", PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: os.tmpdir() } as const;
const verify = (file: string) => run(["crypto/cli.ts", "verify:audit", "--in", file, "--ca", rootPem], outsider);

function rewrite(mutate: (e: AuditExport) => void): string {
  const exported = JSON.parse(fs.readFileSync(exportFile, "utf8")) as AuditExport;
  mutate(exported);
  const file = path.join(dir, `tampered-${Math.random().toString(36).slice(2)}.json`);
  fs.writeFileSync(file, JSON.stringify(exported));
  return file;
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "mb-audit-export-"));
  exportFile = path.join(dir, "audit.json");
  rootPem = path.join(dir, "root.pem");
  await appendAudit({ action: "test.export_victim", subjectType: "Test", data: { amount: "100" } });
  expect(await auditCheckpointJob.run({ reason: "manual" })).toMatchObject({ checkpointed: expect.any(String) });
  await appendAudit({ action: "test.export_after", subjectType: "Test" });
  // What the platform publishes: its root certificate, and nothing else.
  fs.copyFileSync(path.resolve(process.env.PKI_DIR ?? "", "root.cert.pem"), rootPem);
});

afterAll(async () => {
  await disconnectDb();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("npm run audit:export → npm run crypto -- verify:audit", () => {
  it("writes the chain and its signed checkpoints in the form verify:audit reads, and it verifies", () => {
    const exported = run(["scripts/audit-export.ts", "--out", exportFile], process.env);
    expect(exported.stderr).toBe("");
    expect(exported.status).toBe(0);
    expect(exported.stdout).toMatch(/wrote .*audit\.json: \d+ entries \(head #\d+\), [1-9]\d* signed checkpoints/);
    const result = verify(exportFile);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^OK audit chain of \d+ entries, head [0-9a-f]{64}$/m);
    expect(result.stdout).toMatch(/^OK [1-9]\d* signed checkpoints verify against the root, the latest at #\d+$/m);
  });

  it("names the entry that was edited in the export", () => {
    let seq = "";
    const file = rewrite((e) => {
      const victim = e.entries.findLast((x) => x.action === "test.export_victim")!;
      seq = victim.seq;
      victim.data = { amount: "1" };
    });
    const result = verify(file);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`FAILED [CRYPTO.AUDIT_BROKEN] Audit chain broken at entry #${seq} `);
    expect(result.stderr).toMatch(/its content does not match its hash/);
  });

  it("catches a consistent rewrite (every later hash recomputed) by the signed checkpoint", () => {
    let seq = "";
    const file = rewrite((e) => {
      const at = e.entries.findLastIndex((x) => x.action === "test.export_victim");
      seq = e.entries[at]!.seq;
      e.entries[at]!.data = { amount: "1" };
      for (let i = at; i < e.entries.length; i++) {
        const entry = e.entries[i]!;
        if (i > at) entry.prevHash = e.entries[i - 1]!.hash;
        entry.hash = hashEntry(entry);
      }
    });
    const result = verify(file);
    expect(result.status).toBe(2);
    expect(result.stdout).toMatch(/^OK audit chain/m);
    expect(result.stderr).toMatch(/Audit entry #\d+ differs from the signed checkpoint of .*: the log was rewritten/);
    expect(Number(seq)).toBeGreaterThan(0);
  });

  it("refuses checkpoints that do not chain to the root the verifier trusts", async () => {
    const other = path.join(dir, "other-root.pem");
    const foreign = createRootCa({
      keys: await generateRsaKeyPair(2048),
      subject: { commonName: "Some other root", organization: "x" },
      now: new Date(),
    });
    fs.writeFileSync(other, certToPem(foreign.cert));
    const result = run(["crypto/cli.ts", "verify:audit", "--in", exportFile, "--ca", other], outsider);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/Signed checkpoint 1 of \d+: .*does not chain to the platform root CA/);
  });
});
