import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import {
  Form,
  isRouteErrorResponse,
  Link,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLocation,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import { useMemo, type ReactNode } from "react";
import { I18nextProvider, useTranslation } from "react-i18next";
import { getUser } from "./platform/auth/auth.server.ts";
import { csrfToken } from "./platform/auth/csrf.server.ts";
import { createI18n, DEFAULT_LOCALE, type Locale } from "./ui/i18n.ts";
import { getLocale } from "./ui/locale.server.ts";
import { CsrfProvider } from "./ui/components/csrf.tsx";
import { unreadCount } from "./features/notifications/index.ts";
import { LiveNotifications } from "./features/notifications/index.ts";
import styles from "./ui/styles/app.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];

export const meta: MetaFunction = () => [{ title: "明标 MingBiao" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const [user, locale] = await Promise.all([getUser(request), getLocale(request)]);
  // No token (and no cookie) for anonymous visitors: their public pages are one shared answer in
  // the public cache (decision 070); sign-in and sign-up make their own token in their loaders.
  const csrf = user ? await csrfToken(request) : { token: "" };
  const headers = new Headers();
  if (csrf.setCookie) headers.append("Set-Cookie", csrf.setCookie);
  const unread = user ? await unreadCount(user.id) : 0;
  return json({ user, locale, csrf: csrf.token, unread }, { headers });
}

function Shell({ locale, children }: { locale: Locale; children: ReactNode }) {
  const i18n = useMemo(() => createI18n(locale), [locale]);
  return (
    <html lang={locale}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        <I18nextProvider i18n={i18n}>{children}</I18nextProvider>
        <ScrollRestoration />
        <Scripts />
      </body>
    </html>
  );
}

export function Layout({ children }: { children: ReactNode }) {
  const data = useRouteLoaderData<typeof loader>("root");
  return <Shell locale={data?.locale ?? DEFAULT_LOCALE}>{children}</Shell>;
}

function Header() {
  const data = useRouteLoaderData<typeof loader>("root");
  const { t } = useTranslation();
  const location = useLocation();
  const here = `${location.pathname}${location.search}`;
  const user = data?.user;
  return (
    <header className="site-header">
      <div className="container header-row">
        <Link to="/" className="brand">
          <span className="brand-mark">{t("app.name")}</span>
          <span className="brand-tagline">{t("app.tagline")}</span>
        </Link>
        <nav aria-label="main" className="nav">
          <Link to="/">{t("nav.notices")}</Link>
          <Link to="/results">{t("results-public:nav.results")}</Link>
          {user ? (
            <>
              {user.role === "AGENT" && <Link to="/agent/tenders">{t("tender:nav.agentTenders")}</Link>}
              {user.role === "SUPERVISOR" && <Link to="/witness">{t("witness:nav.supervision")}</Link>}
              {user.role === "SUPERVISOR" && <Link to="/supervision/clocks">{t("remedies:nav.clocks")}</Link>}
              {user.role === "SUPERVISOR" && <Link to="/supervision/complaints">{t("remedies:nav.complaints")}</Link>}
              {user.role === "ADMIN" && <Link to="/admin/supervision">{t("witness:nav.assign")}</Link>}
              {user.role === "ADMIN" && <Link to="/admin/experts">{t("experts:nav.pool")}</Link>}
              {user.role === "SUPERVISOR" && <Link to="/supervisor/committees">{t("experts:nav.committees")}</Link>}
              {user.role === "EXPERT" && <Link to="/expert">{t("experts:nav.expert")}</Link>}
              {(user.role === "ADMIN" || user.role === "ROOM_DEVICE") && (
                <Link to="/centre/devices">{t("witness:nav.devices")}</Link>
              )}
              {user.role === "ADMIN" && <Link to="/admin/calendar">{t("remedies:nav.calendar")}</Link>}
              {user.role === "ADMIN" && <Link to="/admin/outages">{t("outages:nav")}</Link>}
              <Link to="/notifications" data-testid="notifications-link">
                {t("tender:nav.notifications")}
                {data?.unread ? (
                  <span
                    className="status"
                    style={{ background: "#fff", color: "var(--red)", marginLeft: ".25rem", fontWeight: 600 }}
                    aria-label={t("tender:nav.unread", { count: data.unread })}
                  >
                    {data.unread}
                  </span>
                ) : null}
              </Link>
              <Link to="/account">{t("nav.account")}</Link>
              <Form method="post" action="/logout" className="inline-form">
                <input type="hidden" name="csrf" value={data?.csrf} />
                <button type="submit" className="link-button">
                  {t("nav.signOut")}
                </button>
              </Form>
            </>
          ) : (
            <>
              <Link to="/login">{t("nav.signIn")}</Link>
              <Link to="/signup">{t("nav.signUp")}</Link>
              <Link to="/experts/apply">{t("experts:apply.title")}</Link>
            </>
          )}
          <Form method="post" action="/locale" className="inline-form">
            <input type="hidden" name="lng" value={data?.locale === "en" ? "zh-CN" : "en"} />
            <input type="hidden" name="redirectTo" value={here} />
            <button type="submit" className="link-button" title={t("nav.language")} lang={data?.locale === "en" ? "zh-CN" : "en"}>
              {t("nav.switchTo")}
            </button>
          </Form>
        </nav>
      </div>
    </header>
  );
}

function Footer() {
  const { t } = useTranslation();
  return (
    <footer className="site-footer">
      <div className="container">{t("footer.text")}</div>
    </footer>
  );
}

export default function App() {
  const data = useRouteLoaderData<typeof loader>("root");
  return (
    <CsrfProvider token={data?.csrf ?? ""}>
      <LiveNotifications enabled={Boolean(data?.user)} />
      <Header />
      <main id="main" className="container main">
        <Outlet />
      </main>
      <Footer />
    </CsrfProvider>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  const { t } = useTranslation();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  if (!isRouteErrorResponse(error)) console.error(error);
  const [title, body] =
    status === 404
      ? [t("error.notFoundTitle"), t("error.notFoundBody")]
      : status === 403
        ? [t("error.forbiddenTitle"), t("error.forbiddenBody")]
        : [t("error.serverTitle"), t("error.serverBody")];
  return (
    <>
      <Header />
      <main id="main" className="container main">
        <section className="error-page" data-status={status}>
          <p className="error-status">{status}</p>
          <h1>{title}</h1>
          <p>{body}</p>
          <Link to="/">{t("error.home")}</Link>
        </section>
      </main>
      <Footer />
    </>
  );
}
