import { z } from "zod";
import type { SessionUser } from "../../platform/auth/auth.server.ts";
import { bidContext } from "./bids.server.ts";
import { db } from "../../platform/db.server.ts";
import { platformPki } from "../pki/index.ts";
import { certToPem } from "../../../crypto/index.node.ts";
import * as clock from "../../platform/clock.server.ts";

/** A 唱标 item the tender asks every bidder to state. */
export const ReadOutItemSchema = z.object({
  key: z.string().min(1).max(40),
  label: z.string().min(1).max(60),
  kind: z.enum(["money", "days", "text"]),
});
export type ReadOutItem = z.infer<typeof ReadOutItemSchema>;

const DEFAULT_READ_OUT: ReadOutItem[] = [{ key: "price", label: "投标报价（元）", kind: "money" }];

/** What the bid page shows: the tender, why bidding is (not) possible, and this bidder's versions. */
export async function bidPageData(user: SessionUser, tenderId: string) {
  if (!z.string().uuid().safeParse(tenderId).success) return null;
  const tender = await db().tender.findUnique({
    where: { id: tenderId },
    select: { id: true, code: true, title: true, status: true, bidDeadline: true, readOutItems: true },
  });
  if (!tender) return null;
  const now = clock.now();
  const context = await bidContext(user, tenderId, now, { createEscrow: true });
  const parsedItems = z.array(ReadOutItemSchema).safeParse(tender.readOutItems);
  const readOutItems = parsedItems.success && parsedItems.data.length > 0 ? parsedItems.data : DEFAULT_READ_OUT;
  const bid = user.organizationId
    ? await db().bid.findUnique({
        where: { tenderId_organizationId: { tenderId, organizationId: user.organizationId } },
        select: {
          status: true,
          withdrawnAt: true,
          versions: {
            orderBy: { number: "desc" },
            select: { id: true, number: true, receivedAt: true, envelopeSha256: true, sizeBytes: true },
          },
        },
      })
    : null;
  const pki = context.ok ? await platformPki() : null;
  return {
    serverTime: now.toISOString(),
    tender: {
      id: tender.id,
      code: tender.code,
      title: tender.title,
      status: tender.status,
      bidDeadline: tender.bidDeadline?.toISOString() ?? null,
      readOutItems,
    },
    refusal: context.ok ? null : context.refusal,
    sealing:
      context.ok && pki
        ? {
            encryptionCertPem: context.value.encryptionCert.pem,
            signingSerial: context.value.signingCert.serialNumber,
            escrow: context.value.escrow,
            chainPem: [certToPem(pki.issuing.cert), certToPem(pki.root.cert)],
          }
        : null,
    bid: bid
      ? {
          status: bid.status,
          withdrawnAt: bid.withdrawnAt?.toISOString() ?? null,
          versions: bid.versions.map((v) => ({
            ...v,
            receivedAt: v.receivedAt.toISOString(),
            sizeBytes: v.sizeBytes.toString(),
          })),
        }
      : null,
  };
}
