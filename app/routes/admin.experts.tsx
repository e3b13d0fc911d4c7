// 专家库 — the trading centre (ADMIN) searches the pool, approves, suspends, records penalties,
// and extends the specialty classification. Only the admin lists the pool.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import {
  addSpecialty,
  decidePool,
  enterExpert,
  ExpertEntrySchema,
  listPool,
  PoolDecisionSchema,
  SpecialtyChoice,
  SpecialtySchema,
  specialtyTree,
} from "~/features/experts/index.ts";
import { Field } from "~/ui/components/field.tsx";
import { requireUser } from "~/platform/auth/auth.server.ts";
import { requireCsrf } from "~/platform/auth/csrf.server.ts";
import { parseForm } from "~/platform/forms.ts";
import { readForm } from "~/platform/request.server.ts";
import { CsrfInput } from "~/ui/components/csrf.tsx";
import { formatDateTime } from "~/ui/format.ts";
import { isLocale } from "~/ui/i18n.ts";

export const meta: MetaFunction = () => [{ title: "专家库 · 明标" }];

const QuerySchema = z.object({
  q: z.string().max(50).optional(),
  status: z.enum(["PENDING", "APPROVED", "REJECTED", "SUSPENDED"]).optional().catch(undefined),
  specialty: z
    .string()
    .regex(/^[A-Z]\d{4}$/)
    .optional()
    .catch(undefined),
});

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request, ["ADMIN"]);
  const url = new URL(request.url);
  const query = QuerySchema.parse({
    q: url.searchParams.get("q") ?? undefined,
    status: url.searchParams.get("status") || undefined,
    specialty: url.searchParams.get("specialty") || undefined,
  });
  const [experts, specialties] = await Promise.all([listPool(query), specialtyTree()]);
  return json({ experts, specialties });
}

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireUser(request, ["ADMIN"]);
  const form = await readForm(request);
  await requireCsrf(request, form);
  if (form.get("intent") === "enter") {
    const raw = new FormData();
    for (const [k, v] of form.entries()) if (k !== "specialties") raw.append(k, v);
    raw.append("specialties", form.getAll("specialties").map(String).join(","));
    const parsed = parseForm(ExpertEntrySchema, raw);
    if (!parsed.ok)
      return json(
        {
          expertId: null,
          error: null,
          specialty: false,
          entry: { fieldErrors: parsed.fieldErrors, values: parsed.values, password: null as string | null },
        },
        400,
      );
    const result = await enterExpert(admin.id, parsed.data);
    if (!result.ok)
      return json(
        {
          expertId: null,
          error: null,
          specialty: false,
          entry: {
            fieldErrors: { [result.field]: `apply.${result.error}` } as Record<string, string>,
            values: parsed.values,
            password: null,
          },
        },
        409,
      );
    return json({
      expertId: null,
      error: null,
      specialty: false,
      entry: { fieldErrors: {} as Record<string, string>, values: {} as Record<string, string>, password: result.password },
    });
  }
  if (form.get("intent") === "specialty") {
    const parsed = parseForm(SpecialtySchema, form);
    if (!parsed.ok)
      return json({ expertId: null, error: Object.values(parsed.fieldErrors)[0] ?? "validation.invalid", specialty: true }, 400);
    const result = await addSpecialty(admin.id, parsed.data);
    return json(
      { expertId: null, error: result.ok ? null : result.refusal.code.replace(/^experts\./, ""), specialty: true },
      result.ok ? 200 : result.refusal.status,
    );
  }
  const parsed = PoolDecisionSchema.safeParse(Object.fromEntries(form));
  if (!parsed.success)
    return json(
      {
        expertId: String(form.get("expertId") ?? ""),
        error: parsed.error.issues[0]?.message.startsWith("validation.") ? parsed.error.issues[0].message : "validation.invalid",
        specialty: false,
      },
      400,
    );
  const result = await decidePool(admin.id, parsed.data);
  return json(
    { expertId: parsed.data.expertId, error: result.ok ? null : result.refusal.code.replace(/^experts\./, ""), specialty: false },
    result.ok ? 200 : result.refusal.status,
  );
}

export default function ExpertPool() {
  const { experts, specialties } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const { t, i18n } = useTranslation("experts");
  const lng = isLocale(i18n.language) ? i18n.language : "zh-CN";
  const name = (s: { nameZh: string; nameEn: string }) => (lng === "zh-CN" ? s.nameZh : s.nameEn);
  return (
    <section className="stack">
      <h1>{t("pool.title")}</h1>
      <Form method="get" className="filters">
        <label>
          {t("pool.q")} <input name="q" defaultValue={params.get("q") ?? ""} />
        </label>
        <label>
          {t("pool.status")}{" "}
          <select name="status" defaultValue={params.get("status") ?? ""}>
            <option value="">{t("pool.anyStatus")}</option>
            {["PENDING", "APPROVED", "REJECTED", "SUSPENDED"].map((s) => (
              <option key={s} value={s}>
                {t(`status.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("pool.specialties")}{" "}
          <select name="specialty" defaultValue={params.get("specialty") ?? ""}>
            <option value="">{t("pool.anySpecialty")}</option>
            {specialties
              .filter((s) => s.level === 3)
              .map((s) => (
                <option key={s.code} value={s.code}>
                  {name(s)} ({s.code})
                </option>
              ))}
          </select>
        </label>
        <button type="submit">{t("pool.search")}</button>
      </Form>
      <p className="muted">{t("pool.count", { count: experts.length })}</p>
      <table>
        <thead>
          <tr>
            <th>{t("pool.name")}</th>
            <th>{t("pool.employer")}</th>
            <th>{t("pool.specialties")}</th>
            <th>{t("pool.status")}</th>
            <th>{t("pool.actions")}</th>
          </tr>
        </thead>
        <tbody>
          {experts.map((e) => (
            <tr key={e.id} data-testid="pool-row">
              <td>
                {e.name}
                <br />
                <small>
                  {e.title} · {e.yearsOfPractice}
                </small>
              </td>
              <td>
                {e.employer.name}
                <br />
                <small className="code">{e.employer.creditCode}</small>
              </td>
              <td>{e.specialties.map((s) => `${name(s)} (${s.code})`).join("、")}</td>
              <td data-testid="pool-status">
                {t(`status.${e.status}`)}
                {e.activePenalty && (
                  <>
                    <br />
                    <strong>{t("pool.activePenalty")}</strong>
                  </>
                )}
                {e.penalties.map((p) => (
                  <div key={p.id}>
                    <small>
                      {p.reason} → {formatDateTime(p.endsAt, lng)}
                    </small>
                  </div>
                ))}
              </td>
              <td>
                <Form method="post">
                  <CsrfInput />
                  <input type="hidden" name="expertId" value={e.id} />
                  {(e.status === "PENDING" || e.status === "REJECTED") && (
                    <button type="submit" name="intent" value="approve" className="primary">
                      {t("pool.approve")}
                    </button>
                  )}
                  {e.status === "SUSPENDED" && (
                    <button type="submit" name="intent" value="reinstate">
                      {t("pool.reinstate")}
                    </button>
                  )}
                </Form>
                {(e.status === "PENDING" || e.status === "APPROVED") && (
                  <Form method="post">
                    <CsrfInput />
                    <input type="hidden" name="expertId" value={e.id} />
                    <input name="reason" aria-label={t("pool.reason")} placeholder={t("pool.reason")} required />
                    <button type="submit" name="intent" value={e.status === "PENDING" ? "reject" : "suspend"}>
                      {e.status === "PENDING" ? t("pool.reject") : t("pool.suspend")}
                    </button>
                  </Form>
                )}
                <Form method="post">
                  <CsrfInput />
                  <input type="hidden" name="expertId" value={e.id} />
                  <input name="reason" aria-label={t("pool.reason")} placeholder={t("pool.reason")} required />
                  <label>
                    {t("pool.endsOn")} <input type="date" name="endsOn" required />
                  </label>
                  <button type="submit" name="intent" value="penalty">
                    {t("pool.penalty")}
                  </button>
                </Form>
                {result?.expertId === e.id && result.error && (
                  <p role="alert" className="error">
                    {t(result.error)}
                  </p>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      <EntryForm specialties={specialties} entry={result && "entry" in result ? (result.entry as Entry) : undefined} />

      <h2>{t("pool.specialtiesTitle")}</h2>
      <ul>
        {specialties.map((s) => (
          <li key={s.code} style={{ marginInlineStart: `${(s.level - 1) * 1.5}em` }}>
            <small className="code">{s.code}</small> {name(s)}
          </li>
        ))}
      </ul>
      <Form method="post" className="filters">
        <CsrfInput />
        <label>
          {t("pool.code")} <input name="code" required />
        </label>
        <label>
          {t("pool.nameZh")} <input name="nameZh" required />
        </label>
        <label>
          {t("pool.nameEn")} <input name="nameEn" required />
        </label>
        <button type="submit" name="intent" value="specialty">
          {t("pool.addSpecialty")}
        </button>
        {result?.specialty && <p role={result.error ? "alert" : "status"}>{result.error ? t(result.error) : t("pool.added")}</p>}
      </Form>
    </section>
  );
}

type Entry = { fieldErrors: Record<string, string>; values: Record<string, string>; password: string | null };

/** 录入专家: the trading centre enters an expert (approved at once; a generated password shown once). */
function EntryForm({ specialties, entry }: { specialties: Parameters<typeof SpecialtyChoice>[0]["specialties"]; entry?: Entry }) {
  const { t } = useTranslation("experts");
  const err = (name: string) => (entry?.fieldErrors[name] ? t(entry.fieldErrors[name]!) : undefined);
  const v = entry?.values ?? {};
  return (
    <details open={Boolean(entry)}>
      <summary>{t("pool.enter")}</summary>
      {entry?.password && (
        <p role="status" data-testid="entered-password">
          {t("pool.entered", { password: entry.password })}
        </p>
      )}
      <Form method="post" noValidate>
        <CsrfInput />
        <Field name="name" label={t("apply.name")} defaultValue={v.name} error={err("name")} required />
        <Field name="idNumber" label={t("apply.idNumber")} defaultValue={v.idNumber} error={err("idNumber")} required />
        <Field
          name="employerName"
          label={t("apply.employerName")}
          defaultValue={v.employerName}
          error={err("employerName")}
          required
        />
        <Field
          name="employerCreditCode"
          label={t("apply.employerCreditCode")}
          defaultValue={v.employerCreditCode}
          error={err("employerCreditCode")}
          required
        />
        <Field name="title" label={t("apply.jobTitle")} defaultValue={v.title} error={err("title")} required />
        <Field
          name="yearsOfPractice"
          type="number"
          label={t("apply.yearsOfPractice")}
          defaultValue={v.yearsOfPractice}
          error={err("yearsOfPractice")}
          required
        />
        <Field name="region" label={t("apply.region")} defaultValue={v.region} error={err("region")} required />
        <Field name="phone" type="tel" label={t("apply.phone")} defaultValue={v.phone} error={err("phone")} required />
        <SpecialtyChoice specialties={specialties} chosen={[]} error={err("specialties")} />
        <Field name="email" type="email" label={t("apply.email")} defaultValue={v.email} error={err("email")} required />
        <button type="submit" name="intent" value="enter">
          {t("pool.enter")}
        </button>
      </Form>
    </details>
  );
}
