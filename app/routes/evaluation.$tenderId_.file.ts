// A decrypted bid document for a committee member, inline (PDF in the page); each opening is recorded.
import type { LoaderFunctionArgs } from "@remix-run/node";
import fs from "node:fs";
import { Readable } from "node:stream";
import { openBidFile, roomAccess } from "~/features/evaluation/index.ts";
import { requireUser } from "~/platform/auth/auth.server.ts";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const access = await roomAccess(user, params.tenderId ?? "");
  if (!access) throw new Response("Not Found", { status: 404 });
  const url = new URL(request.url);
  const opened = await openBidFile(access, user, url.searchParams.get("bidder") ?? "", Number(url.searchParams.get("i") ?? "-1"));
  if (!opened.ok) return new Response(opened.refusal.code, { status: opened.refusal.status });
  const type = opened.value.name.toLowerCase().endsWith(".pdf") ? "application/pdf" : "application/octet-stream";
  return new Response(Readable.toWeb(fs.createReadStream(opened.value.path)) as ReadableStream<Uint8Array>, {
    headers: {
      "Content-Type": type,
      "Content-Disposition": `inline; filename="${encodeURIComponent(opened.value.name)}"`,
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
