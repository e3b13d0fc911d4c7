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
  const list = await listPublicNotices(query);
  // The query goes back without its parsed cursors (the page links carry the list's own).
  return json({ query: { q: query.q, type: query.type, status: query.status }, ...list });
}

export default function NoticeList() {
  const { query, notices, total, totalIsBound, older, newer } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
  const { t: tt } = useTranslation("tender");
  const locale = i18n.language as Locale;
  const pageLink = (cursor: { after?: string; before?: string }) => {
    const sp = new URLSearchParams();
    if (query.q) sp.set("q", query.q);
    if (query.type) sp.set("type", query.type);
    if (query.status) sp.set("status", query.status);
    if (cursor.after) sp.set("after", cursor.after);
    if (cursor.before) sp.set("before", cursor.before);
    const search = sp.toString();
    return search ? `/?${search}` : "/";
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
      <p className="muted">{totalIsBound ? t("notices.countOver", { count: total }) : t("notices.count", { count: total })}</p>
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
      {(older || newer) && (
        <nav className="pager" aria-label="pagination">
          {newer && <Link to={pageLink({})}>{t("notices.first")}</Link>}
          {newer && <Link to={pageLink({ before: newer })}>{t("notices.previous")}</Link>}
          {older && <Link to={pageLink({ after: older })}>{t("notices.next")}</Link>}
        </nav>
      )}
    </section>
  );
}
