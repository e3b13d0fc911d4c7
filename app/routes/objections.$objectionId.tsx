// One objection: the objector, the tender's agent (who answers here) and supervisors see it.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { requireUser } from "~/platform/auth/auth.server.ts";
import { requireCsrf } from "~/platform/auth/csrf.server.ts";
import { readForm } from "~/platform/request.server.ts";
import { refuse } from "~/platform/refusal.ts";
import { CsrfInput } from "~/ui/components/csrf.tsx";
import { formatDateTime } from "~/ui/format.ts";
import type { Locale } from "~/ui/i18n.ts";
import { answerObjection, AnswerFormSchema, getObjection } from "~/features/objections/index.ts";
import { Due, RefusalNote, idParam } from "~/features/complaints/index.ts";

export const meta: MetaFunction = () => [{ title: "异议 · 明标" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const objection = await getObjection(user, idParam(params.objectionId));
  if (!objection) throw new Response("Not Found", { status: 404 });
  return json({ objection, role: user.role });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request, ["AGENT"]);
  const form = await readForm(request);
  await requireCsrf(request, form);
  const parsed = AnswerFormSchema.safeParse(Object.fromEntries(form));
  if (!parsed.success) return json({ refusal: refuse("remedies.refusal.invalid", 400).refusal }, { status: 400 });
  const result = await answerObjection(user, idParam(params.objectionId), parsed.data);
  if (!result.ok) return json({ refusal: result.refusal }, { status: result.refusal.status });
  return json({ refusal: null });
}

export default function ObjectionPage() {
  const { objection: o, role } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t, i18n } = useTranslation("remedies");
  const locale = i18n.language as Locale;
  const [deadlineAction, setDeadlineAction] = useState("keep");
  return (
    <section className="stack">
      <p>
        <Link to={`/tenders/${o.tenderId}`}>{o.tenderTitle}</Link> <small className="code">{o.tenderCode}</small>
      </p>
      <h1>{o.target === "result" ? t("objections.resultTitle") : t("objections.title")}</h1>
      <p data-testid="objection-status">
        <strong>{t(`objections.status.${o.status}`)}</strong> · {t("objections.objector")}：{o.objectorName} ·{" "}
        {t("objections.raisedAt")} {formatDateTime(o.raisedAt, locale)}
      </p>
      {o.status === "OPEN" ? (
        <p>
          {t("objections.answerDue", { due: "" })}
          <Due at={o.answerDue} provisionalYears={o.provisionalYears} testId="answer-due" />
        </p>
      ) : null}
      <div className="card prose">
        {o.reasons.split(/\n{2,}/).map((para, i) => (
          <p key={i}>{para}</p>
        ))}
      </div>
      {o.attachments.map((a) => (
        <p key={a.id}>
          <a href={`/remedies/attachments/${a.id}`}>{a.fileName}</a>
        </p>
      ))}
      {o.status === "ANSWERED" ? (
        <section className="card" data-testid="objection-answer">
          <h2>{t("objections.answer")}</h2>
          <p className="muted">{t("objections.answered", { at: formatDateTime(o.answeredAt, locale) })}</p>
          <p>{o.answer}</p>
          {o.previousDeadline && o.newDeadline && o.previousDeadline !== o.newDeadline ? (
            <p className="warning">
              {t("objections.deadlineChanged", {
                from: formatDateTime(o.previousDeadline, locale),
                to: formatDateTime(o.newDeadline, locale),
              })}
            </p>
          ) : null}
          {role === "BIDDER" ? (
            <p>
              <Link to={`/tenders/${o.tenderId}/complaints/new?objection=${o.id}`} className="button">
                {t("objections.complain")}
              </Link>
            </p>
          ) : null}
        </section>
      ) : null}
      {o.status === "OPEN" && role === "AGENT" ? (
        <Form method="post" className="stack">
          <CsrfInput />
          <label>
            {t("objections.answerLabel")}
            <textarea name="answer" rows={6} required minLength={5} />
          </label>
          {o.target === "result" ? (
            <>
              <input type="hidden" name="deadlineAction" value="keep" />
              <p className="muted">{t("objections.noDeadlineAction")}</p>
            </>
          ) : (
            <fieldset>
              <legend>{t("objections.deadlineAction")}</legend>
              {(["keep", "extend", "move"] as const).map((a) => (
                <label key={a}>
                  <input
                    type="radio"
                    name="deadlineAction"
                    value={a}
                    checked={deadlineAction === a}
                    onChange={() => setDeadlineAction(a)}
                  />{" "}
                  {t(`objections.deadlineActions.${a}`)}
                </label>
              ))}
              {deadlineAction === "move" ? (
                <label>
                  {t("objections.newDeadline")}
                  <input type="datetime-local" name="newDeadline" required />
                </label>
              ) : null}
            </fieldset>
          )}
          <RefusalNote refusal={result?.refusal} />
          <button type="submit" className="primary">
            {t("objections.submitAnswer")}
          </button>
        </Form>
      ) : null}
    </section>
  );
}
