import { CryptoErrorCode, fail } from "../errors.ts";
import type { PrivateKey } from "../pki/keys.ts";
import type { ContentCipher, ContentCipherFactory } from "./cipher.ts";
import { chunkAad, chunkNonce } from "./format.ts";
import type { EnvelopeHeader } from "./header.ts";
import { unwrapContentKey } from "./key-wrap.ts";
import type { ChunkView } from "./structure.ts";
import { walkAndCheck, type VerifiedEnvelope, type VerifyEnvelopeOptions } from "./verify.ts";

export interface OpenEnvelopeOptions extends VerifyEnvelopeOptions {
  /** The bidder's encryption private key (from its P12) or the reconstructed escrow key. */
  recipientKey: PrivateKey;
  cipher: ContentCipherFactory;
  /**
   * Receives plaintext in order. It is provisional until openEnvelope resolves: a later chunk,
   * the manifest or the signature can still fail, and the caller must then discard it.
   */
  onData(fileIndex: number, plaintext: Uint8Array): Promise<void> | void;
}

/** Chunks being decrypted at once; plaintext is still delivered in order. */
const OPEN_WINDOW = 4;

interface InFlightPlain {
  fileIndex: number;
  plain: Promise<Uint8Array>;
}

/** Decrypt and fully verify an envelope (tags, order, ciphertext digests, signature, chain). */
export async function openEnvelope(source: AsyncIterable<Uint8Array>, options: OpenEnvelopeOptions): Promise<VerifiedEnvelope> {
  let cipher: ContentCipher | null = null;
  const inFlight: InFlightPlain[] = [];
  const deliver = async (c: InFlightPlain) => options.onData(c.fileIndex, await c.plain);
  const drain = async () => {
    while (inFlight.length > 0) await deliver(inFlight.shift() as InFlightPlain);
  };
  try {
    return await walkAndCheck(source, options, {
      async onHeader(header: EnvelopeHeader) {
        const key = unwrapContentKey(header, options.recipientKey);
        cipher = await options.cipher(key);
        key.fill(0);
      },
      async onChunk(chunk: ChunkView, _header: EnvelopeHeader, headerDigest: Uint8Array) {
        if (!cipher) fail(CryptoErrorCode.MALFORMED, "A chunk came before the header.");
        const where = `Chunk ${chunk.chunkIndex} of file ${chunk.fileIndex} (byte ${chunk.offset})`;
        const aad = chunkAad(headerDigest, chunk.fileIndex, chunk.chunkIndex, chunk.final);
        const nonce = chunkNonce(chunk.fileIndex, chunk.chunkIndex);
        let digest: Promise<Uint8Array> | undefined;
        let plain: Promise<Uint8Array>;
        if (cipher.openAndDigest) {
          const both = cipher.openAndDigest(nonce, aad, chunk.sealed, where);
          plain = both.then((b) => b.bytes);
          digest = both.then((b) => b.digest);
          digest.catch(() => undefined);
        } else {
          plain = cipher.open(nonce, aad, chunk.sealed, where);
        }
        plain.catch(() => undefined);
        inFlight.push({ fileIndex: chunk.fileIndex, plain });
        if (inFlight.length >= OPEN_WINDOW) await deliver(inFlight.shift() as InFlightPlain);
        return digest ? { digest } : undefined;
      },
      onChunksDone: drain,
    });
  } finally {
    inFlight.length = 0;
  }
}
