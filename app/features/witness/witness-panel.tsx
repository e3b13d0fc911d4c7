// 数字见证 on the agent's tender page: the room's state, start/end, the device page link.
import { Form, Link, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CsrfInput } from "../../ui/components/csrf.tsx";

export type WitnessPanelState = "notOpened" | "open" | "ended";

const ERRORS = new Set(["NOT_PUBLISHED", "ALREADY_ENDED", "NOT_OPEN", "MEDIA_UNREACHABLE"]);

export function WitnessPanel({ tenderId, state }: { tenderId: string; state: WitnessPanelState }) {
  const { t } = useTranslation("witness");
  const [params] = useSearchParams();
  const done = params.get("witness");
  const error = params.get("witnessError");
  return (
    <section className="card stack" id="witness" data-testid="witness-panel">
      <h2>{t("agent.title")}</h2>
      <p className="muted">{t("agent.intro")}</p>
      <p data-testid="witness-state">
        <strong>{t(`witnessState.${state}`)}</strong>
      </p>
      {done === "started" || done === "ended" ? <p role="status">{t(`agent.${done}`)}</p> : null}
      {error && ERRORS.has(error) ? <p role="alert" className="error">{t(`errors.${error}`)}</p> : null}
      {state === "notOpened" && (
        <Form method="post" action={`/agent/tenders/${tenderId}/witness`}>
          <CsrfInput />
          <button type="submit" name="intent" value="start">{t("agent.start")}</button>
        </Form>
      )}
      {state === "open" && (
        <>
          <p>
            <Link to={`/witness/${tenderId}/device?device=camera-1`} target="_blank" rel="noreferrer">{t("agent.devicePage")}</Link>
          </p>
          <Form
            method="post"
            action={`/agent/tenders/${tenderId}/witness`}
            onSubmit={(e) => {
              if (!window.confirm(t("agent.endConfirm"))) e.preventDefault();
            }}
          >
            <CsrfInput />
            <button type="submit" name="intent" value="end">{t("agent.end")}</button>
          </Form>
        </>
      )}
    </section>
  );
}
