// 申请成为评标专家: a person applies to the pool; the trading centre approves on /admin/experts.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { applyAsExpert, ExpertApplicationSchema, SpecialtyChoice, specialtyTree } from "~/features/experts/index.ts";
import { throttle } from "~/features/accounts/index.ts";
import { getUser } from "~/platform/auth/auth.server.ts";
import { csrfToken, requireCsrf } from "~/platform/auth/csrf.server.ts";
import { createSession } from "~/platform/auth/session.server.ts";
import { parseForm } from "~/platform/forms.ts";
import { clientIp, readForm } from "~/platform/request.server.ts";
import { CsrfInput } from "~/ui/components/csrf.tsx";
import { Field } from "~/ui/components/field.tsx";

export const meta: MetaFunction = () => [{ title: "申请成为评标专家 · 明标" }];

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getUser(request)) throw redirect("/account");
  const csrf = await csrfToken(request);
  return json(
    { csrf: csrf.token, specialties: await specialtyTree() },
    csrf.setCookie ? { headers: { "Set-Cookie": csrf.setCookie } } : undefined,
  );
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await readForm(request);
  await requireCsrf(request, form);
  const gate = await throttle().admitSignUp(clientIp(request));
  if (!gate.ok)
    return json(
      {
        fieldErrors: { _form: "validation.invalid" } as Record<string, string>,
        values: {} as Record<string, string>,
        chosen: [] as string[],
      },
      { status: 429, headers: { "Retry-After": String(gate.retryAfterSeconds) } },
    );
  const chosen = form.getAll("specialties").map(String);
  const raw = new FormData();
  for (const [k, v] of form.entries()) if (k !== "specialties") raw.append(k, v);
  raw.append("specialties", chosen.join(","));
  const parsed = parseForm(ExpertApplicationSchema, raw);
  if (!parsed.ok) return json({ fieldErrors: parsed.fieldErrors, values: parsed.values, chosen }, 400);
  const result = await applyAsExpert(parsed.data, { ip: clientIp(request) });
  if (!result.ok)
    return json(
      { fieldErrors: { [result.field]: `apply.${result.error}` } as Record<string, string>, values: parsed.values, chosen },
      409,
    );
  const cookie = await createSession(result.userId, {
    ip: clientIp(request),
    userAgent: request.headers.get("user-agent") ?? undefined,
  });
  return redirect("/expert", { headers: { "Set-Cookie": cookie } });
}

export default function ApplyAsExpert() {
  const { csrf, specialties } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t } = useTranslation("experts");
  const errors: Record<string, string | undefined> = data?.fieldErrors ?? {};
  const values: Record<string, string | undefined> = data?.values ?? {};
  const err = (name: string) => (errors[name] ? t(errors[name]) : undefined);
  return (
    <section className="auth-card wide">
      <h1>{t("apply.title")}</h1>
      <p className="muted">{t("apply.intro")}</p>
      <Form method="post" noValidate>
        <CsrfInput token={csrf} />
        {errors._form && (
          <p className="form-error" role="alert">
            {t(errors._form)}
          </p>
        )}
        <Field name="name" label={t("apply.name")} defaultValue={values.name} error={err("name")} required />
        <Field name="idNumber" label={t("apply.idNumber")} defaultValue={values.idNumber} error={err("idNumber")} required />
        <Field
          name="employerName"
          label={t("apply.employerName")}
          defaultValue={values.employerName}
          error={err("employerName")}
          required
        />
        <Field
          name="employerCreditCode"
          label={t("apply.employerCreditCode")}
          defaultValue={values.employerCreditCode}
          error={err("employerCreditCode")}
          required
        />
        <Field name="title" label={t("apply.jobTitle")} defaultValue={values.title} error={err("title")} required />
        <Field
          name="yearsOfPractice"
          type="number"
          label={t("apply.yearsOfPractice")}
          defaultValue={values.yearsOfPractice}
          error={err("yearsOfPractice")}
          required
        />
        <Field name="region" label={t("apply.region")} defaultValue={values.region} error={err("region")} required />
        <Field name="phone" type="tel" label={t("apply.phone")} defaultValue={values.phone} error={err("phone")} required />
        <SpecialtyChoice specialties={specialties} chosen={data?.chosen ?? []} error={err("specialties")} />
        <Field
          name="email"
          type="email"
          label={t("apply.email")}
          defaultValue={values.email}
          error={err("email")}
          autoComplete="email"
          required
        />
        <Field
          name="password"
          type="password"
          label={t("apply.password")}
          error={err("password")}
          autoComplete="new-password"
          required
        />
        <button type="submit" className="primary" disabled={navigation.state === "submitting"}>
          {t("apply.submit")}
        </button>
      </Form>
    </section>
  );
}
