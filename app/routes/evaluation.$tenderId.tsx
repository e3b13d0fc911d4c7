// 评标室: the sealed evaluation room of one tender. Committee members act (each act signed in the
// page with their signing certificate); the assigned supervisors watch the feed and alerts; the
// agent gets the signed report. Anyone else: 404, the room does not exist for them. Live over
// socket.io /notify (features/evaluation/live.*); the loader is the truth.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import {
  askForMoreTime,
  closeQualification,
  closeSummary,
  declareRecusal,
  explainOutlier,
  findCollusion,
  roomAccess,
  roomView,
  signInMember,
  signPledge,
  signReport,
  submitQualification,
  submitAdjustment,
  submitScore,
  voteChair,
  withdrawSheet,
  EvaluationRoom,
  outsiderRefused,
  askClarification,
  decideClarification,
  useRoomLive,
} from "~/features/evaluation/index.ts";
import { requireUser } from "~/platform/auth/auth.server.ts";
import { requireCsrf } from "~/platform/auth/csrf.server.ts";
import { readForm } from "~/platform/request.server.ts";
import type { Outcome } from "~/platform/refusal.ts";

export const meta: MetaFunction = () => [{ title: "评标室 · 明标" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const access = await roomAccess(user, params.tenderId ?? "");
  if (!access) throw new Response("Not Found", { status: 404 });
  return json({ view: await roomView(access, user) }, { headers: { "Cache-Control": "private, no-store" } });
}

function answer(result: Outcome<unknown>) {
  return result.ok
    ? json({ ok: true as const, error: null, value: result.value })
    : json({ ok: false as const, error: result.refusal.code, value: null }, result.refusal.status);
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = await readForm(request);
  await requireCsrf(request, form);
  const access = await roomAccess(user, params.tenderId ?? "");
  if (!access) {
    await outsiderRefused(user, params.tenderId ?? "", String(form.get("intent") ?? ""));
    throw new Response("Not Found", { status: 404 });
  }
  let payload: unknown = {};
  try {
    payload = JSON.parse(String(form.get("payload") ?? "{}"));
  } catch {
    return json({ ok: false as const, error: "evaluation.badInput", value: null }, 400);
  }
  switch (form.get("intent")) {
    case "signIn":
      return answer(await signInMember(access, user, payload));
    case "pledge":
      return answer(await signPledge(access, user, payload));
    case "recusal":
      return answer(await declareRecusal(access, user, payload));
    case "chair":
      return answer(await voteChair(access, user, payload));
    case "qualification":
      return answer(await submitQualification(access, user, payload));
    case "closeQualification":
      return answer(await closeQualification(access, user));
    case "score":
      return answer(await submitScore(access, user, payload));
    case "adjustment":
      return answer(await submitAdjustment(access, user, payload));
    case "withdraw":
      return answer(await withdrawSheet(access, user, payload));
    case "outlier":
      return answer(await explainOutlier(access, user, payload));
    case "moreTime":
      return answer(await askForMoreTime(access, user));
    case "collusion":
      return answer(await findCollusion(access, user, payload));
    case "closeSummary":
      return answer(await closeSummary(access, user));
    case "signReport":
      return answer(await signReport(access, user, payload));
    case "ask":
      return answer(await askClarification(access, user, payload));
    case "decide":
      return answer(await decideClarification(access, user, payload));
    default:
      return json({ ok: false as const, error: "evaluation.badInput", value: null }, 400);
  }
}

export default function EvaluationRoomPage() {
  const { view } = useLoaderData<typeof loader>();
  useRoomLive(view.tender.id); // live: every room event re-reads this loader (decision 107)
  return <EvaluationRoom view={view} />;
}
