// 中标候选人公示 — public, read-only, from the public pool (decision 070): the candidates in rank,
// the rejected bids and why, the committee's names (TBL Art 37), the window, the draw's
// verification page and how a bidder objects (Regs Art 54). 404 before publication.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { getUser } from "~/platform/auth/auth.server.ts";
import { formatDateTime } from "~/ui/format.ts";
import type { Locale } from "~/ui/i18n.ts";
import { CandidateTables, publicCandidateNotice } from "~/features/results/index.ts";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `中标候选人公示 · ${data.notice.tender.title} · 明标` : "明标" },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const [notice, user] = await Promise.all([publicCandidateNotice(params.tenderId ?? ""), getUser(request)]);
  if (!notice) throw new Response("Not Found", { status: 404 });
  return json({ notice, viewerRole: user?.role ?? null });
}

export default function CandidateNotice() {
  const { notice, viewerRole } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation("publicity");
  const locale = i18n.language as Locale;
  const { tender } = notice;
  return (
    <article className="notice">
      <p>
        <Link to={`/tenders/${tender.id}`}>← {t("notice.back")}</Link>
      </p>
      <p className="eyebrow">{t("notice.title")}</p>
      <h1>{tender.title}</h1>
      <p>
        <small className="code">{tender.code}</small>
      </p>
      <p data-testid="publicity-window">
        {t("notice.window", { start: formatDateTime(notice.startsAt, locale), end: formatDateTime(notice.endsAt, locale) })}
      </p>
      <p className="muted">{t("notice.publishedAt", { at: formatDateTime(notice.publishedAt, locale) })}</p>
      {tender.status === "SUSPENDED" ? (
        <p className="warning" role="status" data-testid="publicity-suspended">
          {t("notice.suspended")}
        </p>
      ) : null}
      <CandidateTables
        content={{ candidates: notice.candidates, rejected: notice.rejected, committee: notice.committee }}
        labels={notice.readOutLabels}
        committeeHidden={notice.committee.length === 0}
      />
      {notice.remarks ? (
        <>
          <h2>{t("notice.remarks")}</h2>
          <p>{notice.remarks}</p>
        </>
      ) : null}
      {notice.drawPublished ? (
        <p>
          <Link to={`/tenders/${tender.id}/draw`} data-testid="draw-link">
            {t("notice.draw")}
          </Link>
        </p>
      ) : null}
      <p className="muted">
        {t("notice.reportHash")}: <small className="code">{notice.reportSha256}</small>
      </p>
      <section className="card">
        <p>{t("notice.objectHow")}</p>
        {notice.objectionsOpen ? (
          viewerRole === "BIDDER" || !viewerRole ? (
            <p>
              <Link
                to={
                  viewerRole
                    ? `/tenders/${tender.id}/objections`
                    : `/login?redirectTo=${encodeURIComponent(`/tenders/${tender.id}/objections`)}`
                }
                data-testid="object-link"
              >
                {t("notice.objectLink")}
              </Link>
            </p>
          ) : null
        ) : (
          <p className="muted">{t("notice.objectClosed")}</p>
        )}
      </section>
    </article>
  );
}
