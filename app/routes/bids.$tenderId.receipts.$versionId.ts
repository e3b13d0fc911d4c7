import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { requireUser } from "~/platform/auth/auth.server.ts";
import { db } from "~/platform/db.server.ts";

/** A bidder downloads its own receipt (statement, platform signature, RFC 3161 token) as JSON. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, ["BIDDER"]);
  const ids = z.object({ tenderId: z.string().uuid(), versionId: z.string().uuid() }).safeParse(params);
  if (!ids.success || !user.organizationId) throw new Response("Not Found", { status: 404 });
  const version = await db().bidVersion.findFirst({
    where: { id: ids.data.versionId, bid: { tenderId: ids.data.tenderId, organizationId: user.organizationId } },
    select: { number: true, receipt: true, bid: { select: { tender: { select: { code: true } } } } },
  });
  if (!version) throw new Response("Not Found", { status: 404 });
  const name = `receipt-${version.bid.tender.code}-v${version.number}.json`;
  return new Response(JSON.stringify(version.receipt, null, 2), {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="${name}"`,
      "Cache-Control": "private, no-store",
    },
  });
}
