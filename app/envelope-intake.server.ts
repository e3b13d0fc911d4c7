import { createHash, type Hash } from "node:crypto";
import type { Readable } from "node:stream";
import { Transform } from "node:stream";
import { FileStore } from "@tus/file-store";
import type { Upload } from "@tus/server";
import { walkEnvelope, type EnvelopeWalk } from "../crypto/envelope/structure.ts";

const HIGH_WATER = 1 << 20;

/** A byte channel the envelope walker reads as an async iterable, with bounded buffering. */
class ByteChannel implements AsyncIterable<Uint8Array> {
  private queue: Uint8Array[] = [];
  private queued = 0;
  private ended = false;
  private closed = false;
  private wakeReader: (() => void) | null = null;
  private wakeWriters: (() => void)[] = [];

  /** Resolves once the buffer is below its high-water mark (at once if the reader has stopped). */
  async push(bytes: Uint8Array): Promise<void> {
    if (this.closed) return;
    this.queue.push(bytes);
    this.queued += bytes.length;
    this.wakeReader?.();
    while (this.queued > HIGH_WATER && !this.closed) await new Promise<void>((r) => this.wakeWriters.push(r));
  }

  end(): void {
    this.ended = true;
    this.wakeReader?.();
  }

  /** The reader gave up (malformed envelope): writers must not wait for it any more. */
  close(): void {
    this.closed = true;
    this.queue = [];
    this.queued = 0;
    for (const w of this.wakeWriters.splice(0)) w();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Uint8Array> {
    for (;;) {
      const next = this.queue.shift();
      if (next) {
        this.queued -= next.length;
        if (this.queued <= HIGH_WATER) for (const w of this.wakeWriters.splice(0)) w();
        yield next;
      } else if (this.ended) {
        return;
      } else {
        await new Promise<void>((r) => (this.wakeReader = r));
        this.wakeReader = null;
      }
    }
  }
}

/**
 * Walks and hashes an envelope while it is being uploaded, so that after the last byte only
 * the signature check remains (instead of reading the whole file again). Falls back to nothing:
 * any gap (a resumed upload after a restart, a failed write) abandons it and the caller reads
 * the file instead.
 */
export class EnvelopeIntake {
  offset = 0;
  private readonly hash: Hash = createHash("sha256");
  private readonly channel = new ByteChannel();
  private readonly walk: Promise<EnvelopeWalk>;

  constructor() {
    this.walk = walkEnvelope(this.channel);
    // A malformed envelope is reported at completion; meanwhile the upload must not stall.
    this.walk.catch(() => this.channel.close());
  }

  async accept(bytes: Uint8Array): Promise<void> {
    this.hash.update(bytes);
    this.offset += bytes.length;
    await this.channel.push(bytes);
  }

  async finish(): Promise<{ walk: EnvelopeWalk; sha256: string }> {
    this.channel.end();
    const walk = await this.walk;
    return { walk, sha256: this.hash.digest("hex") };
  }

  abandon(): void {
    this.channel.close();
    this.channel.end();
  }
}

const intakes = new Map<string, EnvelopeIntake>();

/** The completed intake of an upload whose every byte it saw, or null (read the file instead). */
export function takeIntake(uploadId: string, size: number): EnvelopeIntake | null {
  const intake = intakes.get(uploadId);
  intakes.delete(uploadId);
  if (!intake) return null;
  if (intake.offset !== size) {
    intake.abandon();
    return null;
  }
  return intake;
}

export function dropIntake(uploadId: string): void {
  intakes.get(uploadId)?.abandon();
  intakes.delete(uploadId);
}

/** tus file store that feeds every byte it writes, in order, to the upload's intake. */
export class IntakeFileStore extends FileStore {
  override async create(upload: Upload): Promise<Upload> {
    const created = await super.create(upload);
    intakes.set(upload.id, new EnvelopeIntake());
    return created;
  }

  override async write(readable: Readable, id: string, offset: number): Promise<number> {
    const intake = intakes.get(id);
    if (!intake || intake.offset !== offset) {
      dropIntake(id);
      return super.write(readable, id, offset);
    }
    const tee = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        intake.accept(chunk).then(() => callback(null, chunk), callback);
      },
    });
    readable.on("error", (error) => tee.destroy(error));
    return super.write(readable.pipe(tee), id, offset);
  }
}
