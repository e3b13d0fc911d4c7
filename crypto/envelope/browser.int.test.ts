import { chromium, type Browser, type Page } from "@playwright/test";
import { build } from "esbuild";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import vector from "../test-vectors/envelope-v1.json" with { type: "json" };
import { toBase64 } from "../bytes.ts";
import { issueCertificate } from "../pki/ca.ts";
import { parseCsr } from "../pki/csr.ts";
import { exportP12 } from "../pki/p12.ts";
import { certToPem } from "../pki/pem.ts";
import { publicKeyToSpki } from "../pki/keys.ts";
import { createEnvelopeFixture, type EnvelopeFixture } from "../testing/bidder-fixture.node.ts";
import { nodeCipher } from "./cipher.node.ts";
import { openEnvelope } from "./open.ts";
import { bytesSource } from "./sources.ts";
import { verifyEnvelope } from "./verify.ts";

const PLAIN_SIZE = 3 * 1024 * 1024 + 12345;
const pattern = (i: number) => (i * 131 + (i >> 11)) & 0xff;

let fx: EnvelopeFixture;
let server: Server;
let browser: Browser;
let page: Page;
let uploaded: Uint8Array = new Uint8Array(0);

async function bundle(): Promise<string> {
  const result = await build({
    entryPoints: [fileURLToPath(new URL("../testing/browser-harness.ts", import.meta.url))],
    bundle: true,
    format: "iife",
    platform: "browser",
    target: "es2022",
    write: false,
    logLevel: "error",
  });
  return result.outputFiles[0]?.text ?? "";
}

function serve(js: string): Promise<Server> {
  const s = createServer((req, res) => {
    if (req.method === "POST" && req.url === "/upload") {
      const parts: Buffer[] = [];
      req.on("data", (c: Buffer) => parts.push(c));
      req.on("end", () => {
        uploaded = new Uint8Array(Buffer.concat(parts));
        res.end("ok");
      });
      return;
    }
    if (req.url === "/bundle.js") {
      res.setHeader("content-type", "text/javascript");
      res.end(js);
      return;
    }
    res.setHeader("content-type", "text/html; charset=utf-8");
    res.end('<!doctype html><meta charset="utf-8"><title>MBSEAL</title><script src="/bundle.js"></script>');
  });
  return new Promise((resolve) => s.listen(0, "127.0.0.1", () => resolve(s)));
}

beforeAll(async () => {
  const [fixture, js] = await Promise.all([createEnvelopeFixture(), bundle()]);
  fx = fixture;
  server = await serve(js);
  browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-quic",
    ],
  });
  page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
  await page.waitForFunction(() => typeof window.mb === "object");
});

afterAll(async () => {
  await browser?.close();
  await new Promise((r) => server?.close(r));
});

describe("Chromium ↔ Node", () => {
  it("generates key pairs and a CSR with WebCrypto in the page; the CA issues from it", async () => {
    const csrPem = await page.evaluate(async () => {
      const keys = await window.mb.generateKeyPairWebCrypto("signing", 2048);
      return window.mb.createCsr(keys, { commonName: "浏览器投标人", organization: "某某建设有限公司" });
    });
    expect(parseCsr(csrPem).subject.getField("CN")?.value).toBe("浏览器投标人");
    const cert = issueCertificate(fx.pki.issuing, { csrPem, profile: "signing", role: "bidder", now: new Date() });
    expect(cert.subject.getField("OU")?.value).toBe("bidder");
  });

  it("seals a File in the page from P12 files and uploads it; Node verifies and opens it", async () => {
    const signP12 = exportP12(
      { privateKey: fx.signing.key, certificate: fx.signing.cert, chain: [fx.pki.issuing.cert] },
      "bidder-pass-1",
      "sign",
    );
    const input = {
      signP12: toBase64(signP12),
      encCertPem: certToPem(fx.encryption.cert),
      escrowSpki: toBase64(publicKeyToSpki(fx.escrow.publicKey)),
      size: PLAIN_SIZE,
    };
    const result = await page.evaluate(async (inp) => {
      const mb = window.mb;
      const signer = mb.importP12(mb.fromBase64(inp.signP12), "bidder-pass-1");
      const bytes = new Uint8Array(inp.size);
      for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 131 + (i >> 11)) & 0xff;
      const file = new File([bytes], "技术标.pdf");
      const gen = mb.sealEnvelope({
        tenderId: "T-BROWSER-1",
        files: [
          { name: file.name, data: mb.blobSource(file, 256 * 1024) },
          { name: "说明.txt", data: mb.blobSource(new Blob(["投标说明"])) },
        ],
        bidderEncryptionCert: mb.certFromPem(inp.encCertPem),
        escrow: { publicKey: mb.publicKeyFromSpki(mb.fromBase64(inp.escrowSpki)), serial: "escrow-T-BROWSER-1" },
        signer: { cert: signer.certificate, key: signer.privateKey, chain: signer.chain },
        now: new Date(),
        cipher: mb.webCryptoCipher,
        chunkSize: 256 * 1024,
      });
      const blob = await new Response(mb.toReadableStream(gen)).blob();
      const res = await fetch("/upload", { method: "POST", body: blob });
      return { status: res.status, size: blob.size };
    }, input);
    expect(result.status).toBe(200);
    expect(uploaded.length).toBe(result.size);
    const verified = await verifyEnvelope(bytesSource(uploaded, 100_000), {
      trust: fx.pki.trust(),
      at: new Date(),
      expectedTenderId: "T-BROWSER-1",
    });
    expect(verified.manifest.files.map((f) => f.name)).toEqual(["技术标.pdf", "说明.txt"]);
    const parts: Uint8Array[][] = [[], []];
    await openEnvelope(bytesSource(uploaded, 100_000), {
      trust: fx.pki.trust(),
      at: new Date(),
      recipientKey: fx.encryption.key,
      cipher: nodeCipher,
      onData: (i, p) => void parts[i]?.push(p),
    });
    const first = Buffer.concat(parts[0] ?? []);
    expect(first.length).toBe(PLAIN_SIZE);
    expect(first.every((b, i) => b === pattern(i))).toBe(true);
    expect(Buffer.concat(parts[1] ?? []).toString("utf8")).toBe("投标说明");
  });

  it("reproduces the committed test vector with WebCrypto in Chromium", async () => {
    const signP12 = exportP12({ privateKey: fx.signing.key, certificate: fx.signing.cert, chain: [] }, "bidder-pass-1", "sign");
    const hexes = await page.evaluate(
      async ({ v, p12, encPem }) => {
        const mb = window.mb;
        const signer = mb.importP12(mb.fromBase64(p12), "bidder-pass-1");
        const enc = mb.certFromPem(encPem);
        const { bytes } = await mb.collect(
          mb.sealEnvelope({
            tenderId: v.tenderId,
            files: v.files.map((f) => ({ name: f.name, data: mb.bytesSource(mb.fromHex(f.plaintext), 400) })),
            bidderEncryptionCert: enc,
            escrow: { publicKey: enc.publicKey as never, serial: "unused" },
            signer: { cert: signer.certificate, key: signer.privateKey },
            now: new Date(v.createdAt),
            cipher: mb.webCryptoCipher,
            chunkSize: v.chunkSize,
            deterministic: {
              contentKey: mb.fromHex(v.contentKey),
              envelopeId: mb.fromHex(v.envelopeId),
              recipients: v.recipients as never,
            },
          }),
        );
        const parts = mb.extractVectorParts(bytes);
        return {
          header: new TextDecoder().decode(parts.header),
          chunks: parts.chunkRecords.map((c) => mb.toHex(c)),
          body: mb.toHex(mb.sha256(parts.body)),
        };
      },
      { v: vector, p12: toBase64(signP12), encPem: certToPem(fx.encryption.cert) },
    );
    expect(hexes.header).toBe(vector.expected.header);
    expect(hexes.chunks).toEqual(vector.expected.chunkRecords);
    expect(hexes.body).toBe(vector.expected.bodyDigest);
  });
});
