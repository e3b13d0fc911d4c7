// The bidder's decryption check before the deadline: the header of its latest envelope (GET), and
// the yes/no its page found (POST, audited). No key and no plaintext reach the server.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { requireUser } from "~/platform/auth/auth.server.ts";
import { requireCsrf } from "~/platform/auth/csrf.server.ts";
import { parseForm } from "~/platform/forms.ts";
import { readForm } from "~/platform/request.server.ts";
import { checkHeader, CheckResultSchema, recordDecryptionCheck } from "~/features/opening/index.ts";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, ["BIDDER"]);
  const result = await checkHeader(user, params.tenderId ?? "");
  const headers = { "Cache-Control": "private, no-store" };
  return result.ok
    ? json(result.value, { headers })
    : json({ error: result.refusal.code }, { status: result.refusal.status, headers });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request, ["BIDDER"]);
  const form = await readForm(request);
  await requireCsrf(request, form);
  const parsed = parseForm(CheckResultSchema, form);
  if (!parsed.ok) return json({ ok: false, error: "opening.failed" }, 400);
  const result = await recordDecryptionCheck(user, params.tenderId ?? "", parsed.data);
  return result.ok ? json({ ok: true, error: null }) : json({ ok: false, error: result.refusal.code }, result.refusal.status);
}
