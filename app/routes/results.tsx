import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { listPublicResults, RESULT_KINDS, ResultsQuerySchema } from "~/features/results/index.ts";
import { formatCny, formatDateTime } from "~/ui/format.ts";
import type { Locale } from "~/ui/i18n.ts";

export const meta: MetaFunction = () => [{ title: "结果公示 · 明标" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const parsed = ResultsQuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  // A malformed filter (hand-edited URL) falls back to the unfiltered first page, as the notice list does.
  const query = parsed.success ? parsed.data : ResultsQuerySchema.parse({});
  const list = await listPublicResults(query);
  return json({ query: { q: query.q, kind: query.kind }, ...list });
}

export default function ResultsList() {
  const { query, notices, total, totalIsBound, older, newer } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation("results-public");
  const locale = i18n.language as Locale;
  const pageLink = (cursor: { after?: string; before?: string }) => {
    const sp = new URLSearchParams();
    if (query.q) sp.set("q", query.q);
    if (query.kind) sp.set("kind", query.kind);
    if (cursor.after) sp.set("after", cursor.after);
    if (cursor.before) sp.set("before", cursor.before);
    const search = sp.toString();
    return search ? `/results?${search}` : "/results";
  };
  return (
    <section>
      <h1>{t("list.title")}</h1>
      <p className="muted">{t("list.intro")}</p>
      <Form method="get" className="filters" role="search">
        <label>
          {t("list.searchLabel")}
          <input name="q" type="search" defaultValue={query.q} placeholder={t("list.searchPlaceholder")} />
        </label>
        <label>
          {t("list.kindLabel")}
          <select name="kind" defaultValue={query.kind ?? ""}>
            <option value="">{t("list.any")}</option>
            {RESULT_KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`list.kinds.${k}`)}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">{t("list.search")}</button>
      </Form>
      <p className="muted" data-testid="results-count">
        {totalIsBound ? t("list.countOver", { count: total }) : t("list.count", { count: total })}
      </p>
      {notices.length === 0 ? (
        <p className="empty">{t("list.empty")}</p>
      ) : (
        <table className="notices">
          <thead>
            <tr>
              <th>{t("list.code")}</th>
              <th>{t("list.tender")}</th>
              <th>{t("list.notice")}</th>
              <th>{t("list.detail")}</th>
              <th>{t("list.publishedAt")}</th>
            </tr>
          </thead>
          <tbody>
            {notices.map((n) => (
              <tr key={n.id} data-testid="result-notice">
                <td className="code">{n.code}</td>
                <td>
                  <Link to={`/tenders/${n.tenderId}`}>{n.title}</Link>
                  <br />
                  <small className="muted">{n.tendererName}</small>
                </td>
                <td>
                  <Link to={n.kind === "candidates" ? `/tenders/${n.tenderId}/candidates` : `/tenders/${n.tenderId}/result`}>
                    {n.kind === "candidates" ? t("list.candidates") : t("list.result")}
                  </Link>
                </td>
                <td>
                  {n.kind === "candidates"
                    ? t("list.window", { from: formatDateTime(n.startsAt, locale), to: formatDateTime(n.endsAt, locale) })
                    : `${t("list.winner", { name: n.winnerName ?? "" })}${n.priceCents ? ` · ${formatCny(n.priceCents, locale)}` : ""}`}
                </td>
                <td>{formatDateTime(n.at, locale)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {(older || newer) && (
        <nav className="pager" aria-label="pagination">
          {newer && <Link to={pageLink({})}>{t("list.first")}</Link>}
          {newer && <Link to={pageLink({ before: newer })}>{t("list.previous")}</Link>}
          {older && <Link to={pageLink({ after: older })}>{t("list.next")}</Link>}
        </nav>
      )}
    </section>
  );
}
