import { mkdir } from "node:fs/promises";
import { fromBase64, fromHex, fromUtf8 } from "../bytes.ts";
import { GENESIS_HASH, verifyAuditChain, type AuditEntry } from "../audit/chain.ts";
import { isAuditExport, type AuditExport } from "../audit/export.ts";
import { certsFromPemBundle } from "../pki/pem.ts";
import { verifyCheckpoint } from "../audit/checkpoint.ts";
import { verifyCms } from "../cms/verify.ts";
import { openEnvelopeToDirectory, verifyEnvelopeFile } from "../envelope/files.node.ts";
import type { VerifiedEnvelope } from "../envelope/verify.ts";
import { CryptoErrorCode, fail, isCryptoError } from "../errors.ts";
import { sha256 } from "../hash.ts";
import { describeName } from "../pki/names.ts";
import { importP12 } from "../pki/p12.ts";
import { verifyTimestamp } from "../tsa/verify.ts";
import {
  atTime,
  loadTrust,
  optStr,
  password,
  readBytes,
  readDerOrPem,
  readText,
  say,
  str,
  UsageError,
  type Flags,
} from "./io.ts";

function reportEnvelope(v: VerifiedEnvelope): void {
  say(`OK envelope ${v.manifest.envelopeId} for tender ${v.manifest.tenderId}`);
  say(
    `   sealed by ${describeName(v.signer.subject)} (cert ${v.signer.serialNumber}), signed ${v.signingTime?.toISOString() ?? "?"}`,
  );
  for (const f of v.manifest.files) say(`   file ${f.index}: ${f.name}, ${f.size} bytes, ${f.chunks} chunk(s)`);
  say(`   manifest sha256 ${v.manifestDigest}`);
}

export async function verifyEnvelopeCommand(flags: Flags): Promise<void> {
  const v = await verifyEnvelopeFile(str(flags, "in"), {
    trust: await loadTrust(flags),
    at: atTime(flags),
    expectedTenderId: optStr(flags, "tender"),
  });
  reportEnvelope(v);
}

export async function openEnvelopeCommand(flags: Flags): Promise<void> {
  const p12 = importP12(await readBytes(str(flags, "p12")), password(flags));
  const out = str(flags, "out");
  await mkdir(out, { recursive: true });
  const opened = await openEnvelopeToDirectory(str(flags, "in"), out, {
    trust: await loadTrust(flags),
    at: atTime(flags),
    recipientKey: p12.privateKey,
  });
  reportEnvelope(opened.verified);
  for (const f of opened.files) say(`   wrote ${f}`);
}

export async function verifySignatureCommand(flags: Flags): Promise<void> {
  const der = await readDerOrPem(str(flags, "in"), "CMS");
  const content = optStr(flags, "content") ? await readBytes(str(flags, "content")) : undefined;
  const v = verifyCms({ der, detachedContent: content, trust: await loadTrust(flags), at: atTime(flags) });
  say(
    `OK signature by ${describeName(v.signer.subject)} (cert ${v.signer.serialNumber}), signing time ${v.signingTime?.toISOString() ?? "not stated"}`,
  );
}

export async function verifyTimestampCommand(flags: Flags): Promise<void> {
  const digest = optStr(flags, "digest")
    ? fromHex(str(flags, "digest"))
    : optStr(flags, "data")
      ? sha256(await readBytes(str(flags, "data")))
      : undefined;
  if (!digest) throw new UsageError("give --data <file> or --digest <sha256 hex>");
  const v = verifyTimestamp({ der: await readBytes(str(flags, "in")), digest, trust: await loadTrust(flags) });
  say(`OK timestamp serial ${v.serial} at ${v.genTime.toISOString()} by ${describeName(v.tsa.subject)} (policy ${v.policy})`);
}

/** An export (`npm run audit:export`), or bare entries as a JSON array or JSON lines. */
async function readAudit(file: string): Promise<{ entries: AuditEntry[]; exported?: AuditExport }> {
  const text = (await readText(file)).trim();
  const jsonLines = () =>
    text
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as unknown);
  let parsed: unknown;
  try {
    // One JSON document (an export or an array), else JSON lines (which also start with "{").
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      if (!text.startsWith("{")) throw e;
      parsed = jsonLines();
    }
  } catch (e) {
    fail(CryptoErrorCode.BAD_INPUT, `${file} is not JSON or JSON lines: ${(e as Error).message}`);
  }
  if (isAuditExport(parsed)) return { entries: parsed.entries, exported: parsed };
  // A single line of JSON lines is one entry.
  if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) && "hash" in parsed)
    return { entries: [parsed as AuditEntry] };
  if (!Array.isArray(parsed))
    fail(CryptoErrorCode.BAD_INPUT, `${file} is neither an audit export (MB-AUDIT-EXPORT) nor a list of entries.`);
  return { entries: parsed as AuditEntry[] };
}

export async function verifyAuditCommand(flags: Flags): Promise<void> {
  const { entries, exported } = await readAudit(str(flags, "in"));
  // An export starts at its firstSeq with the genesis hash: removing the first entries shows.
  const anchor = exported ? { seq: exported.firstSeq - 1, hash: GENESIS_HASH } : undefined;
  const verdict = verifyAuditChain(entries, anchor);
  if (!verdict.ok)
    fail(
      CryptoErrorCode.AUDIT_BROKEN,
      `Audit chain broken at entry #${verdict.firstBrokenSeq} (position ${verdict.index}): ${verdict.reason}.`,
    );
  say(`OK audit chain of ${verdict.length} entries, head ${verdict.headHash}`);
  if (exported) await verifyExportedCheckpoints(exported, flags);
  if (optStr(flags, "checkpoint")) {
    const checkpoint = await readBytes(str(flags, "checkpoint"));
    const signature = await readDerOrPem(str(flags, "signature"), "CMS");
    const cp = verifyCheckpoint({ checkpoint, signature }, entries, await loadTrust(flags), atTime(flags));
    say(`OK signed checkpoint at #${cp.seq} (${cp.at}) matches: ${fromUtf8(checkpoint).length} bytes`);
  }
}

/**
 * Every signed checkpoint in the export, against the root given with --ca (never one from the
 * export). Each signature is checked at the time it states unless --at says otherwise.
 */
async function verifyExportedCheckpoints(exported: AuditExport, flags: Flags): Promise<void> {
  if (exported.checkpoints.length === 0) {
    say("WARNING the export holds no signed checkpoint: the chain is consistent, but nothing signed pins it");
    return;
  }
  const given = await loadTrust(flags);
  const trust = {
    ...given,
    intermediates: [...(given.intermediates ?? []), ...exported.certificates.flatMap((pem) => certsFromPemBundle(pem))],
    crls: [...(given.crls ?? []), ...exported.crls.map((b64) => fromBase64(b64))],
  };
  const at = optStr(flags, "at") ? atTime(flags) : "signing-time";
  let last = 0;
  for (const [i, c] of exported.checkpoints.entries()) {
    let cp;
    try {
      cp = verifyCheckpoint(
        { checkpoint: fromBase64(c.checkpoint), signature: fromBase64(c.signature) },
        exported.entries,
        trust,
        at,
      );
    } catch (e) {
      if (isCryptoError(e)) fail(e.code, `Signed checkpoint ${i + 1} of ${exported.checkpoints.length}: ${e.message}`);
      throw e;
    }
    if (cp.log !== exported.log)
      fail(CryptoErrorCode.AUDIT_BROKEN, `Signed checkpoint ${i + 1} is of the log "${cp.log}", not "${exported.log}".`);
    last = Math.max(last, cp.seq);
  }
  say(`OK ${exported.checkpoints.length} signed checkpoints verify against the root, the latest at #${last}`);
  const unpinned = Number(exported.entries.at(-1)?.seq ?? 0) - last;
  if (unpinned > 0) say(`   ${unpinned} entries after #${last} are not yet covered by a signed checkpoint`);
}
