import { useTranslation } from "react-i18next";
import { formatDateTime } from "../../ui/format.ts";
import type { Locale } from "../../ui/i18n.ts";
import { citeArticle, renderRefusal, type Refusal } from "../../platform/refusal.ts";

/**
 * A refusal (decision 062) as the remedies pages show it: its message in its namespace, the
 * article cited as the reader's language does, dates in Beijing time, a calendar problem named.
 */
export function RefusalNote({ refusal }: { refusal: Pick<Refusal, "code" | "article" | "params"> | null | undefined }) {
  const { t, i18n } = useTranslation("remedies");
  if (!refusal) return null;
  const locale = i18n.language as Locale;
  const params: Record<string, string | number | boolean> = {};
  for (const [k, v] of Object.entries(refusal.params ?? {})) {
    params[k] = typeof v === "string" && /^\d{4}-\d{2}-\d{2}T/.test(v) ? formatDateTime(v, locale) : v;
  }
  if (typeof params.problem === "string") params.problem = t(`calendar.problems.${params.problem}`);
  return (
    <p role="alert" className="error" data-testid="refusal">
      {renderRefusal(t, locale, { ...refusal, params })}
    </p>
  );
}

/** A deadline and, when it rests on a year not yet entered, the provisional note (decision 021). */
export function Due({
  at,
  provisionalYears,
  testId,
}: {
  at: string | null;
  provisionalYears: readonly number[];
  testId?: string;
}) {
  const { t, i18n } = useTranslation("remedies");
  if (!at) return null;
  return (
    <span data-testid={testId}>
      {formatDateTime(at, i18n.language as Locale)}
      {provisionalYears.length > 0 ? (
        <span className="warning" data-testid="provisional">
          {t("provisional", { years: provisionalYears.join("、") })}
        </span>
      ) : null}
    </span>
  );
}

export interface PublicRemedies {
  objections: {
    id: string;
    raisedAt: string;
    answeredAt: string | null;
    answer: string;
    deadlineAction: string | null;
    newDeadline: string | null;
  }[];
  complaints: {
    id: string;
    matter: string;
    status: string;
    filedAt: string;
    acceptanceAt: string | null;
    notAcceptedReason: string | null;
    decision: string | null;
    decisionText: string | null;
    decidedAt: string | null;
  }[];
}

/** The notice page's remedies history: objection answers and complaint decisions (Regs Arts 22, 61). */
export function RemedyHistory({ remedies }: { remedies: PublicRemedies }) {
  const { t, i18n } = useTranslation("remedies");
  const locale = i18n.language as Locale;
  if (remedies.objections.length === 0 && remedies.complaints.length === 0) return null;
  return (
    <section data-testid="remedy-history">
      {remedies.objections.length > 0 && (
        <>
          <h2>{t("complaints.publicObjections")}</h2>
          {remedies.objections.map((o) => (
            <section key={o.id} className="card">
              <p className="muted">
                {t("objections.raisedAt")} {formatDateTime(o.raisedAt, locale)} ·{" "}
                {t("objections.answered", { at: formatDateTime(o.answeredAt, locale) })}
              </p>
              <p>{o.answer}</p>
              {o.newDeadline && o.deadlineAction !== "keep" ? (
                <p className="warning">
                  {t(`objections.deadlineActions.${o.deadlineAction ?? "keep"}`)} {formatDateTime(o.newDeadline, locale)}
                </p>
              ) : null}
            </section>
          ))}
        </>
      )}
      {remedies.complaints.length > 0 && (
        <>
          <h2>{t("complaints.publicTitle")}</h2>
          {remedies.complaints.map((c) => (
            <section key={c.id} className="card" data-testid="complaint-decision">
              <h3>
                {t(`complaints.matters.${c.matter}`)} · {t(`complaints.status.${c.status}`)}
              </h3>
              {c.status === "NOT_ACCEPTED" ? (
                <p>
                  {t("complaints.notAcceptedAt", {
                    at: formatDateTime(c.acceptanceAt, locale),
                    reason: c.notAcceptedReason ?? "",
                  })}
                </p>
              ) : (
                <>
                  <p>
                    <strong>{t(`complaints.decisions.${c.decision ?? "dismissed"}`)}</strong> ·{" "}
                    <span className="muted">{t("complaints.decidedAt", { at: formatDateTime(c.decidedAt, locale) })}</span>
                  </p>
                  <div className="prose">
                    {(c.decisionText ?? "").split(/\n{2,}/).map((para, i) => (
                      <p key={i}>{para}</p>
                    ))}
                  </div>
                </>
              )}
            </section>
          ))}
        </>
      )}
    </section>
  );
}

/** The text of a remedies or clock notification, or null when the kind is someone else's. */
export function remedyNotificationText(
  t: (key: string, params?: Record<string, unknown>) => string,
  locale: Locale,
  kind: string,
  params: Record<string, string | number | boolean>,
): string | null {
  if (!/^(clock|objection|complaint)\./.test(kind)) return null;
  const shown: Record<string, unknown> = { ...params };
  for (const k of ["due", "before", "bidDeadline"])
    if (typeof params[k] === "string") shown[k] = formatDateTime(params[k], locale);
  if (typeof params.clock === "string") shown.clock = t(`remedies:clocks.kinds.${params.clock}`);
  if (typeof params.article === "string") shown.article = citeArticle(params.article, locale);
  // An objection to the result (Regs Art 54) is told as such; the documents' is the default.
  const key = kind === "objection.raised" && params.target === "result" ? "objection.raised_result" : kind;
  const text = t(`remedies:notifications.${key}`, shown);
  return params.provisional === true ? `${text}${t("remedies:provisionalShort")}` : text;
}
