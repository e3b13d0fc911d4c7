import { mkdir } from "node:fs/promises";
import { fromHex, fromUtf8 } from "../bytes.ts";
import { verifyAuditChain, type AuditEntry } from "../audit/chain.ts";
import { verifyCheckpoint } from "../audit/checkpoint.ts";
import { verifyCms } from "../cms/verify.ts";
import { openEnvelopeToDirectory, verifyEnvelopeFile } from "../envelope/files.node.ts";
import type { VerifiedEnvelope } from "../envelope/verify.ts";
import { CryptoErrorCode, fail } from "../errors.ts";
import { sha256 } from "../hash.ts";
import { describeName } from "../pki/names.ts";
import { importP12 } from "../pki/p12.ts";
import { verifyTimestamp } from "../tsa/verify.ts";
import { atTime, loadTrust, optStr, password, readBytes, readDerOrPem, readText, say, str, UsageError, type Flags } from "./io.ts";

function reportEnvelope(v: VerifiedEnvelope): void {
  say(`OK envelope ${v.manifest.envelopeId} for tender ${v.manifest.tenderId}`);
  say(`   sealed by ${describeName(v.signer.subject)} (cert ${v.signer.serialNumber}), signed ${v.signingTime?.toISOString() ?? "?"}`);
  for (const f of v.manifest.files) say(`   file ${f.index}: ${f.name}, ${f.size} bytes, ${f.chunks} chunk(s)`);
  say(`   manifest sha256 ${v.manifestDigest}`);
}

export async function verifyEnvelopeCommand(flags: Flags): Promise<void> {
  const v = await verifyEnvelopeFile(str(flags, "in"), { trust: await loadTrust(flags), at: atTime(flags), expectedTenderId: optStr(flags, "tender") });
  reportEnvelope(v);
}

export async function openEnvelopeCommand(flags: Flags): Promise<void> {
  const p12 = importP12(await readBytes(str(flags, "p12")), password(flags));
  const out = str(flags, "out");
  await mkdir(out, { recursive: true });
  const opened = await openEnvelopeToDirectory(str(flags, "in"), out, { trust: await loadTrust(flags), at: atTime(flags), recipientKey: p12.privateKey });
  reportEnvelope(opened.verified);
  for (const f of opened.files) say(`   wrote ${f}`);
}

export async function verifySignatureCommand(flags: Flags): Promise<void> {
  const der = await readDerOrPem(str(flags, "in"), "CMS");
  const content = optStr(flags, "content") ? await readBytes(str(flags, "content")) : undefined;
  const v = verifyCms({ der, detachedContent: content, trust: await loadTrust(flags), at: atTime(flags) });
  say(`OK signature by ${describeName(v.signer.subject)} (cert ${v.signer.serialNumber}), signing time ${v.signingTime?.toISOString() ?? "not stated"}`);
}

export async function verifyTimestampCommand(flags: Flags): Promise<void> {
  const digest = optStr(flags, "digest") ? fromHex(str(flags, "digest")) : optStr(flags, "data") ? sha256(await readBytes(str(flags, "data"))) : undefined;
  if (!digest) throw new UsageError("give --data <file> or --digest <sha256 hex>");
  const v = verifyTimestamp({ der: await readBytes(str(flags, "in")), digest, trust: await loadTrust(flags) });
  say(`OK timestamp serial ${v.serial} at ${v.genTime.toISOString()} by ${describeName(v.tsa.subject)} (policy ${v.policy})`);
}

/** Entries as a JSON array or JSON lines, as the app exports them. */
async function readEntries(file: string): Promise<AuditEntry[]> {
  const text = (await readText(file)).trim();
  try {
    return (text.startsWith("[") ? JSON.parse(text) : text.split("\n").filter(Boolean).map((l) => JSON.parse(l))) as AuditEntry[];
  } catch (e) {
    fail(CryptoErrorCode.BAD_INPUT, `${file} is not JSON or JSON lines: ${(e as Error).message}`);
  }
}

export async function verifyAuditCommand(flags: Flags): Promise<void> {
  const entries = await readEntries(str(flags, "in"));
  const verdict = verifyAuditChain(entries);
  if (!verdict.ok) fail(CryptoErrorCode.AUDIT_BROKEN, `Audit chain broken at entry #${verdict.firstBrokenSeq} (position ${verdict.index}): ${verdict.reason}.`);
  say(`OK audit chain of ${verdict.length} entries, head ${verdict.headHash}`);
  if (optStr(flags, "checkpoint")) {
    const checkpoint = await readBytes(str(flags, "checkpoint"));
    const signature = await readDerOrPem(str(flags, "signature"), "CMS");
    const cp = verifyCheckpoint({ checkpoint, signature }, entries, await loadTrust(flags), atTime(flags));
    say(`OK signed checkpoint at #${cp.seq} (${cp.at}) matches: ${fromUtf8(checkpoint).length} bytes`);
  }
}
