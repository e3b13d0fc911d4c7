// 评标室设备 — the trading centre's evaluation-room devices (its staff or a room device account)
// find the rooms they can join. Rooms open and end with the evaluation session, not here.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { roomDeviceTenders } from "~/features/witness/index.ts";

export const meta: MetaFunction = () => [{ title: "评标室设备 · 明标" }];

export async function loader({ request }: LoaderFunctionArgs) {
  return json({ tenders: await roomDeviceTenders(request) });
}

export default function CentreDevices() {
  const { tenders } = useLoaderData<typeof loader>();
  const { t } = useTranslation("witness");
  return (
    <section className="stack">
      <h1>{t("devices.title")}</h1>
      <p className="muted">{t("devices.intro")}</p>
      {tenders.length === 0 ? <p>{t("devices.empty")}</p> : null}
      <ul className="stack">
        {tenders.map((x) => (
          <li key={x.id} className="card" data-testid="device-tender">
            <strong>{x.title}</strong> <span className="code">{x.code}</span>
            <p>{t(`witnessState.${x.state}`)}</p>
            {x.state === "open" ? (
              <p className="actions">
                {[1, 2].map((n) => (
                  <Link key={n} to={`/witness/${x.id}/device?device=camera-${n}`}>
                    {t("devices.camera", { n })}
                  </Link>
                ))}
              </p>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
