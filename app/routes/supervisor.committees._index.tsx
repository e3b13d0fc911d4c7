// 专家抽取监督 — the requests on the tenders this supervisor is assigned to.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { supervisorRequests } from "~/features/experts/index.ts";
import { requireUser } from "~/platform/auth/auth.server.ts";
import { formatDateTime } from "~/ui/format.ts";
import { isLocale } from "~/ui/i18n.ts";

export const meta: MetaFunction = () => [{ title: "专家抽取监督 · 明标" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request, ["SUPERVISOR"]);
  return json({ requests: await supervisorRequests(user.id) });
}

export default function SupervisedCommittees() {
  const { requests } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation("experts");
  const lng = isLocale(i18n.language) ? i18n.language : "zh-CN";
  return (
    <section className="stack">
      <h1>{t("supervise.title")}</h1>
      <p className="muted">{t("supervise.intro")}</p>
      {requests.length === 0 && <p>{t("supervise.noRequests")}</p>}
      <ul>
        {requests.map((r) => (
          <li key={r.id} data-testid="supervised-request">
            {r.tender.title} <small className="code">{r.tender.code}</small> · {t(`requestStatus.${r.status}`)} ·{" "}
            {t("request.evaluationStart")} {formatDateTime(r.evaluationStartAt, lng)}{" "}
            <Link to={`/supervisor/committees/${r.id}`}>{t("supervise.open")}</Link>
          </li>
        ))}
      </ul>
    </section>
  );
}
