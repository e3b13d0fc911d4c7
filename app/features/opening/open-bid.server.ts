import { mkdir, readFile, rm } from "node:fs/promises";
import path from "node:path";
import { openEnvelopeToDirectory, type PrivateKey } from "../../../crypto/index.node.ts";
import { db } from "../../platform/db.server.ts";
import { env } from "../../platform/env.server.ts";
import { platformCrls, trustStore } from "../pki/index.ts";

export function bidsRoot(): string {
  return path.resolve(env().BIDS_DIR);
}

/**
 * Opens one bid's envelope (crypto's positioned opener on threads: every chunk tag, the manifest,
 * the signature and chain at the time of receipt) into BIDS_DIR/<tender>/opened/<bid>/, with the
 * bidder's content key or the rebuilt escrow key. Throws the crypto error when anything fails;
 * nothing is left on disk then.
 */
export async function openBidEnvelope(
  tenderId: string,
  openingBidId: string,
  key: { contentKey: Uint8Array } | { recipientKey: PrivateKey },
): Promise<{ files: string[]; readOut: Record<string, string>; plaintextDir: string }> {
  const bid = await db().openingBid.findUniqueOrThrow({ where: { id: openingBidId }, select: { bidVersionId: true } });
  const version = await db().bidVersion.findUniqueOrThrow({
    where: { id: bid.bidVersionId },
    select: { storageKey: true, receivedAt: true },
  });
  const outDir = path.join(bidsRoot(), tenderId, "opened", openingBidId);
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true, mode: 0o700 });
  try {
    const opened = await openEnvelopeToDirectory(path.join(bidsRoot(), version.storageKey), outDir, {
      ...key,
      trust: await trustStore(await platformCrls()),
      at: version.receivedAt,
      expectedTenderId: tenderId,
    });
    return { files: opened.files, readOut: await readOutOf(opened.files[0]), plaintextDir: path.relative(bidsRoot(), outDir) };
  } catch (error) {
    await rm(outDir, { recursive: true, force: true });
    throw error;
  }
}

/** The 唱标 form sealed as the envelope's first file: `{ tenderId, readOut }` (or the bare map). */
async function readOutOf(file: string | undefined): Promise<Record<string, string>> {
  if (!file) return {};
  try {
    const parsed = JSON.parse(await readFile(file, "utf8")) as unknown;
    const map = parsed && typeof parsed === "object" && "readOut" in parsed ? (parsed as { readOut: unknown }).readOut : parsed;
    if (!map || typeof map !== "object") return {};
    return Object.fromEntries(
      Object.entries(map as Record<string, unknown>)
        .filter(([, v]) => typeof v === "string")
        .map(([k, v]) => [k, String(v).slice(0, 500)]),
    );
  } catch {
    return {};
  }
}
