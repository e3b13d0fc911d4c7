import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/auth.server.ts";
import { db } from "~/db.server.ts";

/** A bidder downloads its own receipt (statement, platform signature, RFC 3161 token) as JSON. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, ["BIDDER"]);
  const version = await db().bidVersion.findFirst({
    where: { id: params.versionId ?? "", bid: { tenderId: params.tenderId ?? "", organizationId: user.organizationId ?? "" } },
    select: { number: true, receipt: true, bid: { select: { tender: { select: { code: true } } } } },
  }).catch(() => null);
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
