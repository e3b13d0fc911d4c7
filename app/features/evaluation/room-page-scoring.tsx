// The evaluation room page's detailed review (详细评审): signed score sheets, the summary with its
// outliers, more time, the chair's collusion finding and closing of the summary.
import { useTranslation } from "react-i18next";
import { Card, type ActFn, type View } from "./room-page-shared.tsx";

export function Scoring({ view, act, busy, isChair }: { view: View; act: ActFn; busy: boolean; isChair: boolean }) {
  const { t } = useTranslation("room");
  const me = view.me;
  const mine = view.mySheets.filter((s) => s.kind === "SCORE");
  const summary = view.summary as {
    results: {
      bidderId: string;
      technicalScore: number;
      commercialScore: number;
      priceScore: number;
      pricePoints: number;
      total: number;
    }[];
    outliers: { expertId: string; bidderId: string; part: string; reason: string | null }[];
    canClose: boolean;
  } | null;
  const name = (id: string) => view.bids.find((b) => b.bidderId === id)?.bidderName ?? id;
  return (
    <Card title={t("scoring.title")} testId="room-scoring">
      {view.bids
        .filter((b) => view.remaining.includes(b.bidderId))
        .map((b) => {
          const sheet = mine.find((s) => s.bidderId === b.bidderId);
          return (
            <form
              key={b.bidderId}
              data-testid="score-sheet"
              data-bidder={b.bidderName}
              onSubmit={(e) => {
                e.preventDefault();
                const data = new FormData(e.currentTarget);
                const points = Object.fromEntries(view.rules.criteria.map((c) => [c.id, Number(data.get(`pts-${c.id}`))]));
                void act("score", { bidderId: b.bidderId, points }, { act: "score", body: { bidderId: b.bidderId, points } });
              }}
            >
              <h3>
                {b.bidderName}
                {sheet ? ` · ${t("scoring.submitted")}` : ""}
              </h3>
              {view.rules.criteria.map((c) => (
                <label key={c.id}>
                  {c.name}（0–{c.maxPoints}）{" "}
                  <input
                    type="number"
                    step="0.5"
                    min={0}
                    max={c.maxPoints}
                    name={`pts-${c.id}`}
                    aria-label={`${b.bidderName} ${c.name}`}
                    defaultValue={sheet ? String(sheet.body.points?.[c.id] ?? "") : ""}
                    disabled={!!sheet}
                  />
                </label>
              ))}
              {sheet ? (
                <button
                  type="button"
                  disabled={busy}
                  onClick={() =>
                    void act("withdraw", { sheetId: sheet.id, reason: window.prompt(t("scoring.withdrawReason")) ?? "" })
                  }
                >
                  {t("scoring.withdraw")}
                </button>
              ) : (
                <button type="submit" disabled={busy}>
                  {t("scoring.submit")}
                </button>
              )}
            </form>
          );
        })}
      {summary ? (
        <div data-testid="room-summary">
          <h3>{t("summary.title")}</h3>
          <table>
            <tbody>
              {summary.results.map((r) => (
                <tr key={r.bidderId}>
                  <td>{name(r.bidderId)}</td>
                  <td>{r.technicalScore}</td>
                  <td>{r.commercialScore}</td>
                  <td>{t("summary.price", { score: r.priceScore, points: r.pricePoints })}</td>
                  <td>{r.total}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {summary.outliers.map((o) => (
            <form
              key={`${o.expertId}-${o.bidderId}-${o.part}`}
              data-testid="outlier"
              onSubmit={(e) => {
                e.preventDefault();
                void act("outlier", {
                  bidderId: o.bidderId,
                  part: o.part,
                  reason: String(new FormData(e.currentTarget).get("reason") ?? ""),
                });
              }}
            >
              {t("summary.outlier", { bidder: name(o.bidderId), part: o.part })}{" "}
              {o.reason ? `${t("summary.reason")}：${o.reason}` : null}
              {o.expertId === me?.userId && !o.reason ? (
                <>
                  <input name="reason" aria-label={t("summary.reason")} />
                  <button type="submit">{t("summary.explain")}</button>
                </>
              ) : null}
            </form>
          ))}
        </div>
      ) : view.summaryError ? (
        <p data-testid="summary-pending">{t("summary.pending")}</p>
      ) : null}
      {!me?.moreTime ? (
        <button type="button" disabled={busy} onClick={() => void act("moreTime", {})}>
          {t("moreTime")}
        </button>
      ) : null}
      {isChair ? <Collusion view={view} act={act} busy={busy} /> : null}
      {isChair ? (
        <button type="button" disabled={busy} data-testid="close-summary" onClick={() => void act("closeSummary", {})}>
          {t("summary.close")}
        </button>
      ) : null}
    </Card>
  );
}

/** The chair records the committee's finding of collusion (Regs Art 40): those bids are out, with the reason. */
export function Collusion({ view, act, busy }: { view: View; act: ActFn; busy: boolean }) {
  const { t } = useTranslation("room");
  const findings = (view.session?.collusionFindings ?? []) as { bidderIds: string[]; reason: string }[];
  const name = (id: string) => view.bids.find((b) => b.bidderId === id)?.bidderName ?? id;
  return (
    <form
      data-testid="collusion-finding"
      onSubmit={(e) => {
        e.preventDefault();
        const data = new FormData(e.currentTarget);
        void act("collusion", { bidderIds: data.getAll("bidderIds").map(String), reason: String(data.get("reason") ?? "") });
      }}
    >
      <h3>{t("collusion.title")}</h3>
      <ul>
        {findings.map((f, i) => (
          <li key={i}>
            {f.bidderIds.map(name).join("、")}：{f.reason}
          </li>
        ))}
      </ul>
      {view.bids
        .filter((b) => view.remaining.includes(b.bidderId))
        .map((b) => (
          <label key={b.bidderId}>
            <input type="checkbox" name="bidderIds" value={b.bidderId} /> {b.bidderName}
          </label>
        ))}
      <input name="reason" aria-label={t("collusion.reason")} placeholder={t("collusion.reason")} />
      <button type="submit" disabled={busy}>
        {t("collusion.submit")}
      </button>
    </form>
  );
}
