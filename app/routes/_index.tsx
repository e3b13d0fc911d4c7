import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { NoticeQuerySchema, listPublicNotices } from "~/features/tenders/index.ts";
import { formatCny, formatDateTime } from "~/ui/format.ts";
import type { Locale } from "~/ui/i18n.ts";
import { PROCEDURE_TYPES, PUBLIC_STATUSES } from "~/features/tenders/index.ts";

export const meta: MetaFunction = () => [{ title: "交易公告 · 明标" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const params = Object.fromEntries(new URL(request.url).searchParams);
  const parsed = NoticeQuerySchema.safeParse(params);
  // A malformed filter (hand-edited URL) falls back to the unfiltered first page.
  const query = parsed.success ? parsed.data : NoticeQuerySchema.parse({});
  return json({ query, ...(await listPublicNotices(query)) });
}

export default function NoticeList() {
  const { query, notices, total, pages } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
  const { t: tt } = useTranslation("tender");
  const locale = i18n.language as Locale;
  const pageLink = (page: number) => {
    const sp = new URLSearchParams();
    if (query.q) sp.set("q", query.q);
    if (query.type) sp.set("type", query.type);
    if (query.status) sp.set("status", query.status);
    sp.set("page", String(page));
    return `/?${sp.toString()}`;
  };
  return (
    <section>
      <h1>{t("notices.title")}</h1>
      <Form method="get" className="filters" role="search">
        <label>
          {t("notices.searchLabel")}
          <input name="q" type="search" defaultValue={query.q} placeholder={t("notices.searchPlaceholder")} />
        </label>
        <label>
          {t("notices.typeLabel")}
          <select name="type" defaultValue={query.type ?? ""}>
            <option value="">{t("notices.any")}</option>
            {PROCEDURE_TYPES.map((p) => (
              <option key={p} value={p}>
                {t(`procedureType.${p}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("notices.statusLabel")}
          <select name="status" defaultValue={query.status ?? ""}>
            <option value="">{t("notices.any")}</option>
            {PUBLIC_STATUSES.map((s) => (
              <option key={s} value={s}>
                {tt(`status.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">{t("notices.search")}</button>
      </Form>
      <p className="muted">{t("notices.count", { count: total })}</p>
      {notices.length === 0 ? (
        <p className="empty">{t("notices.empty")}</p>
      ) : (
        <table className="notices">
          <thead>
            <tr>
              <th>{t("notices.code")}</th>
              <th>{t("tender.notice")}</th>
              <th>{t("notices.typeLabel")}</th>
              <th>{t("notices.tenderer")}</th>
              <th className="num">{t("notices.estimatedPrice")}</th>
              <th>{t("notices.deadline")}</th>
              <th>{t("notices.statusLabel")}</th>
            </tr>
          </thead>
          <tbody>
            {notices.map((n) => (
              <tr key={n.id}>
                <td className="code">{n.code}</td>
                <td>
                  <Link to={`/tenders/${n.id}`}>{n.title}</Link>
                </td>
                <td>{t(`procedureType.${n.procedureType}`)}</td>
                <td>{n.tendererName}</td>
                <td className="num">{formatCny(n.estimatedPriceCents, locale)}</td>
                <td>{formatDateTime(n.bidDeadline, locale)}</td>
                <td>
                  <span className={`status status-${n.status}`}>{tt(`status.${n.status}`)}</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {pages > 1 && (
        <nav className="pager" aria-label="pagination">
          {query.page > 1 && <Link to={pageLink(query.page - 1)}>{t("notices.previous")}</Link>}
          <span>{t("notices.page", { page: query.page, pages })}</span>
          {query.page < pages && <Link to={pageLink(query.page + 1)}>{t("notices.next")}</Link>}
        </nav>
      )}
    </section>
  );
}
