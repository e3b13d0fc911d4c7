// The evaluation room page's detailed review by the lowest evaluated price method (经评审的最低投标价法,
// decision 105): per remaining bid a signed sheet with an amount for each of the tender's adjustment
// factors, within each factor's range; the evaluated prices and the ranking, computed by bidding-core.
import { useTranslation } from "react-i18next";
import { formatYuan } from "../../../bidding-core/index";
import { Collusion } from "./room-page-scoring.tsx";
import { Card, type ActFn, type View } from "./room-page-shared.tsx";

type LepSummary = {
  results: { bidderId: string; price: string; evaluatedPrice: string; adjustments: { reason: string; amount: string }[] }[];
  ranking: { rank: number; bid: { bidderId: string }; unresolvedTieWith: string[] }[];
};

const yuan = (fen: string) => formatYuan(BigInt(fen));

export function Adjustments({ view, act, busy, isChair }: { view: View; act: ActFn; busy: boolean; isChair: boolean }) {
  const { t } = useTranslation("room");
  const me = view.me;
  const mine = view.mySheets.filter((s) => s.kind === "ADJUSTMENT");
  const rules = view.rules.adjustments;
  const summary = view.summary as LepSummary | null;
  const name = (id: string) => view.bids.find((b) => b.bidderId === id)?.bidderName ?? id;
  return (
    <Card title={t("adjustment.title")} testId="room-adjustments">
      <p className="muted">{rules.length === 0 ? t("adjustment.none") : t("adjustment.hint")}</p>
      {view.bids
        .filter((b) => view.remaining.includes(b.bidderId))
        .map((b) => {
          const sheet = mine.find((s) => s.bidderId === b.bidderId);
          return (
            <form
              key={b.bidderId}
              data-testid="adjustment-sheet"
              data-bidder={b.bidderName}
              onSubmit={(e) => {
                e.preventDefault();
                const data = new FormData(e.currentTarget);
                const amounts = Object.fromEntries(rules.map((r) => [r.id, String(data.get(`amt-${r.id}`) ?? "").trim()]));
                void act(
                  "adjustment",
                  { bidderId: b.bidderId, amounts },
                  { act: "adjustment", body: { bidderId: b.bidderId, amounts } },
                );
              }}
            >
              <h3>
                {b.bidderName} · {t("bids.price")} {b.readOut.price ?? "—"}
                {sheet ? ` · ${t("adjustment.submitted")}` : ""}
              </h3>
              {rules.map((r) => (
                <label key={r.id}>
                  {r.factor}（{r.rule}；
                  {r.minPercent === undefined && r.maxPercent === undefined
                    ? t("adjustment.unbounded")
                    : t("adjustment.range", { min: r.minPercent ?? "—", max: r.maxPercent ?? "—" })}
                  ）{" "}
                  <input
                    name={`amt-${r.id}`}
                    inputMode="decimal"
                    aria-label={`${b.bidderName} ${r.factor}`}
                    defaultValue={sheet ? String(sheet.body.amounts?.[r.id] ?? "") : "0"}
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
                  {t("adjustment.withdraw")}
                </button>
              ) : (
                <button type="submit" disabled={busy}>
                  {t("adjustment.submit")}
                </button>
              )}
            </form>
          );
        })}
      {summary ? (
        <div data-testid="room-summary">
          <h3>{t("lepSummary.title")}</h3>
          <table>
            <thead>
              <tr>
                <th>{t("lepSummary.rank")}</th>
                <th>{t("lepSummary.bidder")}</th>
                <th>{t("lepSummary.price")}</th>
                <th>{t("lepSummary.adjustments")}</th>
                <th>{t("lepSummary.evaluated")}</th>
              </tr>
            </thead>
            <tbody>
              {summary.ranking.map((r) => {
                const x = summary.results.find((y) => y.bidderId === r.bid.bidderId);
                if (!x) return null;
                return (
                  <tr key={x.bidderId} data-testid="evaluated-price" data-bidder={name(x.bidderId)}>
                    <td>{r.rank}</td>
                    <td>{name(x.bidderId)}</td>
                    <td>{yuan(x.price)}</td>
                    <td>{x.adjustments.map((a) => `${a.reason} ${yuan(a.amount)}`).join("；")}</td>
                    <td>{yuan(x.evaluatedPrice)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <p className="muted">{t("lepSummary.noOutlier")}</p>
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
