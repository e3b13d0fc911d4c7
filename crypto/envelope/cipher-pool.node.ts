import { cpus } from "node:os";
import { Worker } from "node:worker_threads";
import { CryptoErrorCode, fail } from "../errors.ts";
import type { ContentCipher, ContentCipherFactory } from "./cipher.ts";
import { CONTENT_KEY_LENGTH, TAG_LENGTH } from "./format.ts";

/**
 * The worker is plain JavaScript evaluated from a string so that it runs the same under tsx,
 * vitest and a bundled server, none of which agree on how to load a .ts worker file.
 * It runs node:crypto AES-256-GCM in 16 KiB pieces (see cipher.node.ts).
 */
const WORKER_SOURCE = `
const { parentPort } = require("node:worker_threads");
const { createCipheriv, createDecipheriv } = require("node:crypto");
const PIECE = 16384, TAG = ${TAG_LENGTH};
function run(c, input, out) {
  for (let o = 0; o < input.length; o += PIECE) c.update(input.subarray(o, o + PIECE)).copy(out, o);
}
parentPort.on("message", (m) => {
  const input = new Uint8Array(m.buffer, m.offset, m.length);
  const key = Buffer.from(m.key);
  try {
    if (m.op === "seal") {
      const c = createCipheriv("aes-256-gcm", key, m.nonce, { authTagLength: TAG });
      c.setAAD(m.aad);
      const out = Buffer.allocUnsafeSlow(input.length + TAG);
      run(c, input, out);
      c.final();
      c.getAuthTag().copy(out, input.length);
      parentPort.postMessage({ id: m.id, ok: true, buffer: out.buffer }, [out.buffer]);
    } else {
      const d = createDecipheriv("aes-256-gcm", key, m.nonce, { authTagLength: TAG });
      d.setAAD(m.aad);
      d.setAuthTag(input.subarray(input.length - TAG));
      const out = Buffer.allocUnsafeSlow(input.length - TAG);
      run(d, input.subarray(0, input.length - TAG), out);
      d.final();
      parentPort.postMessage({ id: m.id, ok: true, buffer: out.buffer }, [out.buffer]);
    }
  } catch (e) {
    parentPort.postMessage({ id: m.id, ok: false, error: String(e && e.message) });
  }
});
`;

interface Pending {
  resolve(bytes: Uint8Array): void;
  reject(e: Error): void;
}

class CipherWorkers {
  private readonly workers: Worker[];
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;

  constructor(size: number) {
    this.workers = Array.from({ length: size }, () => this.spawn());
  }

  private spawn(): Worker {
    const w = new Worker(WORKER_SOURCE, { eval: true });
    w.unref();
    w.on("message", (m: { id: number; ok: boolean; buffer?: ArrayBuffer; error?: string }) => {
      const p = this.pending.get(m.id);
      this.pending.delete(m.id);
      if (!p) return;
      if (m.ok && m.buffer) p.resolve(new Uint8Array(m.buffer));
      else p.reject(new Error(m.error ?? "cipher worker failed"));
    });
    return w;
  }

  run(op: "seal" | "open", key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, input: Uint8Array): Promise<Uint8Array> {
    const id = this.nextId++;
    const worker = this.workers[id % this.workers.length] as Worker;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      // Copied, then the copy transferred: the caller may still hold the input (the reader's queue),
      // and a Buffer's .buffer can be a shared pool far larger than the view.
      const copy = new Uint8Array(input.length);
      copy.set(input);
      worker.postMessage({ id, op, key, nonce, aad, buffer: copy.buffer, offset: 0, length: input.length }, [copy.buffer]);
    });
  }
}

let shared: CipherWorkers | null = null;

function workers(): CipherWorkers {
  shared ??= new CipherWorkers(Math.max(1, Math.min(4, cpus().length)));
  return shared;
}

/**
 * AES-256-GCM on a pool of worker threads: with chunks kept in flight by the writer and the
 * opener, chunks are encrypted on several cores at once. Same bytes as nodeCipher.
 */
export const nodeParallelCipher: ContentCipherFactory = async (rawKey) => {
  if (rawKey.length !== CONTENT_KEY_LENGTH) throw new RangeError("AES-256 needs a 32-byte key");
  const pool = workers();
  const key = rawKey.slice();
  const cipher: ContentCipher = {
    seal: (nonce, aad, plaintext) => pool.run("seal", key, nonce, aad, plaintext),
    async open(nonce, aad, sealed, where) {
      if (sealed.length < TAG_LENGTH) fail(CryptoErrorCode.TAMPERED_CHUNK, `${where} is shorter than its tag.`);
      try {
        return await pool.run("open", key, nonce, aad, sealed);
      } catch {
        fail(CryptoErrorCode.TAMPERED_CHUNK, `${where} fails its integrity check: the envelope was altered, reordered or spliced.`);
      }
    },
  };
  return cipher;
};
