import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation, useSearchParams, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { getUser, safeRedirect } from "~/platform/auth/auth.server.ts";
import { csrfToken, requireCsrf } from "~/platform/auth/csrf.server.ts";
import { db } from "~/platform/db.server.ts";
import { appendAudit } from "~/platform/audit/audit.server.ts";
import { verifyPassword } from "~/features/accounts/index.ts";
import { createSession } from "~/platform/auth/session.server.ts";
import { throttle } from "~/features/accounts/index.ts";
import { parseForm } from "~/platform/forms.ts";
import { SignInSchema } from "~/features/accounts/index.ts";
import { CsrfInput } from "~/ui/components/csrf.tsx";
import { Field } from "~/ui/components/field.tsx";
import { clientIp, readForm } from "~/platform/request.server.ts";
import { AUDIT_SUBJECT } from "~/platform/audit/subjects.ts";

export const meta: MetaFunction = () => [{ title: "登录 · 明标" }];

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getUser(request)) throw redirect("/account");
  const csrf = await csrfToken(request);
  return json({ csrf: csrf.token }, csrf.setCookie ? { headers: { "Set-Cookie": csrf.setCookie } } : undefined);
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await readForm(request);
  await requireCsrf(request, form);
  const parsed = parseForm(SignInSchema, form);
  if (!parsed.ok) return json({ fieldErrors: parsed.fieldErrors, formError: null, retryAfter: 0, values: parsed.values }, 400);
  const { email, password, redirectTo } = parsed.data;
  const values = { email };
  const ip = clientIp(request);
  const gate = await throttle().checkSignIn({ email, ip });
  if (!gate.ok) {
    const formError = gate.reason === "ip" ? "auth.throttledAddress" : "auth.throttledAccount";
    return json(
      { fieldErrors: {}, formError, retryAfter: gate.retryAfterSeconds, values },
      { status: 429, headers: { "Retry-After": String(gate.retryAfterSeconds) } },
    );
  }
  const user = await db().user.findUnique({
    where: { email },
    select: { id: true, passwordHash: true, disabledAt: true },
  });
  const ok = user && !user.disabledAt && (await verifyPassword(password, user.passwordHash));
  if (!user || !ok) {
    await throttle().recordSignInFailure({ email, ip });
    return json({ fieldErrors: {}, formError: "auth.badCredentials", retryAfter: 0, values }, 400);
  }
  await throttle().recordSignInSuccess({ email });
  const cookie = await createSession(user.id, { ip, userAgent: request.headers.get("user-agent") ?? undefined });
  await appendAudit({
    actorId: user.id,
    action: "auth.sign_in",
    subjectType: AUDIT_SUBJECT.User,
    subjectId: user.id,
    data: { ip },
  });
  return redirect(safeRedirect(redirectTo, "/account"), { headers: { "Set-Cookie": cookie } });
}

export default function Login() {
  const { csrf } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const [params] = useSearchParams();
  const navigation = useNavigation();
  const { t } = useTranslation();
  const errors: Record<string, string | undefined> = data?.fieldErrors ?? {};
  return (
    <section className="auth-card">
      <h1>{t("auth.signInTitle")}</h1>
      <Form method="post" noValidate>
        <CsrfInput token={csrf} />
        <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? ""} />
        {data?.formError && (
          <p className="form-error" role="alert">
            {t(data.formError, { seconds: data.retryAfter, minutes: Math.ceil(data.retryAfter / 60) })}
          </p>
        )}
        <Field
          name="email"
          type="email"
          label={t("auth.email")}
          autoComplete="username"
          defaultValue={data?.values.email}
          error={errors.email}
          required
        />
        <Field
          name="password"
          type="password"
          label={t("auth.password")}
          autoComplete="current-password"
          error={errors.password}
          required
        />
        <button type="submit" className="primary" disabled={navigation.state === "submitting"}>
          {t("auth.submitSignIn")}
        </button>
      </Form>
      <p>
        {t("auth.noAccount")} <Link to="/signup">{t("nav.signUp")}</Link>
      </p>
    </section>
  );
}
