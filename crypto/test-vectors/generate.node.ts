/**
 * Regenerates envelope-v1.json. Run only when the format changes (it never should for v1):
 *   npx tsx crypto/test-vectors/generate.node.ts
 */
import { writeFile } from "node:fs/promises";
import { toHex, fromUtf8 } from "../bytes.ts";
import { nodeCipher } from "../envelope/cipher.node.ts";
import { keyWrapRecord } from "../envelope/key-wrap.ts";
import { bytesSource, collect } from "../envelope/sources.ts";
import { sealEnvelope } from "../envelope/writer.ts";
import { sha256 } from "../hash.ts";
import { privateKeyToPkcs8 } from "../pki/keys.ts";
import { parseManifest } from "../envelope/manifest.ts";
import { splitRecords } from "../testing/envelope-surgery.ts";
import { RecordType } from "../envelope/format.ts";
import { createEnvelopeFixture } from "../testing/bidder-fixture.node.ts";
import { extractVectorParts, vectorPlaintext, type EnvelopeVector } from "./vector.ts";

const fx = await createEnvelopeFixture();
const contentKey = Uint8Array.from({ length: 32 }, (_, i) => i);
const envelopeId = Uint8Array.from({ length: 16 }, (_, i) => 0xa0 + i);
const files = [
  { name: "投标函.pdf", plaintext: vectorPlaintext(2600, 7) },
  { name: "empty.txt", plaintext: new Uint8Array(0) },
  { name: "报价.xlsx", plaintext: vectorPlaintext(1024, 3) },
];
const recipients = [keyWrapRecord("bidder", fx.encryption.keys.publicKey, fx.encryption.cert.serialNumber, contentKey)];
const { bytes } = await collect(
  sealEnvelope({
    tenderId: "VECTOR-T-1",
    files: files.map((f) => ({ name: f.name, data: bytesSource(f.plaintext, 333) })),
    bidderEncryptionCert: fx.encryption.cert,
    escrow: { publicKey: fx.escrow.publicKey, serial: "unused" },
    signer: fx.signer,
    now: new Date("2026-11-21T08:00:00.000Z"),
    cipher: nodeCipher,
    chunkSize: 1024,
    deterministic: { contentKey, envelopeId, recipients },
  }),
);
const parts = extractVectorParts(bytes);
const manifestBody = splitRecords(bytes).find((r) => r.type === RecordType.MANIFEST)?.body ?? new Uint8Array(0);
const vector: EnvelopeVector = {
  description:
    "MBSEAL v1, fixed content key and envelope id; nonces are derived (format §5). The bidder record wraps the content key to recipientPrivateKeyPkcs8 (RSA-OAEP-SHA256; OAEP is randomised, so the wrapped value is only checked by unwrapping).",
  contentKey: toHex(contentKey),
  envelopeId: toHex(envelopeId),
  tenderId: "VECTOR-T-1",
  createdAt: "2026-11-21T08:00:00.000Z",
  chunkSize: 1024,
  recipients,
  recipientPrivateKeyPkcs8: toHex(privateKeyToPkcs8(fx.encryption.key)),
  files: files.map((f) => ({ name: f.name, plaintext: toHex(f.plaintext) })),
  expected: {
    header: fromUtf8(parts.header),
    headerDigest: toHex(sha256(parts.header)),
    chunkRecords: parts.chunkRecords.map(toHex),
    manifestFiles: parseManifest(manifestBody).files,
    bodyDigest: toHex(sha256(parts.body)),
  },
};
await writeFile(new URL("./envelope-v1.json", import.meta.url), JSON.stringify(vector, null, 2) + "\n");
console.log(`wrote envelope-v1.json (${parts.chunkRecords.length} chunk records)`);
