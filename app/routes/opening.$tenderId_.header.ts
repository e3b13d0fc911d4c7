// The bidder's own envelope header (public parts: wrapped keys) for unwrapping in the page; only
// in the decryption window, only for its own bid (refusals audited).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { requireUser } from "~/platform/auth/auth.server.ts";
import { envelopeHeader, hallAccess } from "~/features/opening/index.ts";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, ["BIDDER"]);
  const access = await hallAccess(user, params.tenderId ?? "");
  if (!access) throw new Response("Not Found", { status: 404 });
  const bid = new URL(request.url).searchParams.get("bid") ?? "";
  const result = await envelopeHeader(access, user, bid);
  const headers = { "Cache-Control": "private, no-store" };
  return result.ok
    ? json(result.value, { headers })
    : json({ error: result.refusal.code }, { status: result.refusal.status, headers });
}
