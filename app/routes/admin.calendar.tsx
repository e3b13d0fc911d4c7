// 节假日日历 — the trading centre enters or imports a year's holiday notice; open deadlines are
// recomputed and the people concerned told (docs/decisions/110).
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireUser } from "~/platform/auth/auth.server.ts";
import { requireCsrf } from "~/platform/auth/csrf.server.ts";
import { readForm } from "~/platform/request.server.ts";
import { CsrfInput } from "~/ui/components/csrf.tsx";
import { formatDateTime } from "~/ui/format.ts";
import type { Locale } from "~/ui/i18n.ts";
import { calendarOverview, CalendarYearFormSchema, loadCalendar, saveCalendarYear } from "~/features/calendar/index.ts";
import { recomputeOpenClocks, scheduleClockTimers } from "~/features/clocks/index.ts";
import { RefusalNote } from "~/features/complaints/index.ts";
import { refuse, type Refusal } from "~/platform/refusal.ts";

export const meta: MetaFunction = () => [{ title: "节假日日历 · 明标" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request, ["ADMIN"]);
  return json({ years: await calendarOverview() });
}

type ActionData = { ok: true; year: number; days: number; changed: number } | { ok: false; refusal: Refusal };

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireUser(request, ["ADMIN"]);
  const form = await readForm(request);
  await requireCsrf(request, form);
  const parsed = CalendarYearFormSchema.safeParse(Object.fromEntries(form));
  if (!parsed.success)
    return json<ActionData>({ ok: false, refusal: refuse("remedies.refusal.invalid", 400).refusal }, { status: 400 });
  const saved = await saveCalendarYear(admin.id, parsed.data);
  if (!saved.ok) return json<ActionData>({ ok: false, refusal: saved.refusal }, { status: saved.refusal.status });
  const changes = await recomputeOpenClocks(admin.id, await loadCalendar());
  await scheduleClockTimers(changes.map((c) => c.times));
  return json<ActionData>({ ok: true, ...saved.value, changed: changes.length });
}

export default function CalendarAdmin() {
  const { years } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t, i18n } = useTranslation("remedies");
  const locale = i18n.language as Locale;
  const firstProvisional = years.find((y) => y.source === "provisional")?.year ?? years.at(-1)?.year;
  return (
    <section className="stack">
      <h1>{t("calendar.title")}</h1>
      <p className="muted">{t("calendar.intro")}</p>
      <table data-testid="calendar-years">
        <thead>
          <tr>
            <th>{t("calendar.year")}</th>
            <th>{t("calendar.source")}</th>
            <th>{t("calendar.reference")}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {years.map((y) => (
            <tr key={y.year} data-testid={`year-${y.year}`}>
              <td>{y.year}</td>
              <td className={y.source === "provisional" ? "warning" : undefined}>{t(`calendar.sources.${y.source}`)}</td>
              <td>
                {y.reference ?? "—"}
                {y.enteredAt ? (
                  <small className="muted"> · {t("calendar.enteredAt", { at: formatDateTime(y.enteredAt, locale) })}</small>
                ) : null}
              </td>
              <td>
                {y.days.length > 0 ? (
                  <details>
                    <summary>{t("calendar.counts", { holidays: y.holidays, adjusted: y.adjustedWorkdays })}</summary>
                    <ul>
                      {y.days.map((d) => (
                        <li key={d.date}>
                          {d.date} {d.isOffDay ? "休" : "班"} {d.name}
                        </li>
                      ))}
                    </ul>
                  </details>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      <h2>{t("calendar.formTitle")}</h2>
      {result?.ok ? (
        <p className="notice-box" data-testid="calendar-saved">
          {t("calendar.saved", { year: result.year, days: result.days, changed: result.changed })}
        </p>
      ) : null}
      {result && !result.ok ? <RefusalNote refusal={result.refusal} /> : null}
      <Form method="post" className="stack">
        <CsrfInput />
        <label>
          {t("calendar.year")}
          <input name="year" type="number" min={2000} max={2100} required defaultValue={firstProvisional} />
        </label>
        <label>
          {t("calendar.reference")}
          <input name="reference" required maxLength={500} />
        </label>
        <label>
          {t("calendar.days")}
          <textarea name="days" rows={12} required />
        </label>
        <small className="muted">{t("calendar.daysHint")}</small>
        <label>
          {t("calendar.file")}
          <input
            type="file"
            accept="application/json,.json,.txt"
            onChange={(event) => {
              const file = event.currentTarget.files?.[0];
              const area = event.currentTarget.form?.elements.namedItem("days");
              if (file && area instanceof HTMLTextAreaElement) void file.text().then((text) => (area.value = text));
            }}
          />
        </label>
        <button type="submit" className="primary">
          {t("calendar.save")}
        </button>
      </Form>
    </section>
  );
}
