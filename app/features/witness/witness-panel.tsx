// 数字见证 on the agent's tender page: the room's state only. The room belongs to the trading
// centre and opens and ends with the evaluation session (decision 037, revised): the tenderer
// cannot switch off its own supervision.
import { useTranslation } from "react-i18next";

export type WitnessPanelState = "notOpened" | "open" | "ended";

export function WitnessPanel({ state }: { state: WitnessPanelState }) {
  const { t } = useTranslation("witness");
  return (
    <section className="card stack" id="witness" data-testid="witness-panel">
      <h2>{t("agent.title")}</h2>
      <p className="muted">{t("agent.intro")}</p>
      <p data-testid="witness-state">
        <strong>{t(`witnessState.${state}`)}</strong>
      </p>
    </section>
  );
}
