// The evaluation room page for an assigned supervisor: the live link, alerts, the feed, clarifications to approve.
import { useTranslation } from "react-i18next";
import { Clarifications } from "./room-page-clarifications.tsx";
import { Card, type View } from "./room-page-shared.tsx";

export function SupervisorPanel({ view }: { view: View }) {
  const { t } = useTranslation("room");
  return (
    <>
      <p>
        <a href={`/witness/${view.tender.id}`}>{t("supervisor.live")}</a>
      </p>
      {view.reportSigned ? (
        <p>
          <a href={`/evaluation/${view.tender.id}/report.pdf`} data-testid="report-link">
            {t("report.pdf")}
          </a>
        </p>
      ) : null}
      <Clarifications view={view} />
      <Card title={t("supervisor.alerts")} testId="room-alerts">
        {(view.alerts ?? []).length === 0 ? <p>{t("supervisor.noAlerts")}</p> : null}
        <ul>
          {(view.alerts ?? []).map((a, i) => (
            <li key={i} data-testid="room-alert" data-kind={a.kind}>
              {t(`alerts.${a.kind}`)} {JSON.stringify({ ...a, kind: undefined })}
            </li>
          ))}
        </ul>
      </Card>
      <Card title={t("supervisor.feed")} testId="room-feed">
        <ol>
          {(view.feed ?? []).map((f) => (
            <li key={f.seq} data-action={f.action}>
              {new Date(f.at).toLocaleTimeString("zh-CN", { timeZone: "Asia/Shanghai" })} {f.actorName}{" "}
              {t(`actions.${f.action.replace("evaluation.", "")}`, { defaultValue: f.action })}
            </li>
          ))}
        </ol>
      </Card>
    </>
  );
}
