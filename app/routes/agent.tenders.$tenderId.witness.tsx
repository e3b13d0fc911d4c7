// 数字见证 — the tender's agent starts and ends the evaluation room's witnessing (POST only).
// The evaluation session will call the same functions; until then the agent runs the room.
import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { requireCsrf } from "~/platform/auth/csrf.server.ts";
import { endWitnessing, requireRoomDeviceAgent, startWitnessing, witnessReason } from "~/features/witness/index.ts";
import { readForm } from "~/platform/request.server.ts";

export async function loader() {
  throw new Response("Method Not Allowed", { status: 405 });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, tender } = await requireRoomDeviceAgent(request, params.tenderId ?? "");
  const form = await readForm(request);
  await requireCsrf(request, form);
  const intent = form.get("intent");
  if (intent !== "start" && intent !== "end") throw new Response("Unknown intent", { status: 400 });
  const result = intent === "start" ? await startWitnessing(user.id, tender.id) : await endWitnessing(user.id, tender.id);
  const back = `/agent/tenders/${tender.id}`;
  return redirect(result.ok ? `${back}?witness=${intent === "start" ? "started" : "ended"}#witness` : `${back}?witnessError=${witnessReason(result.refusal)}#witness`);
}
