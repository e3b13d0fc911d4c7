// 网上开标: the opening hall of one tender. The host (agent) drives the steps, the bidders that
// submitted sign in, decrypt in the page, confirm or object; assigned supervisors watch; once the
// record is published anyone can read it. Live over socket.io /notify; the loader is the truth.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { getUser, requireUser } from "~/platform/auth/auth.server.ts";
import { requireCsrf } from "~/platform/auth/csrf.server.ts";
import { readForm } from "~/platform/request.server.ts";
import { parseForm } from "~/platform/forms.ts";
import {
  AnswerSchema,
  answerObjection,
  closeOpening,
  confirmReadOut,
  DecryptSchema,
  endDecryptionWindow,
  hallAccess,
  hallView,
  ObjectionSchema,
  openDecryptionWindow,
  publishBidderList,
  raiseObjection,
  signIn,
  SignInSchema,
  submitContentKey,
  type OpeningResult,
  BidderPanel,
  BidTable,
  Countdown,
  EscrowShareSchema,
  HostPanel,
  LiveHall,
  Objections,
  RecordLinks,
  RemedyPanel,
  submitEscrowShare,
} from "~/features/opening/index.ts";
import { formatDateTime } from "~/ui/format.ts";
import type { Locale } from "~/ui/i18n.ts";

export const meta: MetaFunction = () => [{ title: "网上开标 · 明标" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await getUser(request);
  const view = await hallView(user, params.tenderId ?? "");
  if (!view) {
    // Before the record is published the hall is for its participants: sign in first.
    if (!user) await requireUser(request);
    throw new Response("Not Found", { status: 404 });
  }
  return json({ view }, { headers: { "Cache-Control": "private, no-store" } });
}

function answer(result: OpeningResult<unknown>) {
  return result.ok
    ? json({ ok: true as const, error: null })
    : json({ ok: false as const, error: result.refusal.code }, result.refusal.status);
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = await readForm(request);
  await requireCsrf(request, form);
  const access = await hallAccess(user, params.tenderId ?? "");
  if (!access) throw new Response("Not Found", { status: 404 });
  const intent = form.get("intent");
  const parsed = <S extends Parameters<typeof parseForm>[0]>(schema: S) => {
    const r = parseForm(schema, form);
    if (!r.ok) throw json({ ok: false, error: "opening.failed" }, 400);
    return r.data;
  };
  switch (intent) {
    case "publishList":
      return answer(await publishBidderList(access, user));
    case "openWindow":
      return answer(await openDecryptionWindow(access, user));
    case "endWindow":
      return answer(await endDecryptionWindow(access, user));
    case "close":
      return answer(await closeOpening(access, user));
    case "answer":
      return answer(await answerObjection(access, user, parsed(AnswerSchema)));
    case "signIn":
      return answer(await signIn(access, user, parsed(SignInSchema)));
    case "decrypt":
      return answer(await submitContentKey(access, user, parsed(DecryptSchema)));
    case "confirm":
      return answer(await confirmReadOut(access, user));
    case "object":
      return answer(await raiseObjection(access, user, parsed(ObjectionSchema)));
    case "escrowShare":
      return answer(await submitEscrowShare(access, user, parsed(EscrowShareSchema)));
    default:
      return json({ ok: false, error: "opening.failed" }, 400);
  }
}

export default function OpeningHall() {
  const { view } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation("opening");
  const locale = i18n.language as Locale;
  const step = view.session?.step ?? null;
  return (
    <main className="page opening-hall" data-step={step ?? "none"}>
      <LiveHall tenderId={view.tender.id} windowEndsAt={view.session?.windowEndsAt ?? null} serverNowMs={view.serverNowMs} />
      <h1>{t("title", { title: view.tender.title })}</h1>
      <p>
        {t("code", { code: view.tender.code })} · {t("deadline", { time: formatDateTime(view.tender.bidDeadline, locale) })}
      </p>
      <p data-testid="hall-role">{t(`role.${view.role}`)}</p>
      <p data-testid="hall-step">
        {t("step.label")}
        <strong>{t(`step.${step ?? "none"}`)}</strong>
      </p>
      {step === "DECRYPTING" && view.session?.windowEndsAt ? (
        <Countdown endsAt={view.session.windowEndsAt} serverNowMs={view.serverNowMs} />
      ) : null}
      {step === "FAILED" ? (
        <p className="notice" data-testid="hall-failed">
          {t("failed")}
        </p>
      ) : null}
      {view.role === "host" ? <HostPanel view={view} /> : null}
      {view.role === "bidder" ? <BidderPanel view={view} /> : null}
      {view.remedy ? <RemedyPanel remedy={view.remedy} /> : null}
      <BidTable view={view} />
      <Objections view={view} />
      <RecordLinks view={view} />
    </main>
  );
}
