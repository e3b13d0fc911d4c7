import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { FeedQuerySchema, releaseFeed } from "~/features/ocds/index.ts";

/** Public OCDS 1.1 release package of published tenders: `?since=<ISO date>&after=<cursor>&limit=<n>`. */
export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const parsed = FeedQuerySchema.safeParse(Object.fromEntries(url.searchParams));
  if (!parsed.success) {
    return json(
      {
        error:
          "Invalid query: `since` must be an ISO 8601 date-time with offset, `after` the cursor of a `links.next`, `limit` 1 to 100 (pages are followed by `links.next`, not numbered).",
        issues: parsed.error.issues.map((i) => i.path.join(".")),
      },
      { status: 400 },
    );
  }
  const body = await releaseFeed(url, parsed.data);
  return json(body, {
    // Cache-Control, ETag and Last-Modified are the public cache's (decision 070).
    headers: { "Content-Type": "application/json; charset=utf-8", "Access-Control-Allow-Origin": "*" },
  });
}
