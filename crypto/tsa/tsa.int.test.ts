import forge from "node-forge";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fromHex, toHex, utf8 } from "../bytes.ts";
import { sha256 } from "../hash.ts";
import { certToPem } from "../pki/pem.ts";
import { openssl, withTempDir } from "../testing/openssl.node.ts";
import { createTestPki, type Holder, type TestPki } from "../testing/pki-fixture.node.ts";
import { parseTimestampRequest } from "./request.ts";
import { issueTimestamp } from "./tsa.ts";
import { verifyTimestamp } from "./verify.ts";

let pki: TestPki;
let tsaHolder: Holder;

beforeAll(async () => {
  pki = await createTestPki();
  tsaHolder = await pki.issue("MingBiao TSA", "service", "tsa");
});

describe("OpenSSL interop: ts", () => {
  it("answers an `openssl ts -query` and `openssl ts -verify` accepts the reply (queryfile and digest)", async () => {
    const record = utf8("开标记录 opening record T-2026-001");
    await withTempDir(async (dir, write) => {
      const data = await write("record.json", record);
      const root = await write("root.pem", certToPem(pki.root.cert));
      const inter = await write("inter.pem", certToPem(pki.issuing.cert) + certToPem(tsaHolder.cert));
      const q = await openssl(["ts", "-query", "-data", data, "-sha256", "-cert", "-out", path.join(dir, "req.tsq")]);
      expect(q.code).toBe(0);
      const req = parseTimestampRequest(new Uint8Array(await readFile(path.join(dir, "req.tsq"))));
      const issued = issueTimestamp(
        { signer: { cert: tsaHolder.cert, key: tsaHolder.key, chain: [pki.issuing.cert] } },
        req,
        new Date(),
      );
      const resp = await write("resp.tsr", issued.response);
      const byQuery = await openssl([
        "ts",
        "-verify",
        "-in",
        resp,
        "-queryfile",
        path.join(dir, "req.tsq"),
        "-CAfile",
        root,
        "-untrusted",
        inter,
      ]);
      expect(byQuery.stdout + byQuery.stderr).toMatch(/Verification: OK/);
      const byDigest = await openssl([
        "ts",
        "-verify",
        "-in",
        resp,
        "-digest",
        toHex(sha256(record)),
        "-CAfile",
        root,
        "-untrusted",
        inter,
      ]);
      expect(byDigest.stdout + byDigest.stderr).toMatch(/Verification: OK/);
      const wrong = await openssl([
        "ts",
        "-verify",
        "-in",
        resp,
        "-digest",
        toHex(sha256(utf8("x"))),
        "-CAfile",
        root,
        "-untrusted",
        inter,
      ]);
      expect(wrong.code).not.toBe(0);
      const text = await openssl(["ts", "-reply", "-in", resp, "-text"]);
      expect(text.stdout).toMatch(/Status: Granted/);
    });
  });

  it("verifies a token that `openssl ts -reply` issued with the platform TSA key", async () => {
    const record = utf8("audit checkpoint 42");
    await withTempDir(async (dir, write) => {
      const data = await write("cp.txt", record);
      const signer = await write("tsa.pem", certToPem(tsaHolder.cert));
      const key = await write("tsa.key", forge.pki.privateKeyToPem(tsaHolder.key));
      const chain = await write("chain.pem", certToPem(pki.issuing.cert));
      await write("serial", "01\n");
      const cnf = await write(
        "ts.cnf",
        [
          "[ tsa ]",
          "default_tsa = tsa_config",
          "[ tsa_config ]",
          `dir = ${dir}`,
          "serial = $dir/serial",
          "default_policy = 1.3.6.1.4.1.59999.1.1",
          "signer_digest = sha256",
          "digests = sha256",
          "ess_cert_id_alg = sha256",
          "accuracy = secs:1",
          "",
        ].join("\n"),
      );
      expect((await openssl(["ts", "-query", "-data", data, "-sha256", "-cert", "-out", path.join(dir, "q.tsq")])).code).toBe(0);
      const reply = await openssl([
        "ts",
        "-reply",
        "-config",
        cnf,
        "-queryfile",
        path.join(dir, "q.tsq"),
        "-signer",
        signer,
        "-inkey",
        key,
        "-chain",
        chain,
        "-out",
        path.join(dir, "r.tsr"),
      ]);
      expect(reply.code, reply.stderr).toBe(0);
      const der = new Uint8Array(await readFile(path.join(dir, "r.tsr")));
      const v = verifyTimestamp({ der, digest: sha256(record), trust: pki.trust() });
      expect(v.serial).toBe("02");
      expect(Math.abs(v.genTime.getTime() - Date.now())).toBeLessThan(60_000);
      expect(fromHex(toHex(sha256(record)))).toEqual(sha256(record));
    });
  });
});
