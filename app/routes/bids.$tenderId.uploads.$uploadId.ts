import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { requireUser } from "~/platform/auth/auth.server.ts";
import { uploadReceipt } from "~/features/bids/index.ts";

/**
 * The receipt of one of the bidder's uploads (docs/decisions/056), for the bid page when the
 * upload's own answer did not carry it: 200 with the receipt; 202 while it is being finalised
 * (Retry-After); 409 while bytes are missing (resume the upload); the refusal's 4xx; 404.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, ["BIDDER"]);
  const answer = await uploadReceipt(user, params.uploadId ?? "", params.tenderId ?? "");
  const headers = { "Cache-Control": "private, no-store" };
  switch (answer.status) {
    case "accepted":
      return json(answer, { headers });
    case "finalising":
      return json(answer, { status: 202, headers: { ...headers, "Retry-After": "2" } });
    case "incomplete":
      return json(answer, { status: 409, headers });
    case "refused":
      return json(
        { status: answer.status, error: answer.refusal.code, article: answer.refusal.article, params: answer.refusal.params },
        { status: answer.refusal.status, headers },
      );
    default:
      return json({ status: "unknown", error: "bid.noSuchUpload" }, { status: 404, headers });
  }
}
