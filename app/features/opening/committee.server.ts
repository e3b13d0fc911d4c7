import path from "node:path";
import { readdir } from "node:fs/promises";
import { db } from "../../platform/db.server.ts";
import { env } from "../../platform/env.server.ts";

export interface OpenedBidForCommittee {
  openingBidId: string;
  bidId: string;
  bidVersionId: string;
  organizationId: string;
  bidderName: string;
  seq: number;
  readOut: Record<string, string>;
  /** Absolute paths of the decrypted documents (the first is the 唱标 form). */
  documents: string[];
}

/**
 * For the evaluation committee only (expert draw / evaluation room build on it): the tender's
 * opened bids with their read-out items and plaintext documents. No route exposes it; the
 * caller must have checked that the person sits on the tender's committee. Collusion indicators
 * computed at the opening come with it, for the committee only.
 */
export async function openedBidsForCommittee(tenderId: string): Promise<{ bids: OpenedBidForCommittee[]; collusion: unknown }> {
  const session = await db().openingSession.findUnique({
    where: { tenderId },
    select: {
      step: true,
      collusion: true,
      bids: {
        where: { status: "OPENED" },
        orderBy: { seq: "asc" },
        select: { id: true, bidId: true, bidVersionId: true, organizationId: true, seq: true, readOut: true, plaintextDir: true },
      },
    },
  });
  if (!session || session.step !== "CLOSED") return { bids: [], collusion: [] };
  const orgs = await db().organization.findMany({
    where: { id: { in: session.bids.map((b) => b.organizationId) } },
    select: { id: true, name: true },
  });
  const root = path.resolve(env().BIDS_DIR);
  const bids = [];
  for (const b of session.bids) {
    const dir = b.plaintextDir ? path.join(root, b.plaintextDir) : null;
    const documents = dir
      ? (await readdir(dir))
          .filter((f) => !f.startsWith("."))
          .sort()
          .map((f) => path.join(dir, f))
      : [];
    bids.push({
      openingBidId: b.id,
      bidId: b.bidId,
      bidVersionId: b.bidVersionId,
      organizationId: b.organizationId,
      bidderName: orgs.find((o) => o.id === b.organizationId)?.name ?? "",
      seq: b.seq,
      readOut: (b.readOut ?? {}) as Record<string, string>,
      documents,
    });
  }
  return { bids, collusion: session.collusion ?? [] };
}
