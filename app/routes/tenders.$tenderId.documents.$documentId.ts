import { Readable } from "node:stream";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/platform/auth/auth.server.ts";
import { createI18n } from "~/ui/i18n.ts";
import { getLocale } from "~/ui/locale.server.ts";
import { clientIp } from "~/platform/request.server.ts";
import { renderRefusal } from "~/platform/refusal.ts";
import * as storage from "~/platform/storage.server.ts";
import { authoriseDownload, contentDisposition } from "~/features/tenders/index.ts";

/** Streams a tender document to a signed-in bidder (recorded) or the owning agent. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, ["BIDDER", "AGENT"]);
  const decision = await authoriseDownload(user, params.tenderId ?? "", params.documentId ?? "", { ip: clientIp(request) });
  if (!decision.ok) {
    const locale = await getLocale(request);
    const text = renderRefusal(createI18n(locale).getFixedT(null, "tender"), locale, decision.refusal);
    throw new Response(text, { status: decision.refusal.status, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  }
  const { document } = decision;
  const body = Readable.toWeb(storage.open(document.storageKey)) as ReadableStream<Uint8Array>;
  return new Response(body, {
    headers: {
      "Content-Type": document.mediaType,
      "Content-Length": document.sizeBytes.toString(),
      "Content-Disposition": contentDisposition(document.fileName),
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
