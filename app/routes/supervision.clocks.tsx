// 节点控制预警 — every open statutory clock of the tenders a supervisor is assigned to.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireUser } from "~/platform/auth/auth.server.ts";
import { listOpenClocks } from "~/features/clocks/index.ts";
import { Due } from "~/features/complaints/index.ts";

export const meta: MetaFunction = () => [{ title: "节点控制预警 · 明标" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request, ["SUPERVISOR", "ADMIN"]);
  return json({ clocks: await listOpenClocks(user) });
}

function subjectLink(c: { subjectType: string; subjectId: string; tenderId: string }): string {
  if (c.subjectType === "Complaint") return `/complaints/${c.subjectId}`;
  if (c.subjectType === "Objection") return `/objections/${c.subjectId}`;
  if (c.subjectType === "Award") return `/tenders/${c.tenderId}/result`;
  return `/tenders/${c.tenderId}`;
}

export default function ClockDashboard() {
  const { clocks } = useLoaderData<typeof loader>();
  const { t } = useTranslation("remedies");
  return (
    <section className="stack">
      <h1>{t("clocks.title")}</h1>
      <p className="muted">{t("clocks.intro")}</p>
      {clocks.length === 0 ? (
        <p className="empty">{t("clocks.none")}</p>
      ) : (
        <table data-testid="clocks">
          <thead>
            <tr>
              <th>{t("clocks.tender")}</th>
              <th>{t("clocks.clock")}</th>
              <th>{t("clocks.party")}</th>
              <th>{t("clocks.due")}</th>
              <th>{t("clocks.state")}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {clocks.map((c) => (
              <tr
                key={c.id}
                data-testid={`clock-${c.kind}`}
                className={c.state === "overdue" ? "error" : c.state === "warning" ? "warning" : undefined}
              >
                <td>
                  {c.tenderTitle}
                  <br />
                  <small className="code">{c.tenderCode}</small>
                </td>
                <td>{t(`clocks.kinds.${c.kind}`)}</td>
                <td>{t(`clocks.parties.${c.party}`)}</td>
                <td>
                  <Due at={c.dueAt} provisionalYears={c.provisionalYears} />
                </td>
                <td>{t(`clocks.states.${c.state}`)}</td>
                <td>
                  <Link to={subjectLink(c)}>{t("clocks.open")}</Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
