import { concatBytes } from "../bytes.ts";
import { DEFAULT_CHUNK_SIZE } from "./format.ts";

/** Browser-safe byte sources and sinks for sealing and opening. */

/** Read a File/Blob in slices: only one slice is in memory at a time. */
export async function* blobSource(blob: Blob, sliceSize = DEFAULT_CHUNK_SIZE): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < blob.size; offset += sliceSize) {
    yield new Uint8Array(await blob.slice(offset, offset + sliceSize).arrayBuffer());
  }
}

export async function* bytesSource(bytes: Uint8Array, pieceSize = 64 * 1024): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < bytes.length; offset += pieceSize) yield bytes.subarray(offset, offset + pieceSize);
}

export async function* readableSource(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

/** A pull-driven stream: the generator advances only as fast as the consumer (upload) reads. */
export function toReadableStream(source: AsyncIterator<Uint8Array, unknown>): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await source.next();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
    async cancel() {
      await source.return?.(undefined);
    },
  });
}

/** Drain a generator into memory (tests, small envelopes) and keep its return value. */
export async function collect<R>(gen: AsyncGenerator<Uint8Array, R>): Promise<{ bytes: Uint8Array; result: R }> {
  const parts: Uint8Array[] = [];
  for (;;) {
    const next = await gen.next();
    if (next.done) return { bytes: concatBytes(parts), result: next.value };
    parts.push(next.value);
  }
}
