// 中标结果公告 (TBL Art 45): public, read-only, from the award's publication on; 404 before.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { resultNotice } from "~/features/results/index.ts";
import { formatCny, formatDateTime } from "~/ui/format.ts";
import { isLocale } from "~/ui/i18n.ts";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `中标结果公告 ${data.notice.tender.code} · 明标` : "明标" },
];

export async function loader({ params }: LoaderFunctionArgs) {
  const notice = await resultNotice(params.tenderId ?? "");
  if (!notice) throw new Response("Not Found", { status: 404 });
  return json({ notice });
}

export default function ResultNotice() {
  const { notice } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation("award");
  const lng = isLocale(i18n.language) ? i18n.language : "zh-CN";
  const { tender, winner } = notice;
  return (
    <section className="card stack" data-testid="result-notice">
      <p>
        <Link to={`/tenders/${tender.id}`}>← {tender.title}</Link>
      </p>
      <p className="eyebrow">{t("notice.eyebrow")}</p>
      <h1>{t("notice.title", { title: tender.title })}</h1>
      <dl className="facts">
        <div>
          <dt>{t("notice.code")}</dt>
          <dd>{tender.code}</dd>
        </div>
        <div>
          <dt>{t("notice.tenderer")}</dt>
          <dd>{tender.tenderer}</dd>
        </div>
        {tender.agent && (
          <div>
            <dt>{t("notice.agent")}</dt>
            <dd>{tender.agent}</dd>
          </div>
        )}
        <div>
          <dt>{t("notice.winner")}</dt>
          <dd data-testid="result-winner">{winner.name}</dd>
        </div>
        <div>
          <dt>{t("notice.price")}</dt>
          <dd data-testid="result-price">{winner.priceCents === null ? "—" : formatCny(winner.priceCents, lng)}</dd>
        </div>
        <div>
          <dt>{t("notice.rank")}</dt>
          <dd>{t("notice.rankValue", { rank: winner.rank })}</dd>
        </div>
        {notice.publicity && (
          <div>
            <dt>{t("notice.publicity")}</dt>
            <dd>
              {formatDateTime(notice.publicity.startsAt, lng)} — {formatDateTime(notice.publicity.endsAt, lng)}
            </dd>
          </div>
        )}
        <div>
          <dt>{t("notice.date")}</dt>
          <dd data-testid="result-date">{formatDateTime(notice.noticeAt, lng)}</dd>
        </div>
      </dl>
      <h2>{t("notice.declines")}</h2>
      {notice.declines.length === 0 ? (
        <p className="muted" data-testid="result-no-declines">
          {t("notice.firstCandidate")}
        </p>
      ) : (
        <ul data-testid="result-declines">
          {notice.declines.map((d) => (
            <li key={d.rank}>
              {t("notice.declineLine", { rank: d.rank, name: d.name, cause: t(`causes.${d.cause}`), reason: d.reason })}
            </li>
          ))}
        </ul>
      )}
      <p className="muted">{t("notice.law")}</p>
    </section>
  );
}
