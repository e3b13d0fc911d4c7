// 中标通知书 / 中标结果通知书 (TBL Art 45): a bidder downloads its own; the tender's agent names
// the bidder (`?bidder=<organisation id>`); anyone else is refused (404/403), audited.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { letterDownload } from "~/features/results/index.ts";
import { getUser } from "~/platform/auth/auth.server.ts";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await getUser(request);
  const bidder = new URL(request.url).searchParams.get("bidder");
  const result = await letterDownload(user, params.tenderId ?? "", bidder);
  if (!result.ok)
    throw new Response(result.refusal.status === 403 ? "Forbidden" : "Not Found", { status: result.refusal.status });
  return new Response(result.value.pdf, {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `attachment; filename="letter.pdf"; filename*=UTF-8''${encodeURIComponent(result.value.fileName)}`,
      "Cache-Control": "private, no-store",
    },
  });
}
