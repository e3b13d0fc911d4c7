import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { formatCny, formatDateTime } from "../../ui/format.ts";
import type { Locale } from "../../ui/i18n.ts";
import type { HistoryEntry } from "./public-history.ts";

function Paragraphs({ text }: { text: string }) {
  return (
    <div className="prose">
      {text.split(/\n{2,}/).map((para, i) => (
        <p key={i}>{para}</p>
      ))}
    </div>
  );
}

/** One event of the timeline: what happened, and where its published document is. */
function Entry({ entry, tenderId }: { entry: HistoryEntry; tenderId: string }) {
  const { t, i18n } = useTranslation("results-public");
  const { t: tr } = useTranslation("remedies");
  const locale = i18n.language as Locale;
  const at = (iso: string | null) => formatDateTime(iso, locale);
  switch (entry.kind) {
    case "notice":
      return <h3>{t("history.notice")}</h3>;
    case "clarification":
      return (
        <>
          <h3>
            <a href={`#clarification-${entry.number}`}>
              {t("history.clarification", { number: entry.number, title: entry.title })}
            </a>
          </h3>
          {entry.deadlineMoved && <p className="warning">{t("history.deadlineMoved", { to: at(entry.bidDeadline) })}</p>}
        </>
      );
    case "opening":
      return (
        <>
          <h3>{entry.failed ? t("history.openingFailed") : t("history.opening")}</h3>
          <p>
            <a href={`/opening/${tenderId}/record.pdf`}>{t("history.openingPdf")}</a> ·{" "}
            <a href={`/opening/${tenderId}/record.json`}>{t("history.openingJson")}</a>
          </p>
        </>
      );
    case "publicity":
      return (
        <>
          <h3>{t("history.publicity")}</h3>
          <p>{t("history.publicityWindow", { from: at(entry.startsAt), to: at(entry.endsAt) })}</p>
          <p>
            <Link to={`/tenders/${tenderId}/candidates`}>{t("history.publicityLink")}</Link>
          </p>
        </>
      );
    case "objection":
      return (
        <div data-testid="objection-outcome">
          <h3>{t("history.objection", { target: t(`targets.${entry.target}`, { defaultValue: entry.target }) })}</h3>
          <p className="muted">{t("history.objectionRaised", { at: at(entry.raisedAt) })}</p>
          <Paragraphs text={entry.answer} />
          {entry.newDeadline && entry.deadlineAction !== "keep" ? (
            <p className="warning">
              {tr(`objections.deadlineActions.${entry.deadlineAction ?? "keep"}`)} {at(entry.newDeadline)}
            </p>
          ) : null}
        </div>
      );
    case "complaint":
      return (
        <div data-testid="complaint-decision">
          <h3>
            {t("history.complaint", {
              matter: tr(`complaints.matters.${entry.matter}`),
              status: tr(`complaints.status.${entry.status}`),
            })}
          </h3>
          {entry.status === "NOT_ACCEPTED" ? (
            <p>{tr("complaints.notAcceptedAt", { at: at(entry.at), reason: entry.notAcceptedReason ?? "" })}</p>
          ) : (
            <>
              <p>
                <strong>{tr(`complaints.decisions.${entry.decision ?? "dismissed"}`)}</strong>
              </p>
              <Paragraphs text={entry.decisionText ?? ""} />
            </>
          )}
        </div>
      );
    case "award":
      return (
        <>
          <h3>{t("history.award")}</h3>
          <p>
            {t("history.winner", { name: entry.winnerName })}
            {entry.priceCents !== null && <> · {t("history.price", { price: formatCny(entry.priceCents, locale) })}</>}
          </p>
          <p>
            <Link to={`/tenders/${tenderId}/result`}>{t("history.awardLink")}</Link>
          </p>
        </>
      );
    case "contract":
      return (
        <>
          <h3>{t("history.contract")}</h3>
          <p>
            {t("history.contractSigned", { at: at(entry.signedAt) })}
            {entry.amountCents !== null && (
              <> · {t("history.contractAmount", { amount: formatCny(entry.amountCents, locale) })}</>
            )}
          </p>
        </>
      );
  }
}

/** The notice page's public timeline, oldest first (issue 17 item 4). */
export function PublicHistory({ history, tenderId }: { history: HistoryEntry[]; tenderId: string }) {
  const { t, i18n } = useTranslation("results-public");
  const locale = i18n.language as Locale;
  if (history.length === 0) return null;
  return (
    <section data-testid="tender-history" className="history">
      <h2>{t("history.title")}</h2>
      <ol className="timeline">
        {history.map((entry, i) => (
          <li key={`${entry.kind}-${i}`} data-kind={entry.kind} data-testid={`history-${entry.kind}`}>
            <time dateTime={entry.at} className="muted">
              {formatDateTime(entry.at, locale)}
            </time>
            <Entry entry={entry} tenderId={tenderId} />
          </li>
        ))}
      </ol>
    </section>
  );
}
