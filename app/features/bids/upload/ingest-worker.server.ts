import type { Hash } from "node:crypto";

/**
 * The upload ingest thread of ingest-threads.server.ts: positioned writes of an upload's bytes
 * (direct I/O where the file system allows it) and SHA-256 of the whole file and of announced
 * byte ranges, in one pass. Runs with `eval: true` from its source (crypto's `workerSource`), so
 * `ingestWorkerMain` is self-contained: Node's modules come from `process.getBuiltinModule`.
 * Types are erased and may come from this module; values may not.
 */

export type IngestMessage =
  | { op: "open"; id: number; path: string; write: boolean; hash: boolean; direct: boolean }
  | { op: "data"; id: number; at: number; ranges: { seq: number; start: number; end: number }[]; pieces: Uint8Array[] }
  | { op: "flush"; id: number; seq: number }
  | { op: "finish"; id: number }
  | { op: "close"; id: number };

interface Range {
  seq: number;
  start: number;
  end: number;
  hash: Hash;
}

interface Job {
  id: number;
  path: string;
  write: boolean;
  direct: boolean;
  fd: number;
  dfd: number;
  next: number;
  tail: Buffer | null;
  tailAt: number;
  tailLen: number;
  pos: number;
  whole: Hash | null;
  ranges: Range[];
}

export function ingestWorkerMain(): void {
  const { parentPort } = process.getBuiltinModule("node:worker_threads");
  const { createHash } = process.getBuiltinModule("node:crypto");
  const fs = process.getBuiltinModule("node:fs");
  const os = process.getBuiltinModule("node:os");
  if (!parentPort) throw new Error("ingestWorkerMain runs in a worker thread");
  const port = parentPort;
  // On Linux the nice value is per thread: only this thread yields to the event loop.
  if (process.platform === "linux") {
    try {
      os.setPriority(5);
    } catch {
      // Not permitted here: the thread runs at the process's priority.
    }
  }
  const O_DIRECT = fs.constants.O_DIRECT || 0;
  // Direct I/O: file offsets and lengths in whole 4 KiB blocks (any device's logical block size up
  // to 4 KiB), from page-aligned memory (a WebAssembly memory's buffer starts on a page boundary).
  const BLOCK = 4096;
  const STAGE_BYTES = 2 << 20;
  let stage: Buffer | null = null;
  let stageFailed = false;
  const jobs = new Map<number, Job>();

  /** The thread's aligned stage, or null where it cannot be had (the memory reserves address space, which a limit may refuse). */
  function stageBuffer(): Buffer | null {
    if (!stage && !stageFailed) {
      try {
        stage = Buffer.from(new WebAssembly.Memory({ initial: STAGE_BYTES / 65536, maximum: STAGE_BYTES / 65536 }).buffer);
      } catch {
        stageFailed = true;
      }
    }
    return stage;
  }

  function pwriteAll(fd: number, buf: Buffer, length: number, pos: number): void {
    let done = 0;
    while (done < length) {
      const n = fs.writeSync(fd, buf, done, length - done, pos + done);
      if (n <= 0) throw new Error("no progress writing the upload file");
      done += n;
    }
  }

  function openFile(j: Job, at: number): void {
    j.fd = fs.openSync(j.path, "r+");
    j.next = at;
    j.tailLen = 0;
    if (!j.direct) return;
    try {
      j.dfd = fs.openSync(j.path, fs.constants.O_WRONLY | O_DIRECT);
    } catch {
      // A file system without direct I/O (tmpfs, some network file systems): through the page cache.
      j.direct = false;
      return;
    }
    // The block the next byte falls in is rewritten whole: its first bytes come back from the file.
    const tail = (j.tail ??= Buffer.allocUnsafe(BLOCK));
    j.tailAt = at - (at % BLOCK);
    j.tailLen = at - j.tailAt;
    let got = 0;
    while (got < j.tailLen) {
      const n = fs.readSync(j.fd, tail, got, j.tailLen - got, j.tailAt + got);
      if (n <= 0) throw new Error("the upload file is shorter than the upload's offset");
      got += n;
    }
  }

  function closeFiles(j: Job): void {
    const fds = [j.dfd, j.fd];
    j.dfd = -1;
    j.fd = -1;
    let failure: unknown = null;
    for (const fd of fds) {
      if (fd < 0) continue;
      try {
        fs.closeSync(fd);
      } catch (e) {
        failure ??= e;
      }
    }
    if (failure) throw failure;
  }

  /** This job goes on through the page cache (also after the file is opened again). */
  function dropDirect(j: Job): void {
    const dfd = j.dfd;
    j.dfd = -1;
    j.direct = false;
    fs.closeSync(dfd);
  }

  /** Whole blocks from the stage to the file; through the page cache if the file refuses direct writes. */
  function writeBlocks(j: Job, s: Buffer, length: number, pos: number): void {
    if (j.dfd >= 0) {
      try {
        pwriteAll(j.dfd, s, length, pos);
        return;
      } catch (e) {
        if (!e || (e as { code?: string }).code !== "EINVAL") throw e;
        dropDirect(j);
      }
    }
    pwriteAll(j.fd, s, length, pos);
  }

  function writeBuffered(j: Job, pieces: Uint8Array[], at: number): void {
    const list = pieces.map((p) => Buffer.from(p.buffer, p.byteOffset, p.byteLength));
    let pos = at;
    while (list.length > 0) {
      let n = fs.writevSync(j.fd, list, pos);
      if (n <= 0) throw new Error("no progress writing the upload file");
      pos += n;
      while (list.length > 0 && n >= list[0]!.length) n -= list.shift()!.length;
      if (n > 0) list[0] = list[0]!.subarray(n);
    }
    j.next = pos;
  }

  /**
   * Direct I/O: the bytes are gathered after the unwritten tail of the previous batch in a
   * page-aligned stage and written in whole blocks; what is left of a block waits for the next
   * batch, or for flush.
   */
  function writeDirect(j: Job, s: Buffer, pieces: Uint8Array[], at: number): void {
    const tail = j.tail!;
    let filled = j.tailLen;
    let base = j.tailAt;
    if (filled > 0) tail.copy(s, 0, 0, filled);
    let bytes = 0;
    for (const p of pieces) {
      let src = Buffer.from(p.buffer, p.byteOffset, p.byteLength);
      bytes += src.length;
      while (src.length > 0) {
        const n = Math.min(src.length, s.length - filled);
        src.copy(s, filled, 0, n);
        filled += n;
        src = src.subarray(n);
        if (filled === s.length) {
          writeBlocks(j, s, filled, base);
          base += filled;
          filled = 0;
        }
      }
    }
    const whole = filled - (filled % BLOCK);
    if (whole > 0) writeBlocks(j, s, whole, base);
    base += whole;
    j.next = at + bytes;
    if (j.dfd >= 0) {
      j.tailAt = base;
      j.tailLen = filled - whole;
      s.copy(tail, 0, whole, filled);
    } else {
      // Direct writes were refused meanwhile: the rest goes through the page cache now.
      pwriteAll(j.fd, s.subarray(whole), filled - whole, base);
      j.tailLen = 0;
    }
  }

  function writeAll(j: Job, pieces: Uint8Array[], at: number): void {
    if (j.fd < 0) openFile(j, at);
    if (at !== j.next) throw new Error("bytes must be written in file order");
    const s = j.dfd >= 0 ? stageBuffer() : null;
    if (j.dfd >= 0 && !s) {
      // No aligned stage on this thread: through the page cache. A tail read back is in the file already.
      j.tailLen = 0;
      dropDirect(j);
    }
    if (j.dfd >= 0 && s) writeDirect(j, s, pieces, at);
    else writeBuffered(j, pieces, at);
  }

  /** The last, partial block goes through the page cache; the thread lets go of the file. */
  function release(j: Job): void {
    try {
      if (j.fd >= 0 && j.dfd >= 0 && j.tailLen > 0) pwriteAll(j.fd, j.tail!, j.tailLen, j.tailAt);
    } finally {
      j.tailLen = 0;
      closeFiles(j);
    }
  }

  function hash(j: Job, whole: Hash, piece: Uint8Array): void {
    const bytes = Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength);
    const start = j.pos;
    const end = start + bytes.length;
    whole.update(bytes);
    for (const r of j.ranges) {
      if (r.start >= end) break;
      const s = Math.max(r.start, start);
      const e = Math.min(r.end, end);
      if (s < e) r.hash.update(bytes.subarray(s - start, e - start));
    }
    j.pos = end;
    while (j.ranges.length > 0 && j.ranges[0]!.end <= j.pos) {
      const r = j.ranges.shift()!;
      // A fresh 32-byte copy: the digest Buffer is a slice of an 8 KiB pool that a message would clone whole.
      port.postMessage({ id: j.id, seq: r.seq, digest: new Uint8Array(r.hash.digest()) });
    }
  }

  const bytesOf = (m: IngestMessage) => (m.op === "data" ? m.pieces.reduce((n, p) => n + p.byteLength, 0) : 0);

  port.on("message", (m: IngestMessage) => {
    try {
      if (m.op === "open") {
        jobs.set(m.id, {
          id: m.id,
          path: m.path,
          write: m.write,
          direct: m.direct && O_DIRECT !== 0,
          fd: -1,
          dfd: -1,
          next: 0,
          tail: null,
          tailAt: 0,
          tailLen: 0,
          pos: 0,
          whole: m.hash ? createHash("sha256") : null,
          ranges: [],
        });
        return;
      }
      const j = jobs.get(m.id);
      if (!j) {
        // Closed or failed meanwhile: still answered, so the sender's accounting stays right.
        if (m.op !== "close") port.postMessage({ id: m.id, error: "the job is closed", bytes: bytesOf(m) });
        return;
      }
      if (m.op === "data") {
        let bytes = 0;
        for (const piece of m.pieces) bytes += piece.byteLength;
        if (j.write && bytes > 0) writeAll(j, m.pieces, m.at);
        if (j.whole) {
          for (const r of m.ranges) {
            const last = j.ranges[j.ranges.length - 1];
            if (r.start < j.pos || r.end < r.start || (last && r.start < last.end))
              throw new Error("ranges must be announced in order, before their bytes");
            j.ranges.push({ seq: r.seq, start: r.start, end: r.end, hash: createHash("sha256") });
          }
          if (j.pos !== m.at) throw new Error("bytes must be hashed in file order");
          for (const piece of m.pieces) hash(j, j.whole, piece);
        }
        port.postMessage({ id: j.id, done: m.at + bytes, bytes });
      } else if (m.op === "flush") {
        release(j);
        port.postMessage({ id: j.id, flushed: m.seq });
      } else if (m.op === "finish") {
        release(j);
        jobs.delete(m.id);
        if (j.ranges.length > 0) throw new Error("the file ends inside an announced range");
        port.postMessage({ id: j.id, sha256: j.whole ? j.whole.digest("hex") : "" });
      } else {
        release(j);
        jobs.delete(m.id);
      }
    } catch (e) {
      const j = jobs.get(m.id);
      if (j) {
        try {
          closeFiles(j);
        } catch {
          // The job fails with the first error; a second one closing its files adds nothing.
        }
      }
      jobs.delete(m.id);
      port.postMessage({ id: m.id, error: String((e as { message?: string } | null)?.message || e), bytes: bytesOf(m) });
    }
  });
}
