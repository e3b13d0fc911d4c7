import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { getUser } from "~/platform/auth/auth.server.ts";
import { csrfToken, requireCsrf } from "~/platform/auth/csrf.server.ts";
import { registerBidder } from "~/features/accounts/index.ts";
import { createSession } from "~/platform/auth/session.server.ts";
import { parseForm } from "~/platform/forms.ts";
import { SignUpSchema } from "~/features/accounts/index.ts";
import { CsrfInput } from "~/ui/components/csrf.tsx";
import { Field } from "~/ui/components/field.tsx";
import { clientIp, readForm } from "~/platform/request.server.ts";
import { throttle } from "~/features/accounts/index.ts";

export const meta: MetaFunction = () => [{ title: "投标人注册 · 明标" }];

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getUser(request)) throw redirect("/account");
  const csrf = await csrfToken(request);
  return json({ csrf: csrf.token }, csrf.setCookie ? { headers: { "Set-Cookie": csrf.setCookie } } : undefined);
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await readForm(request);
  await requireCsrf(request, form);
  const gate = await throttle().admitSignUp(clientIp(request));
  if (!gate.ok) {
    return json(
      { fieldErrors: {}, formError: "auth.throttledSignUp", retryAfter: gate.retryAfterSeconds, values: {} },
      { status: 429, headers: { "Retry-After": String(gate.retryAfterSeconds) } },
    );
  }
  const parsed = parseForm(SignUpSchema, form);
  if (!parsed.ok) return json({ fieldErrors: parsed.fieldErrors, formError: null, retryAfter: 0, values: parsed.values }, 400);
  const result = await registerBidder(parsed.data, { ip: clientIp(request) });
  if (!result.ok) {
    return json({ fieldErrors: { [result.field]: result.message }, formError: null, retryAfter: 0, values: parsed.values }, 409);
  }
  const cookie = await createSession(result.userId, {
    ip: clientIp(request),
    userAgent: request.headers.get("user-agent") ?? undefined,
  });
  return redirect("/account", { headers: { "Set-Cookie": cookie } });
}

export default function SignUp() {
  const { csrf } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t } = useTranslation();
  const errors: Record<string, string | undefined> = data?.fieldErrors ?? {};
  const values: Record<string, string | undefined> = data?.values ?? {};
  return (
    <section className="auth-card wide">
      <h1>{t("auth.signUpTitle")}</h1>
      <p className="muted">{t("auth.signUpIntro")}</p>
      <Form method="post" noValidate>
        <CsrfInput token={csrf} />
        {data?.formError && (
          <p className="form-error" role="alert">
            {t(data.formError, { minutes: Math.ceil(data.retryAfter / 60) })}
          </p>
        )}
        <Field
          name="organizationName"
          label={t("auth.organizationName")}
          defaultValue={values.organizationName}
          error={errors.organizationName}
          autoComplete="organization"
          required
        />
        <Field
          name="creditCode"
          label={t("auth.creditCode")}
          hint={t("auth.creditCodeHint")}
          defaultValue={values.creditCode}
          error={errors.creditCode}
          required
        />
        <Field name="name" label={t("auth.name")} defaultValue={values.name} error={errors.name} autoComplete="name" required />
        <Field
          name="email"
          type="email"
          label={t("auth.email")}
          defaultValue={values.email}
          error={errors.email}
          autoComplete="email"
          required
        />
        <Field
          name="phone"
          type="tel"
          label={t("auth.phone")}
          defaultValue={values.phone}
          error={errors.phone}
          autoComplete="tel"
          required
        />
        <Field
          name="password"
          type="password"
          label={t("auth.password")}
          hint={t("auth.passwordHint")}
          error={errors.password}
          autoComplete="new-password"
          required
        />
        <Field
          name="passwordConfirm"
          type="password"
          label={t("auth.passwordConfirm")}
          error={errors.passwordConfirm}
          autoComplete="new-password"
          required
        />
        <button type="submit" className="primary" disabled={navigation.state === "submitting"}>
          {t("auth.submitSignUp")}
        </button>
      </Form>
      <p>
        {t("auth.haveAccount")} <Link to="/login">{t("nav.signIn")}</Link>
      </p>
    </section>
  );
}
