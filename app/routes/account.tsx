import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireUser } from "~/platform/auth/auth.server.ts";

export const meta: MetaFunction = () => [{ title: "我的账户 · 明标" }];

export async function loader({ request }: LoaderFunctionArgs) {
  return json({ user: await requireUser(request) });
}

export default function Account() {
  const { user } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  return (
    <section>
      <h1>{t("auth.welcome", { name: user.name })}</h1>
      <dl className="facts">
        <div>
          <dt>{t("auth.email")}</dt>
          <dd>{user.email}</dd>
        </div>
        <div>
          <dt>{t("nav.account")}</dt>
          <dd data-testid="role">{t("auth.signedInAs", { role: t(`role.${user.role}`) })}</dd>
        </div>
        <div>
          <dt>{t("auth.organization")}</dt>
          <dd>{user.organizationName ?? "—"}</dd>
        </div>
      </dl>
      {user.role !== "ADMIN" && user.role !== "ROOM_DEVICE" && (
        <p className="actions">
          <Link to="/pki/enrol">{t("pki:title")}</Link>
        </p>
      )}
    </section>
  );
}
