import { bytesEqual, readU32be } from "../bytes.ts";
import { CryptoErrorCode, fail } from "../errors.ts";
import { MAGIC, RECORD_FRAME_LENGTH } from "./format.ts";

/** Pulls exact byte counts out of a stream of arbitrarily sized pieces, copying only across piece boundaries. */
export class ByteQueue {
  private readonly pieces: Uint8Array[] = [];
  private buffered = 0;
  private ended = false;
  private readonly iterator: AsyncIterator<Uint8Array>;
  consumed = 0;

  constructor(source: AsyncIterable<Uint8Array>) {
    this.iterator = source[Symbol.asyncIterator]();
  }

  /** Exactly n bytes, or null at a clean end of input; a partial read means the file was cut. */
  async read(n: number): Promise<Uint8Array | null> {
    if (n === 0) return new Uint8Array(0);
    while (this.buffered < n && !this.ended) await this.pull();
    if (this.buffered === 0 && this.ended) return null;
    if (this.buffered < n)
      fail(
        CryptoErrorCode.TRUNCATED,
        `The envelope ends in the middle of a record (at byte ${this.consumed + this.buffered}); the upload or copy is incomplete.`,
      );
    this.consumed += n;
    return this.take(n);
  }

  private async pull(): Promise<void> {
    const next = await this.iterator.next();
    if (next.done) {
      this.ended = true;
      return;
    }
    if (next.value.length > 0) {
      this.pieces.push(next.value);
      this.buffered += next.value.length;
    }
  }

  private take(n: number): Uint8Array {
    const first = this.pieces[0] as Uint8Array;
    if (first.length >= n) {
      this.pieces[0] = first.subarray(n);
      if (first.length === n) this.pieces.shift();
      this.buffered -= n;
      return first.subarray(0, n);
    }
    const out = new Uint8Array(n);
    let filled = 0;
    while (filled < n) {
      const piece = this.pieces[0] as Uint8Array;
      const take = Math.min(piece.length, n - filled);
      out.set(piece.subarray(0, take), filled);
      filled += take;
      if (take === piece.length) this.pieces.shift();
      else this.pieces[0] = piece.subarray(take);
    }
    this.buffered -= n;
    return out;
  }
}

export interface EnvelopeRecord {
  type: number;
  body: Uint8Array;
  offset: number;
}

/** Yields records after checking the magic; lengths are bounded by the caller's limit per type. */
export async function* readRecords(
  source: AsyncIterable<Uint8Array>,
  maxBody: (type: number) => number,
): AsyncGenerator<EnvelopeRecord> {
  const queue = new ByteQueue(source);
  const magic = await queue.read(MAGIC.length);
  if (!magic) fail(CryptoErrorCode.TRUNCATED, "The envelope is empty.");
  if (!bytesEqual(magic, MAGIC)) fail(CryptoErrorCode.MALFORMED, "This is not an MBSEAL v1 bid envelope (bad magic bytes).");
  for (;;) {
    const offset = queue.consumed;
    const frame = await queue.read(RECORD_FRAME_LENGTH);
    if (!frame) return;
    const type = frame[0] as number;
    const length = readU32be(frame, 1);
    if (length > maxBody(type))
      fail(CryptoErrorCode.MALFORMED, `Record of type ${type} at byte ${offset} is too long (${length} bytes).`);
    const body = await queue.read(length);
    if (!body && length > 0) fail(CryptoErrorCode.TRUNCATED, `The envelope ends inside the record at byte ${offset}.`);
    yield { type, body: body ?? new Uint8Array(0), offset };
  }
}
