// The published opening record as canonical JSON with the platform's CMS signature and RFC 3161 token.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { signedRecord } from "~/features/opening/index.ts";

export async function loader({ params }: LoaderFunctionArgs) {
  const record = await signedRecord(params.tenderId ?? "");
  if (!record) throw new Response("Not Found", { status: 404 });
  return json(record);
}
