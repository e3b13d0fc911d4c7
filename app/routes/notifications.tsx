import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireUser } from "~/platform/auth/auth.server.ts";
import { CsrfInput } from "~/ui/components/csrf.tsx";
import { requireCsrf } from "~/platform/auth/csrf.server.ts";
import { formatDateTime } from "~/ui/format.ts";
import type { Locale } from "~/ui/i18n.ts";
import { listNotifications, markRead, MarkReadSchema } from "~/features/notifications/index.ts";
import { remedyNotificationText } from "~/features/complaints/index.ts";
import { readForm } from "~/platform/request.server.ts";

export const meta: MetaFunction = () => [{ title: "消息通知 · 明标" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return json({ notifications: await listNotifications(user.id) });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = await readForm(request);
  await requireCsrf(request, form);
  const parsed = MarkReadSchema.safeParse(Object.fromEntries(form.entries()));
  if (!parsed.success) return json({ ok: false }, { status: 400 });
  return json({ ok: true, marked: await markRead(user.id, parsed.data) });
}

export default function Notifications() {
  const { notifications } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation("tender");
  const locale = i18n.language as Locale;
  const text = (n: (typeof notifications)[number]) => {
    const p = n.params;
    if (!p) return { title: n.title, body: n.body ?? "" };
    const deadline = typeof p.bidDeadline === "string" ? formatDateTime(p.bidDeadline, locale) : "";
    if (n.kind === "tender.clarification") {
      return {
        title: t("notifications.clarificationTitle", { code: p.code, number: p.number }),
        body: p.deadlineMoved
          ? t("notifications.clarificationMoved", { title: n.title, tender: p.tenderTitle, deadline })
          : t("notifications.clarificationKept", { title: n.title, tender: p.tenderTitle, deadline }),
      };
    }
    if (n.kind === "tender.bidding_closed") {
      return {
        title: t("notifications.closedTitle", { code: p.code }),
        body: t("notifications.closedBody", { bids: p.bids, deadline }),
      };
    }
    const remedy = remedyNotificationText(t, locale, n.kind, p);
    if (remedy) return { title: remedy, body: "" };
    if (n.kind === "audit.integrity_failed") {
      const key = p.kind === "checkpoint" ? "notifications.auditBrokenCheckpoint" : "notifications.auditBrokenChain";
      return { title: t("notifications.auditBrokenTitle", { seq: p.seq }), body: t(key, { seq: p.seq, reason: p.reason }) };
    }
    if (n.kind.startsWith("award.")) {
      const key = n.kind.slice("award.".length);
      const params = { ...p, letter: typeof p.letter === "string" ? t(`award:letters.${p.letter}`) : "" };
      return { title: t(`award:notifications.${key}`, params), body: "" };
    }
    if (n.kind === "publicity.published") {
      const endsAt = typeof p.endsAt === "string" ? formatDateTime(p.endsAt, locale) : "";
      return { title: t("publicity:notifications.published", { ...p, endsAt }), body: "" };
    }
    if (n.kind === "opening.withdrawn") {
      const params = { code: p.code, tender: p.tenderTitle };
      const key = p.detail === "platform-outage" ? "outage" : "failure";
      return {
        title: t("opening:notifications.withdrawn.title", params),
        body: t(`opening:notifications.withdrawn.${key}`, params),
      };
    }
    if (n.kind.startsWith("experts.")) {
      const key = n.kind.slice("experts.".length);
      const at = (v: unknown) => (typeof v === "string" ? formatDateTime(v, locale) : "");
      const params = { ...p, evaluationStartAt: at(p.evaluationStartAt), respondBy: at(p.respondBy) };
      return { title: t(`experts:notifications.${key}.title`, params), body: t(`experts:notifications.${key}.body`, params) };
    }
    return { title: n.title, body: "" };
  };
  const unread = notifications.filter((n) => !n.read).length;
  return (
    <section className="stack">
      <h1>{t("notifications.title")}</h1>
      {unread > 0 && (
        <Form method="post">
          <CsrfInput />
          <input type="hidden" name="intent" value="read-all" />
          <button type="submit">{t("notifications.markAllRead")}</button>
        </Form>
      )}
      {notifications.length === 0 ? (
        <p className="empty">{t("notifications.none")}</p>
      ) : (
        <ul className="stack" style={{ listStyle: "none", padding: 0 }}>
          {notifications.map((n) => {
            const { title, body } = text(n);
            return (
              <li key={n.id} className={n.read ? "card" : "card notice-box"} data-testid="notification">
                <strong>{n.read ? title : `● ${title}`}</strong>
                <p>{body}</p>
                <p className="muted">
                  {formatDateTime(n.createdAt, locale)}
                  {n.link && (
                    <>
                      {" · "}
                      <Link to={n.link}>{t("notifications.open")}</Link>
                    </>
                  )}
                </p>
                {!n.read && (
                  <Form method="post">
                    <CsrfInput />
                    <input type="hidden" name="intent" value="read" />
                    <input type="hidden" name="id" value={n.id} />
                    <button type="submit">{t("notifications.markRead")}</button>
                  </Form>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
