// 投诉处理 — the complaints of the tenders a supervisor is assigned to, with their open clock.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireUser } from "~/platform/auth/auth.server.ts";
import { formatDateTime } from "~/ui/format.ts";
import type { Locale } from "~/ui/i18n.ts";
import { listComplaints } from "~/features/complaints/index.ts";

export const meta: MetaFunction = () => [{ title: "投诉处理 · 明标" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request, ["SUPERVISOR", "ADMIN", "BIDDER"]);
  return json({ complaints: await listComplaints(user) });
}

export default function ComplaintList() {
  const { complaints } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation("remedies");
  const locale = i18n.language as Locale;
  return (
    <section className="stack">
      <h1>{t("complaints.list")}</h1>
      {complaints.length === 0 ? (
        <p className="empty">{t("complaints.none")}</p>
      ) : (
        <ul className="stack" style={{ listStyle: "none", padding: 0 }}>
          {complaints.map((c) => (
            <li key={c.id} className="card" data-testid="complaint">
              <strong>{t(`complaints.status.${c.status}`)}</strong> · {c.tenderTitle}{" "}
              <small className="code">{c.tenderCode}</small> · {t(`complaints.matters.${c.matter}`)} ·{" "}
              {formatDateTime(c.filedAt, locale)}
              {c.dueAt && c.dueKind ? (
                <p>
                  {t(`clocks.kinds.${c.dueKind}`)}：{formatDateTime(c.dueAt, locale)}
                  {c.provisional ? t("provisionalShort") : ""}
                </p>
              ) : null}
              <p>
                <Link to={`/complaints/${c.id}`}>{t("complaints.view")}</Link>
              </p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
