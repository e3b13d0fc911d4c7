import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { getPublicNotice } from "~/tenders.server.ts";
import { formatCny, formatDateTime } from "~/format.ts";
import type { Locale } from "~/i18n.ts";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.notice.title} · 明标` : "明标" },
];

export async function loader({ params }: LoaderFunctionArgs) {
  const notice = await getPublicNotice(params.tenderId ?? "");
  if (!notice) throw new Response("Not Found", { status: 404 });
  return json({ notice });
}

export default function TenderNotice() {
  const { notice } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
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
    [t("tender.status"), t(`tenderStatus.${notice.status}`)],
  ];
  return (
    <article className="notice">
      <p>
        <Link to="/">← {t("tender.backToList")}</Link>
      </p>
      <p className="eyebrow">{t("tender.notice")}</p>
      <h1>{notice.title}</h1>
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
    </article>
  );
}
