// The evaluation room page's clarifications (澄清): the chair asks, a supervisor approves or rejects.
import { useTranslation } from "react-i18next";
import { Card, useAct, type ActFn, type View } from "./room-page-shared.tsx";

export function Clarifications({ view, ask }: { view: View; ask?: ActFn | null }) {
  const { t } = useTranslation("room");
  const name = (id: string) => view.bids.find((b) => b.bidderId === id)?.bidderName ?? id;
  const decide = useAct(view, null);
  return (
    <Card title={t("clarification.title")} testId="room-clarifications">
      <ul>
        {view.clarifications.map((c) => (
          <li key={c.id} data-testid="clarification" data-status={c.status}>
            {name(c.bidderId)}：{c.question} · {t(`clarification.${c.status}`)}
            {c.answer ? ` · ${t("clarification.answer")}：${c.answer}` : ""}
            {view.role === "supervisor" && c.status === "pending" ? (
              <>
                <button type="button" onClick={() => void decide.act("decide", { clarificationId: c.id, approve: true })}>
                  {t("clarification.approve")}
                </button>
                <button type="button" onClick={() => void decide.act("decide", { clarificationId: c.id, approve: false })}>
                  {t("clarification.reject")}
                </button>
              </>
            ) : null}
          </li>
        ))}
      </ul>
      {decide.error ? (
        <p className="error" role="alert">
          {t(decide.error.replace(/^room\./, ""), { defaultValue: decide.error })}
        </p>
      ) : null}
      {ask ? (
        <form
          data-testid="ask-clarification"
          onSubmit={(e) => {
            e.preventDefault();
            const data = new FormData(e.currentTarget);
            void ask("ask", {
              bidderId: String(data.get("bidderId")),
              question: String(data.get("question") ?? ""),
              hours: Number(data.get("hours") ?? 2),
            });
          }}
        >
          <select name="bidderId" aria-label={t("clarification.bidder")}>
            {view.bids.map((b) => (
              <option key={b.bidderId} value={b.bidderId}>
                {b.bidderName}
              </option>
            ))}
          </select>
          <textarea name="question" aria-label={t("clarification.question")} />
          <label>
            {t("clarification.hours")} <input type="number" name="hours" min={1} max={72} defaultValue={2} />
          </label>
          <button type="submit">{t("clarification.ask")}</button>
        </form>
      ) : null}
    </Card>
  );
}
