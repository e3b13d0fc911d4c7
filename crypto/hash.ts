import forge from "node-forge";
import { fromBinary, ownBuffer, toBinary } from "./bytes.ts";

/** Synchronous SHA-256 for small inputs (certificates, manifests, audit entries). */
export function sha256(bytes: Uint8Array): Uint8Array {
  const md = forge.md.sha256.create();
  md.update(toBinary(bytes));
  return fromBinary(md.digest().getBytes());
}

/** SHA-256 through WebCrypto: runs off the main thread in Node, native in the browser. */
export async function sha256Async(bytes: Uint8Array): Promise<Uint8Array> {
  const view = bytes.buffer instanceof ArrayBuffer ? (bytes as Uint8Array<ArrayBuffer>) : ownBuffer(bytes);
  return new Uint8Array(await globalThis.crypto.subtle.digest("SHA-256", view));
}
