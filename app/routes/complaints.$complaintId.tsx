// One complaint: the complainant, the tender's agent and its supervisors see it; the assigned
// supervisors accept, stop the clock, suspend the procedure and decide here (Regs Arts 61-62).
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireUser } from "~/platform/auth/auth.server.ts";
import { requireCsrf } from "~/platform/auth/csrf.server.ts";
import { readForm } from "~/platform/request.server.ts";
import { refuse } from "~/platform/refusal.ts";
import { CsrfInput } from "~/ui/components/csrf.tsx";
import { formatDateTime } from "~/ui/format.ts";
import type { Locale } from "~/ui/i18n.ts";
import { actOnComplaint, Due, getComplaint, RefusalNote, SupervisorActionSchema, idParam } from "~/features/complaints/index.ts";

export const meta: MetaFunction = () => [{ title: "投诉 · 明标" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const complaint = await getComplaint(user, idParam(params.complaintId));
  if (!complaint) throw new Response("Not Found", { status: 404 });
  return json({ complaint });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request, ["SUPERVISOR"]);
  const form = await readForm(request);
  await requireCsrf(request, form);
  const parsed = SupervisorActionSchema.safeParse(Object.fromEntries(form));
  if (!parsed.success) return json({ refusal: refuse("remedies.refusal.invalid", 400).refusal }, { status: 400 });
  const result = await actOnComplaint(user, idParam(params.complaintId), parsed.data);
  if (!result.ok) return json({ refusal: result.refusal }, { status: result.refusal.status });
  return json({ refusal: null });
}

function ActionButton({ intent, label }: { intent: string; label: string }) {
  return (
    <Form method="post" style={{ display: "inline" }}>
      <CsrfInput />
      <button type="submit" name="intent" value={intent}>
        {label}
      </button>
    </Form>
  );
}

function SupervisorActions({ c }: { c: ReturnType<typeof useLoaderData<typeof loader>>["complaint"] }) {
  const { t } = useTranslation("remedies");
  const open = c.status === "RECEIVED" || c.status === "ACCEPTED";
  return (
    <section className="stack card" data-testid="supervisor-actions">
      {c.status === "RECEIVED" && (
        <>
          <Form method="post">
            <CsrfInput />
            <button type="submit" name="intent" value="accept" className="primary">
              {t("complaints.accept")}
            </button>
          </Form>
          <Form method="post" className="stack">
            <CsrfInput />
            <label>
              {t("complaints.notAcceptReason")}
              <textarea name="reason" rows={3} required minLength={5} />
            </label>
            <button type="submit" name="intent" value="not-accept">
              {t("complaints.notAccept")}
            </button>
          </Form>
        </>
      )}
      {c.status === "ACCEPTED" && !c.paused && (
        <Form method="post">
          <CsrfInput />
          <input type="hidden" name="intent" value="pause" />
          <select name="reason" defaultValue="appraisal">
            <option value="inspection">{t("complaints.pauseReasons.inspection")}</option>
            <option value="appraisal">{t("complaints.pauseReasons.appraisal")}</option>
          </select>
          <button type="submit">{t("complaints.pause")}</button>
        </Form>
      )}
      {c.paused && <ActionButton intent="resume-clock" label={t("complaints.resume")} />}
      {open && !c.procedureSuspended && <ActionButton intent="suspend-procedure" label={t("complaints.suspend")} />}
      {c.procedureSuspended && <ActionButton intent="lift-procedure" label={t("complaints.lift")} />}
      {c.status === "ACCEPTED" && !c.paused && (
        <Form method="post" className="stack">
          <CsrfInput />
          <input type="hidden" name="intent" value="decide" />
          <fieldset>
            <legend>{t("complaints.decision")}</legend>
            <label>
              <input type="radio" name="decision" value="upheld" required /> {t("complaints.decisions.upheld")}
            </label>
            <label>
              <input type="radio" name="decision" value="dismissed" /> {t("complaints.decisions.dismissed")}
            </label>
          </fieldset>
          <label>
            {t("complaints.decisionText")}
            <textarea name="text" rows={6} required minLength={10} />
          </label>
          <button type="submit" className="primary">
            {t("complaints.decide")}
          </button>
        </Form>
      )}
    </section>
  );
}

export default function ComplaintPage() {
  const { complaint: c } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t, i18n } = useTranslation("remedies");
  const locale = i18n.language as Locale;
  const open = c.clocks.find((k) => !k.stoppedAt);
  return (
    <section className="stack">
      <p>
        <Link to={`/tenders/${c.tenderId}`}>{c.tenderTitle}</Link> <small className="code">{c.tenderCode}</small>
      </p>
      <h1>{t("complaints.title")}</h1>
      <p data-testid="complaint-status">
        <strong>{t(`complaints.status.${c.status}`)}</strong> · {t(`complaints.matters.${c.matter}`)} ·{" "}
        {t("complaints.complainant")}：{c.complainantName} · {t("complaints.filedAt")} {formatDateTime(c.filedAt, locale)}
      </p>
      {open ? (
        <p>
          {t(open.kind === "complaint-acceptance" ? "complaints.acceptanceDue" : "complaints.decisionDue", { due: "" })}
          <Due at={open.dueAt} provisionalYears={open.provisionalYears} testId="complaint-due" />
        </p>
      ) : null}
      {c.paused ? <p className="warning">{t("complaints.paused")}</p> : null}
      {c.procedureSuspended ? <p className="warning">{t("complaints.procedureSuspended")}</p> : null}
      <div className="card prose">
        {c.reasons.split(/\n{2,}/).map((para, i) => (
          <p key={i}>{para}</p>
        ))}
      </div>
      {c.attachments.map((a) => (
        <p key={a.id}>
          <a href={`/remedies/attachments/${a.id}`}>{a.fileName}</a>
        </p>
      ))}
      {c.status === "NOT_ACCEPTED" ? (
        <p>{t("complaints.notAcceptedAt", { at: formatDateTime(c.acceptanceAt, locale), reason: c.notAcceptedReason ?? "" })}</p>
      ) : null}
      {c.status === "DECIDED" ? (
        <section className="card" data-testid="decision">
          <strong>{t(`complaints.decisions.${c.decision ?? "dismissed"}`)}</strong> ·{" "}
          {t("complaints.decidedAt", { at: formatDateTime(c.decidedAt, locale) })}
          <p>{c.decisionText}</p>
        </section>
      ) : null}
      <RefusalNote refusal={result?.refusal} />
      {c.viewerIsSupervisor ? <SupervisorActions c={c} /> : null}
    </section>
  );
}
