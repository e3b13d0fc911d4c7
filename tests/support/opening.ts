// A tender whose deadline has passed with sealed bids on record, as the upload path leaves them:
// envelope files under BIDS_DIR and bid / bid_version rows. The tests drive the hall from there.
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { db } from "~/platform/db.server.ts";
import { env } from "~/platform/env.server.ts";
import type { SessionUser } from "~/platform/auth/auth.server.ts";
import { createBidder, createOpenTender, sealTestBid, type TestBidder, type TestTender } from "./bidder.ts";

export interface HallBidder extends TestBidder {
  user: SessionUser;
  price: string;
}

export interface HallFixture {
  tender: TestTender;
  bidders: HallBidder[];
  host: SessionUser;
}

export async function sessionUserOf(where: { organizationId?: string; id?: string; role?: "EXPERT" }): Promise<SessionUser> {
  const u = await db().user.findFirstOrThrow({ where, select: { id: true, email: true, name: true, role: true, organizationId: true, organization: { select: { name: true } } } });
  return { id: u.id, email: u.email, name: u.name, role: u.role, organizationId: u.organizationId, organizationName: u.organization?.name ?? null };
}

/** `count` bidders each with one sealed bid; the tender closed for bidding a moment ago. */
export async function closedTenderWithBids(count: number): Promise<HallFixture> {
  const tender = await createOpenTender(60_000);
  const bidders: HallBidder[] = [];
  for (let i = 0; i < count; i++) {
    const bidder = await createBidder();
    const price = `${1_000_000 + i * 12_345}.00`;
    const dir = path.join(path.resolve(env().BIDS_DIR), tender.id);
    fs.mkdirSync(dir, { recursive: true });
    const tmp = path.join(dir, `tmp-${i}.mbseal`);
    await sealTestBid(tmp, { bidder, tender, readOut: { price }, document: new Uint8Array(200_000).fill(i + 1) });
    const bytes = fs.readFileSync(tmp);
    const sha = createHash("sha256").update(bytes).digest("hex");
    const storageKey = path.join(tender.id, `${sha}.mbseal`);
    fs.renameSync(tmp, path.join(path.resolve(env().BIDS_DIR), storageKey));
    const user = await sessionUserOf({ organizationId: bidder.organizationId });
    const cert = await db().certificate.findFirstOrThrow({ where: { organizationId: bidder.organizationId, usage: "SIGNING" }, select: { id: true } });
    await db().bid.create({
      data: {
        tenderId: tender.id, organizationId: bidder.organizationId,
        versions: {
          create: {
            number: 1, submittedById: user.id, envelopeSha256: sha, sizeBytes: BigInt(bytes.length), storageKey, manifest: {}, signerCertificateId: cert.id,
            receivedAt: new Date(), receipt: {}, timestampToken: Buffer.from([0]), ip: `10.0.0.${i + 1}`,
          },
        },
      },
    });
    bidders.push({ ...bidder, user, price });
  }
  const t = await db().tender.update({ where: { id: tender.id }, data: { status: "BIDDING_CLOSED", bidDeadline: new Date() }, select: { createdById: true } });
  return { tender, bidders, host: await sessionUserOf({ id: t.createdById }) };
}
