import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { appendEntry, type AuditEntry } from "./audit/chain.ts";
import { utf8 } from "./bytes.ts";
import { main } from "./cli.ts";
import { readEncryptedKey } from "./cli/io.ts";
import { signCms } from "./cms/signed-data.ts";
import { sealEnvelopeToFile } from "./envelope/files.node.ts";
import { bytesSource } from "./envelope/sources.ts";
import { sha256 } from "./hash.ts";
import { generateRsaKeyPair } from "./pki/keygen.node.ts";
import { exportP12 } from "./pki/p12.ts";
import { certFromPem } from "./pki/pem.ts";
import { issueTimestamp, timestampRequestFor } from "./tsa/tsa.ts";

let dir: string;
const out: string[] = [];
const err: string[] = [];

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  out.length = 0;
  err.length = 0;
  const o = vi.spyOn(process.stdout, "write").mockImplementation((s) => (out.push(String(s)), true));
  const e = vi.spyOn(process.stderr, "write").mockImplementation((s) => (err.push(String(s)), true));
  try {
    const code = await main(args);
    return { code, stdout: out.join(""), stderr: err.join("") };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

const p = (name: string) => path.join(dir, name);
const CA = ["--dir", "", "--password", "ca-secret-1"];
const trust = () => ["--ca", p("ca/root.pem"), "--chain", p("ca/chain.pem"), "--crl", p("ca/issuing.crl.pem")];

async function issue(cn: string, profile: string, role = "bidder"): Promise<void> {
  expect(
    (
      await cli(
        "csr:create",
        "--cn",
        cn,
        "--out",
        p(`${cn}-${profile}.csr`),
        "--key-out",
        p(`${cn}-${profile}.key`),
        "--password",
        "user-pass-1",
      )
    ).code,
  ).toBe(0);
  const r = await cli(
    "cert:issue",
    ...CA,
    "--csr",
    p(`${cn}-${profile}.csr`),
    "--profile",
    profile,
    "--role",
    role,
    "--out",
    p(`${cn}-${profile}.pem`),
  );
  expect(r.code, r.stderr).toBe(0);
}

const cert = async (name: string) => certFromPem(await readFile(p(name), "utf8"));
const key = (name: string) => readEncryptedKey(p(name), "user-pass-1");

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "mb-cli-"));
  CA[1] = p("ca");
  expect((await cli("ca:init", ...CA, "--bits", "2048")).code).toBe(0);
  await issue("bidder", "signing");
  await issue("bidder", "encryption");
  await issue("other", "encryption");
  await issue("tsa", "tsa", "service");
  expect((await cli("crl:make", ...CA)).code).toBe(0);
  const issuing = await cert("ca/issuing.pem");
  await sealEnvelopeToFile(
    {
      tenderId: "T-CLI-1",
      files: [{ name: "bid.pdf", data: bytesSource(new Uint8Array(300_000).fill(42)) }],
      bidderEncryptionCert: await cert("bidder-encryption.pem"),
      escrow: { publicKey: (await generateRsaKeyPair()).publicKey, serial: "escrow" },
      signer: { cert: await cert("bidder-signing.pem"), key: await key("bidder-signing.key"), chain: [issuing] },
      now: new Date(),
      chunkSize: 64 * 1024,
    },
    p("bid.mbseal"),
  );
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("CLI", () => {
  it("verify:envelope accepts a good envelope", async () => {
    const r = await cli("verify:envelope", "--in", p("bid.mbseal"), ...trust(), "--tender", "T-CLI-1");
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/OK envelope .* for tender T-CLI-1/);
  });

  it("tampered chunk and truncated file fail with exit 2 and a clear message", async () => {
    const bytes = new Uint8Array(await readFile(p("bid.mbseal")));
    const tampered = bytes.slice();
    tampered[100_000] = (tampered[100_000] as number) ^ 1;
    await writeFile(p("tampered.mbseal"), tampered);
    await writeFile(p("truncated.mbseal"), bytes.subarray(0, 150_000));
    const t = await cli("verify:envelope", "--in", p("tampered.mbseal"), ...trust());
    expect(t).toMatchObject({ code: 2, stderr: expect.stringMatching(/CRYPTO\.TAMPERED_CHUNK.*bid\.pdf/) });
    const c = await cli("verify:envelope", "--in", p("truncated.mbseal"), ...trust());
    expect(c).toMatchObject({ code: 2, stderr: expect.stringMatching(/CRYPTO\.TRUNCATED.*incomplete/) });
  });

  it("open:envelope: wrong password, wrong certificate, then success", async () => {
    const issuing = await cert("ca/issuing.pem");
    await writeFile(
      p("enc.p12"),
      exportP12(
        { privateKey: await key("bidder-encryption.key"), certificate: await cert("bidder-encryption.pem"), chain: [issuing] },
        "p12-pass-1",
        "enc",
      ),
    );
    await writeFile(
      p("other.p12"),
      exportP12(
        { privateKey: await key("other-encryption.key"), certificate: await cert("other-encryption.pem"), chain: [] },
        "p12-pass-1",
        "enc",
      ),
    );
    const wrongPw = await cli(
      "open:envelope",
      "--in",
      p("bid.mbseal"),
      "--p12",
      p("enc.p12"),
      "--password",
      "nope-nope",
      "--out",
      p("opened"),
      ...trust(),
    );
    expect(wrongPw).toMatchObject({ code: 2, stderr: expect.stringMatching(/CRYPTO\.WRONG_PASSWORD/) });
    const wrongCert = await cli(
      "open:envelope",
      "--in",
      p("bid.mbseal"),
      "--p12",
      p("other.p12"),
      "--password",
      "p12-pass-1",
      "--out",
      p("opened"),
      ...trust(),
    );
    expect(wrongCert).toMatchObject({ code: 2, stderr: expect.stringMatching(/CRYPTO\.WRONG_CERT.*加密证书/) });
    const ok = await cli(
      "open:envelope",
      "--in",
      p("bid.mbseal"),
      "--p12",
      p("enc.p12"),
      "--password",
      "p12-pass-1",
      "--out",
      p("opened"),
      ...trust(),
    );
    expect(ok.code, ok.stderr).toBe(0);
    expect(new Uint8Array(await readFile(p("opened/000-bid.pdf")))).toEqual(new Uint8Array(300_000).fill(42));
  });

  it("expired and revoked certificates are named", async () => {
    const future = await cli("verify:envelope", "--in", p("bid.mbseal"), ...trust(), "--at", "2099-01-01T00:00:00Z");
    expect(future).toMatchObject({ code: 2, stderr: expect.stringMatching(/CRYPTO\.CERT_EXPIRED.*expired/) });
    const serial = (await cert("bidder-signing.pem")).serialNumber;
    expect((await cli("cert:revoke", ...CA, "--serial", serial, "--reason", "keyCompromise")).code).toBe(0);
    expect((await cli("crl:make", ...CA, "--out", p("ca/revoked.crl.pem"))).code).toBe(0);
    const r = await cli("verify:envelope", "--in", p("bid.mbseal"), "--ca", p("ca/root.pem"), "--crl", p("ca/revoked.crl.pem"));
    expect(r).toMatchObject({ code: 2, stderr: expect.stringMatching(new RegExp(`CRYPTO\\.CERT_REVOKED.*${serial}`)) });
  });

  it("verify:signature and verify:timestamp", async () => {
    const content = utf8("评标报告 v1");
    const signer = {
      cert: await cert("bidder-signing.pem"),
      key: await key("bidder-signing.key"),
      chain: [await cert("ca/issuing.pem")],
    };
    await writeFile(p("report.txt"), content);
    await writeFile(p("report.p7s"), signCms({ content, signer, signingTime: new Date() }));
    await writeFile(p("report2.txt"), utf8("评标报告 v2"));
    const ok = await cli(
      "verify:signature",
      "--in",
      p("report.p7s"),
      "--content",
      p("report.txt"),
      "--ca",
      p("ca/root.pem"),
      "--crl",
      p("ca/issuing.crl.pem"),
    );
    expect(ok.code, ok.stderr).toBe(0);
    const bad = await cli(
      "verify:signature",
      "--in",
      p("report.p7s"),
      "--content",
      p("report2.txt"),
      "--ca",
      p("ca/root.pem"),
      "--crl",
      p("ca/issuing.crl.pem"),
    );
    expect(bad).toMatchObject({ code: 2, stderr: expect.stringMatching(/CRYPTO\.BAD_SIGNATURE/) });
    const tsa = {
      signer: { cert: await cert("tsa-tsa.pem"), key: await key("tsa-tsa.key"), chain: [await cert("ca/issuing.pem")] },
    };
    await writeFile(p("report.tsr"), issueTimestamp(tsa, timestampRequestFor(sha256(content)), new Date()).response);
    const ts = await cli("verify:timestamp", "--in", p("report.tsr"), "--data", p("report.txt"), ...trust());
    expect(ts.code, ts.stderr).toBe(0);
    const tsBad = await cli("verify:timestamp", "--in", p("report.tsr"), "--data", p("report2.txt"), ...trust());
    expect(tsBad).toMatchObject({ code: 2, stderr: expect.stringMatching(/CRYPTO\.TIMESTAMP_MISMATCH/) });
  });

  it("verify:audit names the first broken entry; usage errors exit 64", async () => {
    const entries: AuditEntry[] = [];
    for (let i = 0; i < 4; i++)
      entries.push(appendEntry(entries[i - 1] ?? null, { at: `t${i}`, actor: "a", action: "x", data: i }));
    await writeFile(p("audit.jsonl"), entries.map((e) => JSON.stringify(e)).join("\n"));
    expect((await cli("verify:audit", "--in", p("audit.jsonl"))).code).toBe(0);
    entries[2] = { ...entries[2]!, data: 99 };
    await writeFile(p("audit-bad.jsonl"), entries.map((e) => JSON.stringify(e)).join("\n"));
    expect(await cli("verify:audit", "--in", p("audit-bad.jsonl"))).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/AUDIT_BROKEN.*#2/),
    });
    expect((await cli("verify:envelope")).code).toBe(64);
    expect((await cli("nonsense")).code).toBe(64);
  });
});
