import { useTranslation } from "react-i18next";
import { formatCny } from "../../ui/format.ts";
import type { Locale } from "../../ui/i18n.ts";
import type { PublicityContent } from "./publicity-content.ts";

/**
 * The candidate notice's body (Regs Art 54), as the public page and the agent's page show it:
 * the candidates in rank with their read-out and score, the bids rejected and why, and the
 * committee (TBL Art 37; `committee` is empty where the names may not be shown).
 */
export function CandidateTables({
  content,
  labels = {},
  committeeHidden = false,
}: {
  content: PublicityContent;
  /** The tender's 唱标 items' labels by key. */
  labels?: Record<string, string>;
  committeeHidden?: boolean;
}) {
  const { t, i18n } = useTranslation("publicity");
  const locale = i18n.language as Locale;
  const readOut = (r: Record<string, string>) =>
    Object.entries(r)
      .filter(([k]) => k !== "price")
      .map(([k, v]) => `${labels[k] ?? k}：${v}`)
      .join("；");
  // The lowest-evaluated-price method also shows the price it ranked by (评审价); the award is at the bid price.
  const evaluated = content.candidates.some((c) => c.evaluatedPriceCents !== undefined);
  return (
    <>
      <h2>{t("notice.candidates")}</h2>
      <table className="notices" data-testid="candidates">
        <thead>
          <tr>
            <th className="num">{t("notice.rank")}</th>
            <th>{t("notice.bidder")}</th>
            <th className="num">{t("notice.price")}</th>
            {evaluated ? <th className="num">{t("notice.evaluatedPrice")}</th> : null}
            <th className="num">{t("notice.score")}</th>
            <th>{t("notice.readOut")}</th>
          </tr>
        </thead>
        <tbody>
          {content.candidates.map((c) => (
            <tr key={c.bidderOrgId} data-testid="candidate">
              <td className="num">{c.rank}</td>
              <td>
                {c.name}
                {c.tiedWith.length > 0 ? (
                  <small className="warning"> {t("notice.tied", { names: c.tiedWith.join("、") })}</small>
                ) : null}
              </td>
              <td className="num">{c.priceCents !== null ? formatCny(c.priceCents, locale) : (c.readOut.price ?? "—")}</td>
              {evaluated ? (
                <td className="num" data-testid="evaluated-price">
                  {c.evaluatedPriceCents !== undefined ? formatCny(c.evaluatedPriceCents, locale) : "—"}
                </td>
              ) : null}
              <td className="num">{c.score ?? "—"}</td>
              <td>{readOut(c.readOut) || "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>{t("notice.rejected")}</h2>
      {content.rejected.length === 0 ? (
        <p className="muted">{t("notice.noneRejected")}</p>
      ) : (
        <ul data-testid="rejected">
          {content.rejected.map((r) => (
            <li key={r.bidderOrgId}>
              <strong>{r.name}</strong>（{t(`notice.stage.${r.stage}`)}）：{r.reasons.join("；")}
            </li>
          ))}
        </ul>
      )}
      <h2>{t("notice.committee")}</h2>
      {committeeHidden ? (
        <p className="muted">{t("notice.committeeHidden")}</p>
      ) : (
        <ul data-testid="committee">
          {content.committee.map((m, i) => (
            <li key={`${m.name}-${i}`}>
              {m.name} · {t(`notice.role.${m.role}`)}
              {m.specialty ? ` · ${m.specialty}` : ""}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
