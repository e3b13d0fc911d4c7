// The bidder's own page for the evaluation committee's clarification requests (澄清, Regs Art 52):
// only approved questions to its organisation; nothing else of the room. Anyone else: 404.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useFetcher, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { answerClarification, bidderClarifications } from "~/features/evaluation/index.ts";
import { requireUser } from "~/platform/auth/auth.server.ts";
import { requireCsrf } from "~/platform/auth/csrf.server.ts";
import { readForm } from "~/platform/request.server.ts";
import { CsrfInput } from "~/ui/components/csrf.tsx";

export const meta: MetaFunction = () => [{ title: "澄清 · 明标" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const view = await bidderClarifications(user, params.tenderId ?? "");
  if (!view) throw new Response("Not Found", { status: 404 });
  return json({ view }, { headers: { "Cache-Control": "private, no-store" } });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = await readForm(request);
  await requireCsrf(request, form);
  const result = await answerClarification(user, params.tenderId ?? "", {
    clarificationId: String(form.get("clarificationId") ?? ""),
    answer: String(form.get("answer") ?? ""),
  });
  return result.ok
    ? json({ ok: true as const, error: null })
    : json({ ok: false as const, error: result.refusal.code }, result.refusal.status);
}

export default function ClarificationsPage() {
  const { view } = useLoaderData<typeof loader>();
  const { t } = useTranslation("room");
  const fetcher = useFetcher<typeof action>();
  return (
    <main className="page">
      <h1>
        {t("clarification.page")} · {view.tender.code} {view.tender.title}
      </h1>
      {fetcher.data && !fetcher.data.ok && fetcher.data.error ? (
        <p className="error" role="alert">
          {t(fetcher.data.error.replace(/^room\./, ""))}
        </p>
      ) : null}
      {view.items.map((c) => (
        <section key={c.id} className="card" data-testid="clarification-request">
          <p>{c.question}</p>
          {c.answer ? (
            <p>
              {t("clarification.answer")}：{c.answer}
            </p>
          ) : c.answerBy && c.answerBy > view.serverNow ? (
            <fetcher.Form method="post">
              <CsrfInput />
              <input type="hidden" name="clarificationId" value={c.id} />
              <p>
                {t("clarification.answerBy", { at: new Date(c.answerBy).toLocaleString("zh-CN", { timeZone: "Asia/Shanghai" }) })}
              </p>
              <textarea name="answer" aria-label={t("clarification.answer")} />
              <button type="submit">{t("clarification.submit")}</button>
            </fetcher.Form>
          ) : (
            <p>{t("clarification.late")}</p>
          )}
        </section>
      ))}
    </main>
  );
}
