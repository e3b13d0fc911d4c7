import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { FeedQuerySchema, releaseFeed } from "~/features/ocds/index.ts";

/** Public OCDS 1.1 release package of published tenders: `?since=<ISO date>&page=<n>`. */
export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const parsed = FeedQuerySchema.safeParse(Object.fromEntries(url.searchParams));
  if (!parsed.success) {
    return json(
      { error: "Invalid query: `since` must be an ISO 8601 date-time with offset, `page` a positive integer.", issues: parsed.error.issues.map((i) => i.path.join(".")) },
      { status: 400 },
    );
  }
  const body = await releaseFeed(url, parsed.data);
  return json(body, {
    headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "public, max-age=60", "Access-Control-Allow-Origin": "*" },
  });
}
