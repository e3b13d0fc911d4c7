// The published opening record (开标记录) as a PAdES-signed PDF: public once published.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { Readable } from "node:stream";
import { recordPdf } from "~/features/opening/index.ts";
import * as storage from "~/platform/storage.server.ts";

export async function loader({ params }: LoaderFunctionArgs) {
  const sha256 = await recordPdf(params.tenderId ?? "");
  if (!sha256) throw new Response("Not Found", { status: 404 });
  const body = Readable.toWeb(storage.open(sha256)) as ReadableStream<Uint8Array>;
  return new Response(body, {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `inline; filename="opening-record.pdf"`,
      "X-Content-Type-Options": "nosniff",
    },
  });
}
