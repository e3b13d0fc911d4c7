// 我的专家档案: an expert's own record, declarations and invitations (never the bidders).
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import {
  addDeclaration,
  DeclarationSchema,
  expertInvitations,
  ownRecord,
  removeDeclaration,
  respondToInvitation,
} from "~/features/experts/index.ts";
import { requireUser } from "~/platform/auth/auth.server.ts";
import { requireCsrf } from "~/platform/auth/csrf.server.ts";
import { parseForm } from "~/platform/forms.ts";
import { readForm } from "~/platform/request.server.ts";
import { CsrfInput } from "~/ui/components/csrf.tsx";
import { Field } from "~/ui/components/field.tsx";
import { formatDateTime } from "~/ui/format.ts";
import { isLocale } from "~/ui/i18n.ts";

export const meta: MetaFunction = () => [{ title: "我的专家档案 · 明标" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request, ["EXPERT"]);
  const [record, invitations] = await Promise.all([ownRecord(user.id), expertInvitations(user.id)]);
  return json({ record, invitations });
}

const IntentSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("declare") }),
  z.object({ intent: z.literal("undeclare"), id: z.string().uuid() }),
  z.object({ intent: z.enum(["confirm", "decline"]), seatId: z.string().uuid() }),
]);

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request, ["EXPERT"]);
  const form = await readForm(request);
  await requireCsrf(request, form);
  const intent = IntentSchema.safeParse(Object.fromEntries(form));
  if (!intent.success)
    return json({ fieldErrors: { _form: "validation.invalid" } as Record<string, string>, error: null as string | null }, 400);
  if (intent.data.intent === "declare") {
    const parsed = parseForm(DeclarationSchema, form);
    if (!parsed.ok) return json({ fieldErrors: parsed.fieldErrors, error: null }, 400);
    await addDeclaration(user.id, parsed.data);
  } else if (intent.data.intent === "undeclare") {
    await removeDeclaration(user.id, intent.data.id);
  } else {
    const result = await respondToInvitation(user.id, intent.data.seatId, intent.data.intent === "confirm");
    if (!result.ok) return json({ fieldErrors: {}, error: result.refusal.code.replace(/^experts\./, "") }, result.refusal.status);
  }
  return json({ fieldErrors: {}, error: null });
}

export default function ExpertRecord() {
  const { record, invitations } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const { t, i18n } = useTranslation("experts");
  const lng = isLocale(i18n.language) ? i18n.language : "zh-CN";
  const errors: Record<string, string | undefined> = data?.fieldErrors ?? {};
  const err = (name: string) => (errors[name] ? t(errors[name]) : undefined);
  if (!record)
    return (
      <section>
        <h1>{t("own.title")}</h1>
        <p>{t("own.noRecord")}</p>
      </section>
    );
  return (
    <section className="stack">
      <h1>{t("own.title")}</h1>
      {data?.error && (
        <p role="alert" className="form-error">
          {t(data.error)}
        </p>
      )}
      <dl>
        <dt>{t("own.status")}</dt>
        <dd data-testid="expert-status">{t(`status.${record.status}`)}</dd>
        <dt>{t("own.employer")}</dt>
        <dd>{record.employer.name}</dd>
        <dt>{t("own.specialties")}</dt>
        <dd>{record.specialties.map((s) => `${lng === "zh-CN" ? s.nameZh : s.nameEn} (${s.code})`).join("、")}</dd>
        <dt>{t("own.penalties")}</dt>
        <dd>
          {record.penalties.length === 0
            ? t("own.noPenalties")
            : record.penalties.map((p) => `${p.reason} → ${formatDateTime(p.endsAt, lng)}`).join("; ")}
        </dd>
      </dl>
      {record.status === "APPROVED" && (
        <p>
          <Link to="/pki/enrol">{t("own.certificate")}</Link> <small className="muted">{t("own.certificateHint")}</small>
        </p>
      )}

      <h2>{t("own.invitations")}</h2>
      <p className="muted">{t("own.prepare")}</p>
      {invitations.length === 0 ? (
        <p>{t("own.noInvitations")}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>{t("own.tender")}</th>
              <th>{t("own.evaluationStart")}</th>
              <th>{t("own.respondBy")}</th>
              <th>{t("pool.status")}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {invitations.map((inv) => (
              <tr key={inv.id} data-testid="invitation">
                <td>
                  {inv.tenderTitle}
                  <br />
                  <small className="code">{inv.tenderCode}</small>
                </td>
                <td>{formatDateTime(inv.evaluationStartAt, lng)}</td>
                <td>{formatDateTime(inv.respondBy, lng)}</td>
                <td>{t(`seat.${inv.status}`)}</td>
                <td>
                  {inv.status === "INVITED" && (
                    <Form method="post">
                      <CsrfInput />
                      <input type="hidden" name="seatId" value={inv.id} />
                      <button type="submit" name="intent" value="confirm" className="primary">
                        {t("own.confirm")}
                      </button>{" "}
                      <button type="submit" name="intent" value="decline">
                        {t("own.decline")}
                      </button>
                    </Form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h2>{t("own.declarations")}</h2>
      <p className="muted">{t("own.declarationsIntro")}</p>
      <ul>
        {record.declarations.map((d) => (
          <li key={d.id}>
            {t(`own.${d.kind}`)}: {d.organizationName} <small className="code">{d.creditCode}</small> {d.relation}{" "}
            {d.endedOn ?? ""}
            <Form method="post" style={{ display: "inline" }}>
              <CsrfInput />
              <input type="hidden" name="id" value={d.id} />
              <button type="submit" name="intent" value="undeclare">
                {t("own.remove")}
              </button>
            </Form>
          </li>
        ))}
      </ul>
      <Form method="post" noValidate>
        <CsrfInput />
        <label>
          {t("own.kind")}{" "}
          <select name="kind" defaultValue="RELATIVE_EMPLOYER">
            <option value="RELATIVE_EMPLOYER">{t("own.RELATIVE_EMPLOYER")}</option>
            <option value="FORMER_EMPLOYER">{t("own.FORMER_EMPLOYER")}</option>
          </select>
        </label>
        <Field name="organizationName" label={t("own.organizationName")} error={err("organizationName")} required />
        <Field name="creditCode" label={t("own.creditCode")} error={err("creditCode")} required />
        <Field name="relation" label={t("own.relation")} error={err("relation")} />
        <Field name="endedOn" type="date" label={t("own.endedOn")} error={err("endedOn")} />
        <button type="submit" name="intent" value="declare">
          {t("own.add")}
        </button>
      </Form>
    </section>
  );
}
