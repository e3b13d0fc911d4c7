/**
 * The chunk crypto thread of thread-pool.node.ts: AES-256-GCM sealing and opening of envelope
 * chunks, each hashed (SHA-256 of ciphertext‖tag) while in cache. Runs with `eval: true` from
 * its source (../worker-source.node.ts), so `chunkWorkerMain` is self-contained: Node's modules
 * come from `process.getBuiltinModule`, the tag length from `workerData`. Types are erased and
 * may come from this module; values may not.
 */

export interface ChunkWorkerData {
  tagLength: number;
}

interface KeyedMessage {
  id: number;
  key: Uint8Array;
  nonce: Uint8Array;
  aad: Uint8Array;
}

interface PositionedMessage extends KeyedMessage {
  inFd: number;
  inPos: number;
  length: number;
  outFd: number;
  outPos: number;
}

type ChunkMessage =
  | (PositionedMessage & { op: "sealAt"; head: Uint8Array })
  | (PositionedMessage & { op: "openAt" })
  | { id: number; op: "digest"; data: Uint8Array }
  | (KeyedMessage & { op: "seal" | "open"; data: Uint8Array });

interface ChunkResult {
  out?: Buffer;
  digest: Buffer;
  tampered?: boolean;
}

export function chunkWorkerMain(): void {
  const { parentPort, workerData } = process.getBuiltinModule("node:worker_threads");
  const { createCipheriv, createDecipheriv, createHash } = process.getBuiltinModule("node:crypto");
  const { readSync, writeSync } = process.getBuiltinModule("node:fs");
  if (!parentPort) throw new Error("chunkWorkerMain runs in a worker thread");
  const port = parentPort;
  // OpenSSL's output comes back in fresh buffers that V8 frees only when it collects garbage, and
  // it counts them lazily: left alone, each thread would hold tens of MB of spent buffers. A
  // young-generation collection after each chunk (well under a millisecond: this heap holds
  // almost nothing) frees them at once and keeps memory flat.
  process.getBuiltinModule("node:v8").setFlagsFromString("--expose-gc");
  const collect = process.getBuiltinModule("node:vm").runInNewContext("gc") as (options: {
    type: string;
    execution: string;
  }) => void;
  const tidy = () => collect({ type: "minor", execution: "sync" });
  // 16 KiB pieces keep OpenSSL's input and output (and the hash that follows) in L1/L2 cache.
  const PIECE = 16 * 1024;
  const TAG = (workerData as ChunkWorkerData).tagLength;
  // Buffers this thread reuses for positioned file work, so memory stays flat whatever the size.
  let inBuf = Buffer.alloc(0);
  let outBuf = Buffer.alloc(0);
  const grow = (buf: Buffer, n: number): Buffer => (buf.length >= n ? buf : Buffer.allocUnsafeSlow(n));

  function readFully(fd: number, buf: Buffer, length: number, position: number, what: string): void {
    let done = 0;
    while (done < length) {
      const n = readSync(fd, buf, done, length - done, position + done);
      if (n === 0) throw new Error(what);
      done += n;
    }
  }

  function writeFully(fd: number, buf: Buffer, length: number, position: number): void {
    let done = 0;
    while (done < length) done += writeSync(fd, buf, done, length - done, position + done);
  }

  // Seal one chunk of a file into its record at a known place of the envelope file.
  function sealAt(msg: PositionedMessage & { head: Uint8Array }): ChunkResult {
    const len = msg.length;
    inBuf = grow(inBuf, len);
    readFully(msg.inFd, inBuf, len, msg.inPos, "CHANGED");
    const head = msg.head.length;
    outBuf = grow(outBuf, head + len + TAG);
    outBuf.set(msg.head, 0);
    const hash = createHash("sha256");
    const c = createCipheriv("aes-256-gcm", Buffer.from(msg.key), Buffer.from(msg.nonce), { authTagLength: TAG });
    c.setAAD(msg.aad);
    for (let off = 0; off < len; off += PIECE) {
      const piece = c.update(inBuf.subarray(off, Math.min(len, off + PIECE)));
      piece.copy(outBuf, head + off);
      hash.update(piece);
    }
    c.final();
    const tag = c.getAuthTag();
    tag.copy(outBuf, head + len);
    hash.update(tag);
    writeFully(msg.outFd, outBuf, head + len + TAG, msg.outPos);
    return { digest: hash.digest() };
  }

  // Open one chunk record read by position; plaintext is written only once its tag verified.
  function openAt(msg: PositionedMessage): ChunkResult {
    const len = msg.length;
    inBuf = grow(inBuf, len);
    readFully(msg.inFd, inBuf, len, msg.inPos, "TRUNCATED");
    const body = len - TAG;
    const hash = createHash("sha256");
    const d = createDecipheriv("aes-256-gcm", Buffer.from(msg.key), Buffer.from(msg.nonce), { authTagLength: TAG });
    d.setAAD(msg.aad);
    d.setAuthTag(inBuf.subarray(body, len));
    outBuf = grow(outBuf, body);
    // Hash each piece right before decrypting it, while it is in cache.
    for (let off = 0; off < body; off += PIECE) {
      const piece = inBuf.subarray(off, Math.min(body, off + PIECE));
      hash.update(piece);
      d.update(piece).copy(outBuf, off);
    }
    hash.update(inBuf.subarray(body, len));
    try {
      d.final();
    } catch {
      return { tampered: true, digest: hash.digest() };
    }
    writeFully(msg.outFd, outBuf, body, msg.outPos);
    return { digest: hash.digest() };
  }

  function run(msg: ChunkMessage): ChunkResult {
    if (msg.op === "sealAt") return sealAt(msg);
    if (msg.op === "openAt") return openAt(msg);
    const data = Buffer.from(msg.data.buffer, msg.data.byteOffset, msg.data.byteLength);
    const hash = createHash("sha256");
    if (msg.op === "digest") return { digest: hash.update(data).digest() };
    const key = Buffer.from(msg.key);
    const nonce = Buffer.from(msg.nonce);
    if (msg.op === "seal") {
      const c = createCipheriv("aes-256-gcm", key, nonce, { authTagLength: TAG });
      c.setAAD(msg.aad);
      const out = Buffer.allocUnsafeSlow(data.length + TAG);
      for (let off = 0; off < data.length; off += PIECE) {
        const piece = c.update(data.subarray(off, off + PIECE));
        piece.copy(out, off);
        hash.update(piece);
      }
      c.final();
      const tag = c.getAuthTag();
      tag.copy(out, data.length);
      hash.update(tag);
      key.fill(0);
      return { out, digest: hash.digest() };
    }
    const body = data.subarray(0, data.length - TAG);
    const d = createDecipheriv("aes-256-gcm", key, nonce, { authTagLength: TAG });
    d.setAAD(msg.aad);
    d.setAuthTag(data.subarray(data.length - TAG));
    hash.update(data);
    const out = Buffer.allocUnsafeSlow(body.length);
    for (let off = 0; off < body.length; off += PIECE) d.update(body.subarray(off, off + PIECE)).copy(out, off);
    key.fill(0);
    try {
      d.final();
    } catch {
      return { tampered: true, digest: hash.digest() };
    }
    return { out, digest: hash.digest() };
  }

  port.on("message", (msg: ChunkMessage) => {
    let reply: { id: number; error?: string; code?: string } & Partial<ChunkResult>;
    try {
      reply = { id: msg.id, ...run(msg) };
    } catch (e) {
      const error = e as { message?: string; code?: string } | null;
      reply = { id: msg.id, error: String(error?.message ?? e), code: error?.code };
    }
    const transfer = reply.out ? [reply.out.buffer as ArrayBuffer] : [];
    port.postMessage(reply, transfer);
    tidy();
  });
}
