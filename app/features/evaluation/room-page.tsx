// The evaluation room's page (评标室): the member's steps in order, each act signed in the page
// with the member's signing key file; the supervisors' live feed and alerts; the agent's report.
// The parts live beside it: room-page-member (steps, review, scoring, report), room-page-supervisor.
import { useTranslation } from "react-i18next";
import { CsrfInput } from "../../ui/components/csrf.tsx";
import { MemberRoom } from "./room-page-member.tsx";
import type { AnyView } from "./room-page-shared.tsx";
import { SupervisorPanel } from "./room-page-supervisor.tsx";

export function EvaluationRoom({ view }: { view: AnyView }) {
  const { t } = useTranslation("room");
  return (
    <main className="page">
      <h1>
        {t("title")} · {view.tender.code} {view.tender.title}
      </h1>
      <CsrfInput />
      {view.refusal ? (
        <p className="error" role="alert" data-testid="room-refusal">
          {t(view.refusal.code.replace(/^room\./, ""))}
        </p>
      ) : null}
      {view.role === "agent" ? (
        <AgentPanel view={view} />
      ) : "recused" in view ? (
        <p data-testid="room-status">{t("ended")}</p>
      ) : !("members" in view) ? (
        <p data-testid="room-status">{t("notOpen")}</p>
      ) : view.role === "supervisor" ? (
        <SupervisorPanel view={view} />
      ) : (
        <MemberRoom view={view} />
      )}
    </main>
  );
}

function AgentPanel({ view }: { view: AnyView }) {
  const { t } = useTranslation("room");
  return view.reportSigned ? (
    <p>
      <a href={`/evaluation/${view.tender.id}/report.pdf`} data-testid="report-link">
        {t("report.pdf")}
      </a>
    </p>
  ) : (
    <p data-testid="room-status">{t("agent.inProgress")}</p>
  );
}
