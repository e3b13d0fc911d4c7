import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireUser } from "~/platform/auth/auth.server.ts";
import { formatDateTime } from "~/ui/format.ts";
import type { Locale } from "~/ui/i18n.ts";
import { listAgentTenders } from "~/features/tenders/index.ts";

export const meta: MetaFunction = () => [{ title: "我的招标项目 · 明标" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request, ["AGENT"]);
  return json({ tenders: await listAgentTenders(user) });
}

export default function AgentTenders() {
  const { tenders } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation("tender");
  const locale = i18n.language as Locale;
  return (
    <section>
      <h1>{t("agent.listTitle")}</h1>
      <p>
        <Link to="/agent/tenders/new">{t("agent.newTender")}</Link>
      </p>
      {tenders.length === 0 ? (
        <p className="empty">{t("agent.none")}</p>
      ) : (
        <table className="notices">
          <thead>
            <tr>
              <th>{t("form.code")}</th>
              <th>{t("form.title")}</th>
              <th>{t("form.bidDeadline")}</th>
              <th>{t("agent.status")}</th>
            </tr>
          </thead>
          <tbody>
            {tenders.map((tender) => (
              <tr key={tender.id}>
                <td className="code">{tender.code}</td>
                <td>
                  <Link to={`/agent/tenders/${tender.id}`}>{tender.title}</Link>
                </td>
                <td>{formatDateTime(tender.bidDeadline, locale)}</td>
                <td>
                  <span className={`status status-${tender.status}`}>{t(`status.${tender.status}`)}</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
