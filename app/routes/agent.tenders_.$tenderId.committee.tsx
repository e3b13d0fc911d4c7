// 专家抽取申请 — the tender's agent asks for the committee and follows it by counts only
// (TBL Art 37: names stay with the supervisors until the result is fixed).
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import {
  agentCommitteeView,
  committeeRequestValues,
  CommitteeRequestFormSchema,
  representativeChoices,
  specialtyLabel,
  specialtyTree,
  submitCommitteeRequest,
} from "~/features/experts/index.ts";
import { renderRefusal, type Refusal } from "~/platform/refusal.ts";
import { requireUser } from "~/platform/auth/auth.server.ts";
import { requireCsrf } from "~/platform/auth/csrf.server.ts";
import { db } from "~/platform/db.server.ts";
import { readForm } from "~/platform/request.server.ts";
import { CsrfInput } from "~/ui/components/csrf.tsx";
import { formatDateTime } from "~/ui/format.ts";
import { isLocale } from "~/ui/i18n.ts";

export const meta: MetaFunction = () => [{ title: "专家抽取申请 · 明标" }];

async function ownTender(request: Request, tenderId: string | undefined) {
  const user = await requireUser(request, ["AGENT"]);
  const tender =
    tenderId && /^[0-9a-f-]{36}$/i.test(tenderId)
      ? await db().tender.findUnique({
          where: { id: tenderId },
          select: { id: true, code: true, title: true, status: true, bidDeadline: true, agentOrgId: true, tendererOrgId: true },
        })
      : null;
  if (!tender) throw new Response("Not Found", { status: 404 });
  if (!user.organizationId || ![tender.agentOrgId, tender.tendererOrgId].includes(user.organizationId))
    throw new Response("Forbidden", { status: 403 });
  return { user, tender };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { tender } = await ownTender(request, params.tenderId);
  const [view, specialties, representatives] = await Promise.all([
    agentCommitteeView(tender.id),
    specialtyTree(),
    representativeChoices(tender.id),
  ]);
  return json({
    tender: { id: tender.id, code: tender.code, title: tender.title, bidDeadline: tender.bidDeadline?.toISOString() ?? null },
    view,
    specialties: specialties.filter((s) => s.level === 3),
    representatives,
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, tender } = await ownTender(request, params.tenderId);
  const form = await readForm(request);
  await requireCsrf(request, form);
  const parsed = CommitteeRequestFormSchema.safeParse(committeeRequestValues(form));
  if (!parsed.success) {
    const message = parsed.error.issues[0]?.message ?? "";
    const refusal: Refusal = {
      code: message.startsWith("validation.") ? `experts.${message}` : "experts.validation.invalid",
      status: 400,
    };
    return json({ refusal, ok: false }, 400);
  }
  const result = await submitCommitteeRequest(user, tender.id, parsed.data);
  if (!result.ok) return json({ refusal: result.refusal as Refusal | null, ok: false }, result.refusal.status);
  return json({ refusal: null as Refusal | null, ok: true });
}

const ROWS = 3;

export default function CommitteeRequestPage() {
  const { tender, view, specialties, representatives } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t, i18n } = useTranslation("experts");
  const lng = isLocale(i18n.language) ? i18n.language : "zh-CN";
  const label = (code: string) =>
    specialtyLabel(
      specialties.find((s) => s.code === code),
      code,
      lng,
    );
  const canRequest = !view || view.status === "REJECTED" || view.status === "FAILED";
  return (
    <section className="stack">
      <p>
        <Link to={`/agent/tenders/${tender.id}`}>← {tender.title}</Link> <small className="code">{tender.code}</small>
      </p>
      <h1>{t("request.title")}</h1>
      <p className="muted">{t("request.intro")}</p>
      {view ? (
        <div data-testid="committee-request">
          <p>
            {t("request.state")}: <strong data-testid="request-status">{t(`requestStatus.${view.status}`)}</strong>
          </p>
          <p>
            {t("request.drawAt")}: {formatDateTime(view.drawnAt ?? view.drawAt, lng)}
          </p>
          {view.seedCommitment && (
            <p>
              {t("request.commitment")}: <small className="code">{view.seedCommitment}</small>
            </p>
          )}
          {(
            (view.failure as { shortfalls?: { specialty: string; needed: number; available: number; missing: number }[] } | null)
              ?.shortfalls ?? []
          ).map((s) => (
            <p key={s.specialty} className="warning">
              {renderRefusal(t, lng, {
                code: "experts.request.shortfall",
                article: "Regs Art 46",
                params: { ...s, specialty: label(s.specialty), others: 0 },
              })}
            </p>
          ))}
          {view.decisionNote && (
            <p>
              {t("supervise.note")}: {view.decisionNote}
            </p>
          )}
          <ul data-testid="committee-counts">
            {view.counts.map((c) => (
              <li key={c.specialty}>
                {t("request.counts", { specialty: label(c.specialty), confirmed: c.confirmed, seats: c.seats })}
              </li>
            ))}
          </ul>
          <p>
            <Link to={`/tenders/${tender.id}/draw`}>{t("request.publicPage")}</Link>
          </p>
        </div>
      ) : (
        <p>{t("request.none")}</p>
      )}
      {data?.ok && <p role="status">{t("request.submitted")}</p>}
      {data?.refusal && (
        <p role="alert" className="form-error" data-testid="request-refusal">
          {renderRefusal(t, lng, data.refusal)}
        </p>
      )}
      {canRequest && (
        <Form method="post" noValidate>
          <CsrfInput />
          <table>
            <thead>
              <tr>
                <th>{t("request.specialty")}</th>
                <th>{t("request.count")}</th>
                <th>{t("request.reserves")}</th>
              </tr>
            </thead>
            <tbody>
              {Array.from({ length: ROWS }, (_, i) => (
                <tr key={i}>
                  <td>
                    <select name="specialty" aria-label={`${t("request.specialty")} ${i + 1}`} defaultValue="">
                      <option value="">—</option>
                      {specialties.map((s) => (
                        <option key={s.code} value={s.code}>
                          {label(s.code)}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td>
                    <input
                      name="count"
                      type="number"
                      min={0}
                      max={15}
                      defaultValue={0}
                      aria-label={`${t("request.count")} ${i + 1}`}
                    />
                  </td>
                  <td>
                    <input
                      name="reserves"
                      type="number"
                      min={0}
                      max={10}
                      defaultValue={2}
                      aria-label={`${t("request.reserves")} ${i + 1}`}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <fieldset>
            <legend>{t("request.representatives")}</legend>
            {representatives.map((u) => (
              <label key={u.id} style={{ marginInlineEnd: "1em" }}>
                <input type="checkbox" name="representativeId" value={u.id} /> {u.name} ({u.email})
              </label>
            ))}
          </fieldset>
          <label className="field">
            {t("request.evaluationStart")} <input type="datetime-local" name="evaluationStart" required />
          </label>
          <label className="field">
            {t("request.drawLeadHours")} <input type="number" name="drawLeadHours" defaultValue={24} min={0} max={72} />
          </label>
          <label className="field">
            {t("request.confirmWindowMinutes")}{" "}
            <input type="number" name="confirmWindowMinutes" defaultValue={15} min={5} max={1440} />
          </label>
          <button type="submit" className="primary" disabled={navigation.state === "submitting"}>
            {t("request.submit")}
          </button>
        </Form>
      )}
    </section>
  );
}
