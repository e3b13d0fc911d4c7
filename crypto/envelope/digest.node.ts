import { createHash } from "node:crypto";
import type { ChunkDigestFn } from "./digest-window.ts";

/**
 * Synchronous OpenSSL SHA-256 on the chunk in place: WebCrypto's digest in Node first copies the
 * chunk and allocates a job, which on a 2-core machine costs more than it overlaps.
 */
export const nodeChunkDigest: ChunkDigestFn = async (bytes) => createHash("sha256").update(bytes).digest();
