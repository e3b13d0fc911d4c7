import { concatBytes, toHex } from "../bytes.ts";
import { sha256Async } from "../hash.ts";

/** SHA-256 of one chunk; WebCrypto by default, node:crypto's createHash in Node (digest.node.ts). */
export type ChunkDigestFn = (bytes: Uint8Array) => Promise<Uint8Array>;

/**
 * Chunk digests computed concurrently with the cipher (WebCrypto digests run on Node's thread
 * pool), with at most `window` in flight so memory stays bounded whatever the file size.
 */
export class ChunkDigests {
  private readonly inFlight: Promise<Uint8Array>[] = [];
  private readonly done: Uint8Array[] = [];

  constructor(
    private readonly digest: ChunkDigestFn = sha256Async,
    private readonly window = 4,
  ) {}

  add(sealedChunk: Uint8Array): Promise<void> {
    return this.addDigest(this.digest(sealedChunk));
  }

  /** Starts this window's digest of a chunk without adding it. */
  digestOf(sealedChunk: Uint8Array): Promise<Uint8Array> {
    return this.digest(sealedChunk);
  }

  /** A digest the cipher already computes (thread pool): the next in order. */
  async addDigest(digest: Promise<Uint8Array>): Promise<void> {
    // A failure waiting in the window is reported when its turn comes, not as an unhandled rejection.
    digest.catch(() => undefined);
    this.inFlight.push(digest);
    if (this.inFlight.length > this.window) this.done.push(await (this.inFlight.shift() as Promise<Uint8Array>));
  }

  get count(): number {
    return this.inFlight.length + this.done.length;
  }

  /** SHA-256 over the concatenated chunk digests, hex: the manifest's ciphertextDigest. */
  async finish(): Promise<string> {
    this.done.push(...(await Promise.all(this.inFlight.splice(0))));
    return toHex(await sha256Async(concatBytes(this.done)));
  }
}
