// 平台故障记录 — the platform's own outages (heartbeat gaps) and the incidents the trading centre
// records; a bid left sealed after a decryption window with an outage is 撤回 (E-Measures Art 31,
// docs/decisions/091).
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireUser } from "~/platform/auth/auth.server.ts";
import { requireCsrf } from "~/platform/auth/csrf.server.ts";
import { readForm } from "~/platform/request.server.ts";
import { CsrfInput } from "~/ui/components/csrf.tsx";
import { formatDateTime } from "~/ui/format.ts";
import type { Locale } from "~/ui/i18n.ts";
import { recentOutages, recordIncident } from "~/features/outages/index.ts";
import { RefusalNote } from "~/features/complaints/index.ts";
import type { Refusal } from "~/platform/refusal.ts";

export const meta: MetaFunction = () => [{ title: "平台故障记录 · 明标" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request, ["ADMIN"]);
  return json({ outages: await recentOutages() });
}

type ActionData = { ok: true; from: string; to: string } | { ok: false; refusal: Refusal };

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireUser(request, ["ADMIN"]);
  const form = await readForm(request);
  await requireCsrf(request, form);
  const recorded = await recordIncident(admin, Object.fromEntries(form));
  if (!recorded.ok) return json<ActionData>({ ok: false, refusal: recorded.refusal }, { status: recorded.refusal.status });
  return json<ActionData>({ ok: true, from: recorded.value.from, to: recorded.value.to });
}

export default function OutagesAdmin() {
  const { outages } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t, i18n } = useTranslation("outages");
  const locale = i18n.language as Locale;
  return (
    <section className="stack">
      <h1>{t("title")}</h1>
      <p className="muted">{t("intro")}</p>
      {outages.length === 0 ? (
        <p>{t("none")}</p>
      ) : (
        <table data-testid="outages">
          <thead>
            <tr>
              <th>{t("from")}</th>
              <th>{t("to")}</th>
              <th>{t("source")}</th>
              <th>{t("description")}</th>
              <th>{t("recordedBy")}</th>
            </tr>
          </thead>
          <tbody>
            {outages.map((o) => (
              <tr key={o.id} data-testid="outage">
                <td>{formatDateTime(o.from, locale)}</td>
                <td>{formatDateTime(o.to, locale)}</td>
                <td>{t(`sources.${o.source}`)}</td>
                <td>{o.description || "—"}</td>
                <td>
                  {o.recordedBy ?? "—"} <small className="muted">{formatDateTime(o.recordedAt, locale)}</small>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h2>{t("formTitle")}</h2>
      {result?.ok ? (
        <p className="notice-box" data-testid="outage-saved">
          {t("saved", { from: formatDateTime(result.from, locale), to: formatDateTime(result.to, locale) })}
        </p>
      ) : null}
      {result && !result.ok ? <RefusalNote refusal={result.refusal} /> : null}
      <Form method="post" className="stack">
        <CsrfInput />
        <label>
          {t("from")}
          <input name="from" type="datetime-local" required />
        </label>
        <label>
          {t("to")}
          <input name="to" type="datetime-local" required />
        </label>
        <label>
          {t("description")}
          <textarea name="description" rows={3} required maxLength={2000} />
        </label>
        <button type="submit" className="primary">
          {t("save")}
        </button>
      </Form>
    </section>
  );
}
