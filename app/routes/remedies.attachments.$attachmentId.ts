import { Readable } from "node:stream";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/platform/auth/auth.server.ts";
import * as storage from "~/platform/storage.server.ts";
import { contentDisposition } from "~/features/tenders/index.ts";
import { objectionAttachment } from "~/features/objections/index.ts";
import { complaintAttachment } from "~/features/complaints/index.ts";

/** An objection's or complaint's attachment, to those who may read the objection or complaint. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const id = params.attachmentId ?? "";
  if (!/^[0-9a-f-]{36}$/.test(id)) throw new Response("Not Found", { status: 404 });
  const file = (await objectionAttachment(user, id)) ?? (await complaintAttachment(user, id));
  if (!file) throw new Response("Not Found", { status: 404 });
  const body = Readable.toWeb(storage.open(file.storageKey)) as ReadableStream<Uint8Array>;
  return new Response(body, {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": contentDisposition(file.fileName),
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
