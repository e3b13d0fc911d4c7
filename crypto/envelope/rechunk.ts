export interface PlainChunk {
  data: Uint8Array;
  final: boolean;
}

/**
 * Cut an arbitrary byte stream into chunkSize pieces, holding one chunk back so the last one
 * can carry the final flag. An empty file yields one empty final chunk. Pieces that already
 * are exactly one chunk pass through without a copy.
 */
export async function* rechunk(source: AsyncIterable<Uint8Array>, chunkSize: number): AsyncGenerator<PlainChunk> {
  let pending: Uint8Array | null = null;
  let fill: Uint8Array = new Uint8Array(chunkSize);
  let filled = 0;
  for await (const piece of source) {
    let offset = 0;
    while (offset < piece.length) {
      let full: Uint8Array | null = null;
      if (filled === 0 && piece.length - offset >= chunkSize) {
        full = piece.subarray(offset, offset + chunkSize);
        offset += chunkSize;
      } else {
        const take = Math.min(chunkSize - filled, piece.length - offset);
        fill.set(piece.subarray(offset, offset + take), filled);
        filled += take;
        offset += take;
        if (filled === chunkSize) {
          full = fill;
          fill = new Uint8Array(chunkSize);
          filled = 0;
        }
      }
      if (full) {
        if (pending) yield { data: pending, final: false };
        pending = full;
      }
    }
  }
  if (filled > 0) {
    if (pending) yield { data: pending, final: false };
    yield { data: fill.subarray(0, filled), final: true };
  } else {
    yield { data: pending ?? new Uint8Array(0), final: true };
  }
}
