import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { getUser } from "~/platform/auth/auth.server.ts";
import { getPublicNotice, OPEN_STATUSES, OPENING_HALL_STATUSES, ScoringTableSummary } from "~/features/tenders/index.ts";
import { publicDraw } from "~/features/experts/index.ts";
import { publicDb } from "~/platform/db.server.ts";
import { publicHistory, PublicHistory } from "~/features/results/index.ts";
import { formatCny, formatDateTime } from "~/ui/format.ts";
import type { Locale } from "~/ui/i18n.ts";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.notice.title} · 明标` : "明标" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const [notice, user] = await Promise.all([getPublicNotice(params.tenderId ?? ""), getUser(request)]);
  if (!notice) throw new Response("Not Found", { status: 404 });
  const url = new URL(request.url);
  // 专家抽取: before the draw only the commitments are public (TBL Art 37, Regs Art 46).
  const draw = await publicDraw(notice.id, publicDb());
  const drawCommitments =
    draw.state === "committed" || draw.state === "drawn"
      ? { seedCommitment: draw.seedCommitment, poolHash: draw.poolHash }
      : draw.state === "published"
        ? { seedCommitment: draw.draw.commitment, poolHash: draw.draw.poolHash }
        : null;
  // The public history: notice, clarifications, opening record, candidates, objections' answers,
  // complaint decisions, award and contract, as far as each is published.
  const history = await publicHistory(notice);
  return json({
    notice,
    viewerRole: user?.role ?? null,
    here: url.pathname,
    drawCommitments,
    history,
    // 中标候选人公示 (Regs Art 54): the link shows once the publicity is published.
    candidates: history.some((e) => e.kind === "publicity"),
  });
}

export default function TenderNotice() {
  const { notice, viewerRole, here, drawCommitments, history, candidates } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
  const { t: tr } = useTranslation("remedies");
  const { t: tt } = useTranslation("tender");
  const { t: to } = useTranslation("opening");
  const locale = i18n.language as Locale;
  const rows: [string, string][] = [
    [t("tender.code"), notice.code],
    [t("tender.procedureType"), t(`procedureType.${notice.procedureType}`)],
    [t("tender.mandatory"), notice.mandatory ? t("tender.yes") : t("tender.no")],
    [t("tender.tenderer"), notice.tendererName],
    [t("tender.agent"), notice.agentName ?? "—"],
    [t("tender.region"), notice.region || "—"],
    [t("tender.estimatedPrice"), formatCny(notice.estimatedPriceCents, locale)],
    [t("tender.bidSecurity"), formatCny(notice.bidSecurityCents, locale)],
    [t("tender.docsIssueAt"), formatDateTime(notice.docsIssueAt, locale)],
    [t("tender.docsAvailableUntil"), formatDateTime(notice.docsAvailableUntil, locale)],
    [t("tender.bidDeadline"), formatDateTime(notice.bidDeadline, locale)],
    [tt("notice.bidValidityDays"), tt("notice.days", { count: notice.bidValidityDays })],
    [to("notice.opening"), to("notice.openingValue", { minutes: notice.decryptionWindowMinutes })],
    [to("notice.remedy"), notice.escrowRemedy ? to("notice.remedyYes") : to("notice.remedyNo")],
    [t("tender.status"), tt(`status.${notice.status}`)],
  ];
  const config = notice.evaluationConfig;
  const canDownload = viewerRole === "BIDDER" || viewerRole === "AGENT";
  const tenderDocs = notice.documents.filter((d) => d.kind === "TENDER_DOCUMENTS");
  const moved = notice.clarifications.filter((c) => c.deadlineMoved).at(-1);
  return (
    <article className="notice">
      <p>
        <Link to="/">← {t("tender.backToList")}</Link>
      </p>
      <p className="eyebrow">{t("tender.notice")}</p>
      <h1>{notice.title}</h1>
      {moved && (
        <p className="warning" role="status" data-testid="deadline-moved">
          {tt("clarification.noticeMoved", {
            number: moved.number,
            from: formatDateTime(moved.previousDeadline, locale),
            to: formatDateTime(moved.bidDeadline, locale),
          })}
        </p>
      )}
      <dl className="facts">
        {rows.map(([k, v]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
      <p className="muted">{t("tender.timezone")}</p>
      <h2>{t("tender.description")}</h2>
      <div className="prose">
        {notice.description.split(/\n{2,}/).map((para, i) => (
          <p key={i}>{para}</p>
        ))}
      </div>

      {notice.lots.length > 0 && (
        <>
          <h2>{tt("notice.lots")}</h2>
          <table className="notices">
            <thead>
              <tr>
                <th>{tt("notice.lotCode")}</th>
                <th>{tt("notice.lotName")}</th>
                <th className="num">{t("tender.estimatedPrice")}</th>
                <th className="num">{t("tender.bidSecurity")}</th>
              </tr>
            </thead>
            <tbody>
              {notice.lots.map((l) => (
                <tr key={l.code}>
                  <td className="code">{l.code}</td>
                  <td>{l.name}</td>
                  <td className="num">{formatCny(l.estimatedPriceCents, locale)}</td>
                  <td className="num">{formatCny(l.bidSecurityCents, locale)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}

      {notice.qualificationRequirements.length > 0 && (
        <>
          <h2>{tt("notice.qualifications")}</h2>
          <ol>
            {notice.qualificationRequirements.map((q) => (
              <li key={q.id}>{q.text}</li>
            ))}
          </ol>
        </>
      )}

      <h2>{tt("notice.readOut")}</h2>
      <ul data-testid="read-out-items">
        {notice.readOutItems.map((r) => (
          <li key={r.key}>
            {r.key === "price" ? tt("form.readOutPrice") : r.label}（{tt(`readOutKind.${r.kind}`)}）
          </li>
        ))}
      </ul>

      <h2>{tt("notice.evaluation")}</h2>
      <p>{tt(`evaluationMethod.${notice.evaluationMethod}`)}</p>
      {config?.method === "COMPREHENSIVE" && (
        <p>
          {tt("notice.weights", config.weights)} ·{" "}
          {config.priceScoring.benchmark.kind === "average"
            ? tt("notice.benchmarkAverage", { coefficient: config.priceScoring.benchmark.coefficientPermille / 1000 })
            : tt("benchmark.lowest")}
        </p>
      )}
      <ScoringTableSummary config={config} />

      <h2>{tt("documents.title")}</h2>
      {notice.documents.length === 0 ? (
        <p className="muted">{tt("documents.none")}</p>
      ) : (
        <ul>
          {notice.documents.map((d) => (
            <li key={d.id}>
              {canDownload ? (
                <a href={`/tenders/${notice.id}/documents/${d.id}`} download>
                  {d.fileName}
                </a>
              ) : (
                <span>{d.fileName}</span>
              )}{" "}
              · {tt(`documents.kind.${d.kind}`)} · {tt("documents.size", { kb: Math.ceil(d.sizeBytes / 1024) })}
            </li>
          ))}
        </ul>
      )}
      {!viewerRole && tenderDocs.length > 0 && (
        <p className="notice-box">
          <Link to={`/login?redirectTo=${encodeURIComponent(here)}`}>{tt("documents.signInToDownload")}</Link>
        </p>
      )}
      {viewerRole && !canDownload && <p className="muted">{tt("documents.biddersOnly")}</p>}
      {viewerRole === "BIDDER" && (OPEN_STATUSES as readonly string[]).includes(notice.status) && (
        <p className="actions">
          <Link to={`/bids/${notice.id}`} className="button primary">
            {tt("bidNow")}
          </Link>
        </p>
      )}

      {notice.status === "AWARDED" && (
        <p className="actions">
          <Link to={`/tenders/${notice.id}/result`} data-testid="result-notice-link">
            {tt("award:notice.link")}
          </Link>
        </p>
      )}
      {(OPENING_HALL_STATUSES as readonly string[]).includes(notice.status) && (
        <p className="actions">
          <Link to={`/opening/${notice.id}`} data-testid="opening-hall-link">
            {to("hallLink")}
          </Link>
        </p>
      )}
      {candidates && (
        <p className="actions">
          <Link to={`/tenders/${notice.id}/candidates`} className="button primary" data-testid="candidates-link">
            {t("publicity:notice.title")}
          </Link>
        </p>
      )}
      {drawCommitments && (
        <section className="card" data-testid="notice-draw">
          <h2>{tt("experts:draw.title")}</h2>
          <p>
            {tt("experts:draw.commitment")}: <small className="code">{drawCommitments.seedCommitment}</small>
          </p>
          <p>
            {tt("experts:draw.poolHash")}:{" "}
            <small className="code">{drawCommitments.poolHash ?? tt("experts:draw.poolPending")}</small>
          </p>
          <p>
            <Link to={`/tenders/${notice.id}/draw`}>{tt("experts:draw.verify")}</Link>
          </p>
        </section>
      )}

      <h2>{tt("clarification.listTitle")}</h2>
      {notice.clarifications.length === 0 ? (
        <p className="muted">{tt("clarification.none")}</p>
      ) : (
        notice.clarifications.map((c) => (
          <section key={c.id} id={`clarification-${c.number}`} className="card">
            <h3>{tt("clarification.heading", { number: c.number, title: c.title })}</h3>
            <p className="muted">{formatDateTime(c.issuedAt, locale)}</p>
            {c.deadlineMoved && (
              <p className="warning">
                {tt("clarification.movedShort", {
                  from: formatDateTime(c.previousDeadline, locale),
                  to: formatDateTime(c.bidDeadline, locale),
                })}
              </p>
            )}
            <div className="prose">
              {c.body.split(/\n{2,}/).map((para, i) => (
                <p key={i}>{para}</p>
              ))}
            </div>
          </section>
        ))
      )}
      <PublicHistory history={history} tenderId={notice.id} />
      {viewerRole && viewerRole !== "EXPERT" && (
        <p className="actions" data-testid="remedy-links">
          <Link to={`/tenders/${notice.id}/objections`}>{tr("objections.title")}</Link>
          {viewerRole === "BIDDER" && (
            <>
              {" · "}
              <Link to={`/tenders/${notice.id}/complaints/new`}>{tr("complaints.newTitle")}</Link>
            </>
          )}
        </p>
      )}
    </article>
  );
}
