// One committee request as its supervisors (and the trading centre) see it: approve or reject,
// then the drawn names, reserves in order and the confidential exclusions (TBL Art 37).
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { confidentialCommitteeView, decideCommitteeRequest, specialtyLabel, specialtyTree } from "~/features/experts/index.ts";
import { renderRefusal, type Refusal } from "~/platform/refusal.ts";
import { requireUser } from "~/platform/auth/auth.server.ts";
import { requireCsrf } from "~/platform/auth/csrf.server.ts";
import { invalidatePublicTender } from "~/platform/public-cache.server.ts";
import { readForm } from "~/platform/request.server.ts";
import { CsrfInput } from "~/ui/components/csrf.tsx";
import { formatDateTime } from "~/ui/format.ts";
import { isLocale } from "~/ui/i18n.ts";

export const meta: MetaFunction = () => [{ title: "专家抽取监督 · 明标" }];

const Id = z.string().uuid();

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, ["SUPERVISOR", "ADMIN"]);
  const id = Id.safeParse(params.requestId);
  if (!id.success) throw new Response("Not Found", { status: 404 });
  const [view, specialties] = await Promise.all([confidentialCommitteeView(user, id.data), specialtyTree()]);
  return json({ view, specialties, canDecide: user.role === "SUPERVISOR" });
}

const DecisionSchema = z.object({ intent: z.enum(["approve", "reject"]), note: z.string().max(200).default("") });

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request, ["SUPERVISOR"]);
  const form = await readForm(request);
  await requireCsrf(request, form);
  const id = Id.safeParse(params.requestId);
  const parsed = DecisionSchema.safeParse(Object.fromEntries(form));
  if (!id.success || !parsed.success)
    return json({ refusal: { code: "experts.validation.invalid", status: 400 } as Refusal | null }, 400);
  const result = await decideCommitteeRequest(user, id.data, {
    approve: parsed.data.intent === "approve",
    note: parsed.data.note,
  });
  if (!result.ok) return json({ refusal: result.refusal as Refusal | null }, result.refusal.status);
  const view = await confidentialCommitteeView(user, id.data);
  await invalidatePublicTender(view.tenderId);
  return json({ refusal: null as Refusal | null });
}

export default function CommitteeSupervision() {
  const { view, specialties, canDecide } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const { t, i18n } = useTranslation("experts");
  const lng = isLocale(i18n.language) ? i18n.language : "zh-CN";
  const label = (code: string) =>
    specialtyLabel(
      specialties.find((s) => s.code === code),
      code,
      lng,
    );
  return (
    <section className="stack">
      <p>
        <Link to="/supervisor/committees">← {t("supervise.title")}</Link>
      </p>
      <h1>
        {view.tender.title} <small className="code">{view.tender.code}</small>
      </h1>
      <p className="muted">{t("supervise.intro")}</p>
      <p>
        {t("request.state")}: <strong data-testid="request-status">{t(`requestStatus.${view.status}`)}</strong>
      </p>
      <h2>{t("supervise.requirements")}</h2>
      <ul>
        {view.requirements.map((r) => (
          <li key={r.specialty}>
            {label(r.specialty)}: {r.count} + {t("request.reserves")} {r.reserves}
          </li>
        ))}
        <li>
          {t("request.representatives")}: {view.representatives}
        </li>
        <li>
          {t("request.evaluationStart")}: {formatDateTime(view.evaluationStartAt, lng)}
        </li>
        <li>
          {t("request.drawAt")}: {formatDateTime(view.drawnAt ?? view.drawAt, lng)}
        </li>
      </ul>
      {data?.refusal && (
        <p role="alert" className="form-error">
          {renderRefusal(t, lng, data.refusal)}
        </p>
      )}
      {canDecide && view.status === "SUBMITTED" && (
        <Form method="post">
          <CsrfInput />
          <label>
            {t("supervise.note")} <input name="note" />
          </label>{" "}
          <button type="submit" name="intent" value="approve" className="primary">
            {t("supervise.approve")}
          </button>{" "}
          <button type="submit" name="intent" value="reject">
            {t("supervise.reject")}
          </button>
        </Form>
      )}
      {view.seedCommitment && (
        <p>
          {t("draw.commitment")}: <small className="code">{view.seedCommitment}</small>
        </p>
      )}
      {view.poolHash && (
        <p>
          {t("supervise.poolHash")}: <small className="code">{view.poolHash}</small>
        </p>
      )}
      {view.seats.length > 0 && (
        <>
          <h2>{t("supervise.members")}</h2>
          <table data-testid="committee-members">
            <thead>
              <tr>
                <th>{t("supervise.seat")}</th>
                <th>{t("supervise.expert")}</th>
                <th>{t("request.specialty")}</th>
                <th>{t("pool.status")}</th>
                <th>{t("own.respondBy")}</th>
              </tr>
            </thead>
            <tbody>
              {view.seats.map((s) => (
                <tr key={s.id} data-testid="committee-seat">
                  <td>{s.seat}</td>
                  <td>
                    {s.name} <small>{s.employer}</small>
                  </td>
                  <td>{label(s.specialty)}</td>
                  <td>{t(`seat.${s.status}`)}</td>
                  <td>{formatDateTime(s.respondBy, lng)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h2>{t("supervise.reserves")}</h2>
          <ol>
            {view.reserves.map((r) => (
              <li key={r.expertId} data-testid="committee-reserve">
                {r.name} · {label(r.specialty)} {r.used ? `(${t("supervise.used")})` : ""}
              </li>
            ))}
          </ol>
        </>
      )}
      {view.excluded.length > 0 && (
        <>
          <h2>{t("supervise.excluded")}</h2>
          <ul>
            {view.excluded.map((e) => (
              <li key={e.expertId} data-testid="committee-excluded">
                {e.name} <small>{e.employer}</small>: {e.reasons.map((r) => t(`reason.${r}`)).join("、")}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
