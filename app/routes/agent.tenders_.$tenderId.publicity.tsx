// 中标候选人公示 — the tender's agent publishes the candidates of the signed evaluation report
// (Regs Art 54: within 3 days of receiving it, for at least 3 days).
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireUser } from "~/platform/auth/auth.server.ts";
import { requireCsrf } from "~/platform/auth/csrf.server.ts";
import { readForm } from "~/platform/request.server.ts";
import { refuse } from "~/platform/refusal.ts";
import { CsrfInput } from "~/ui/components/csrf.tsx";
import { formatDateTime } from "~/ui/format.ts";
import type { Locale } from "~/ui/i18n.ts";
import { Due, RefusalNote } from "~/features/complaints/index.ts";
import { toBeijingLocal } from "~/features/tenders/index.ts";
import { CandidateTables, publicityDraft, publishCandidates, PublishFormSchema } from "~/features/results/index.ts";

export const meta: MetaFunction = () => [{ title: "中标候选人公示 · 明标" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, ["AGENT"]);
  const draft = await publicityDraft(user, params.tenderId ?? "");
  if (!draft) throw new Response("Not Found", { status: 404 });
  return json({ draft, defaultEnd: toBeijingLocal(draft.minimumEnd) });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request, ["AGENT"]);
  const form = await readForm(request);
  await requireCsrf(request, form);
  const parsed = PublishFormSchema.safeParse(Object.fromEntries(form));
  if (!parsed.success) return json({ refusal: refuse("publicity.refusal.invalid", 400).refusal }, { status: 400 });
  const result = await publishCandidates(user, params.tenderId ?? "", parsed.data);
  if (!result.ok) return json({ refusal: result.refusal }, { status: result.refusal.status });
  return json({ refusal: null });
}

export default function AgentPublicity() {
  const { draft, defaultEnd } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const { t, i18n } = useTranslation("publicity");
  const locale = i18n.language as Locale;
  const { tender, published } = draft;
  const content = published?.content ?? draft.content;
  return (
    <section className="stack">
      <p>
        <Link to={`/agent/tenders/${tender.id}`}>{tender.title}</Link> <small className="code">{tender.code}</small>
      </p>
      <h1>{t("agent.title")}</h1>
      <p className="muted">{t("agent.intro")}</p>
      {!draft.reportSigned ? (
        <p className="notice-box" data-testid="report-pending">
          {t("agent.reportPending")}
        </p>
      ) : null}
      {draft.reportReceivedAt ? <p>{t("agent.reportReceived", { at: formatDateTime(draft.reportReceivedAt, locale) })}</p> : null}
      {draft.publishBy && !published ? (
        <p data-testid="publish-by">
          {t("agent.publishBy")}
          <Due at={draft.publishBy.at} provisionalYears={draft.publishBy.provisionalYears} />
        </p>
      ) : null}
      {published ? (
        <section className="card" data-testid="publicity-published">
          <p>{t("agent.published", { at: formatDateTime(published.publishedAt, locale) })}</p>
          <p>
            {t("notice.window", {
              start: formatDateTime(published.startsAt, locale),
              end: formatDateTime(published.endsAt, locale),
            })}
          </p>
          <p>
            <Link to={`/tenders/${tender.id}/candidates`}>{t("agent.viewPublic")}</Link>
            {" · "}
            <Link to={`/tenders/${tender.id}/draw`}>{t("agent.drawVerify")}</Link>
            {" · "}
            <Link to={`/tenders/${tender.id}/objections`}>{t("remedies:objections.resultTitle")}</Link>
          </p>
        </section>
      ) : null}
      {content ? (
        <CandidateTables content={content} labels={draft.readOutLabels} />
      ) : draft.reportSigned ? (
        <p className="empty">{t("agent.noCandidates")}</p>
      ) : null}
      {draft.reportSigned && !published ? (
        <Form method="post" className="stack card">
          <h2>{t("agent.form")}</h2>
          <CsrfInput />
          <label>
            {t("agent.startsAt")}
            <input type="datetime-local" name="startsAt" />
          </label>
          <label>
            {t("agent.endsAt")}
            <input type="datetime-local" name="endsAt" required defaultValue={defaultEnd} />
          </label>
          <p className="muted">{t("agent.minimumEnd", { at: formatDateTime(draft.minimumEnd, locale) })}</p>
          <label>
            {t("agent.remarks")}
            <textarea name="remarks" rows={3} maxLength={4000} />
          </label>
          <RefusalNote refusal={result?.refusal} />
          <button type="submit" className="primary" disabled={busy}>
            {t("agent.submit")}
          </button>
        </Form>
      ) : (
        <RefusalNote refusal={result?.refusal} />
      )}
    </section>
  );
}
