// 数字见证 — a supervisor's tenders (assigned by the trading centre), each with its room's state,
// the live view, the recording, and the wall of every room now in session.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireUser } from "~/platform/auth/auth.server.ts";
import { supervisedTenders } from "~/features/witness/index.ts";

export const meta: MetaFunction = () => [{ title: "数字见证 · 明标" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request, ["SUPERVISOR"]);
  return json({ tenders: await supervisedTenders(user.id) });
}

export default function SupervisorTenders() {
  const { tenders } = useLoaderData<typeof loader>();
  const { t } = useTranslation("witness");
  const live = tenders.filter((x) => x.state === "open").slice(0, 9);
  return (
    <section className="stack">
      <h1>{t("index.title")}</h1>
      {tenders.length === 0 ? <p className="muted">{t("index.empty")}</p> : null}
      {live.length > 1 ? (
        <p>
          <Link to={`/witness/wall?${live.map((x) => `tender=${x.id}`).join("&")}`}>{t("index.wall")}</Link>
        </p>
      ) : null}
      <ul className="stack">
        {tenders.map((x) => (
          <li key={x.id} data-testid="supervised-tender">
            <strong>{x.title}</strong> <span className="code">{x.code}</span> · <span>{t(`witnessState.${x.state}`)}</span>
            <br />
            {x.state === "open" ? <Link to={`/witness/${x.id}`}>{t("index.live")}</Link> : null}
            {x.state === "ended" ? <Link to={`/witness/${x.id}/recording`}>{t("index.recording")}</Link> : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
