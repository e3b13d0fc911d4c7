// 异议: a bidder files one (reasons, a PDF) to the tender documents (Regs Art 22) or, once the
// candidates are published, to the evaluation result (Regs Art 54); the tender's agent,
// supervisors and the objector's organisation see the list.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireUser } from "~/platform/auth/auth.server.ts";
import { CsrfInput } from "~/ui/components/csrf.tsx";
import { formatDateTime } from "~/ui/format.ts";
import type { Locale } from "~/ui/i18n.ts";
import { z } from "zod";
import { ObjectionFormSchema, objectionTender, raiseDocumentObjection, tenderObjections } from "~/features/objections/index.ts";
import { Due, RefusalNote, idParam, readRemedyForm } from "~/features/complaints/index.ts";
import { raiseResultObjection, resultObjectionTarget } from "~/features/results/index.ts";

export const meta: MetaFunction = () => [{ title: "异议 · 明标" }];

async function tenderOf(id: string) {
  const tender = await objectionTender(id);
  if (!tender) throw new Response("Not Found", { status: 404 });
  return tender;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, ["BIDDER", "AGENT", "SUPERVISOR", "ADMIN"]);
  const tender = await tenderOf(idParam(params.tenderId));
  // Regs Art 54: once the candidates are published, the objection is to the result.
  const publicity = await resultObjectionTarget(tender.id);
  return json({
    tender: { id: tender.id, code: tender.code, title: tender.title, status: tender.status },
    cutoff: publicity ? null : tender.cutoff,
    publicity,
    canFile: user.role === "BIDDER",
    objections: await tenderObjections(user, tender.id),
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request, ["BIDDER"]);
  const tender = await tenderOf(idParam(params.tenderId));
  // Built here, in the server-only action: the schema lives in a .server module.
  const schema = ObjectionFormSchema.extend({ target: z.enum(["tender-documents", "result"]).default("tender-documents") });
  const form = await readRemedyForm(request, schema);
  if (!form.ok) return json({ refusal: form.refusal }, { status: form.refusal.status });
  const { target, ...input } = form.value.data;
  const result =
    target === "result"
      ? await raiseResultObjection(user, tender.id, input, form.value.file)
      : await raiseDocumentObjection(user, tender.id, input, form.value.file);
  if (!result.ok) return json({ refusal: result.refusal }, { status: result.refusal.status });
  return redirect(`/objections/${result.value.id}`);
}

export default function TenderObjections() {
  const { tender, cutoff, publicity, canFile, objections } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const { t, i18n } = useTranslation("remedies");
  const locale = i18n.language as Locale;
  return (
    <section className="stack">
      <p>
        <Link to={`/tenders/${tender.id}`}>{tender.title}</Link> <small className="code">{tender.code}</small>
      </p>
      <h1>{publicity ? t("objections.resultTitle") : t("objections.title")}</h1>
      <p className="muted">{publicity ? t("objections.resultIntro") : t("objections.intro")}</p>
      {publicity ? (
        <p data-testid="objection-window">
          {t("objections.resultWindow", {
            start: formatDateTime(publicity.startsAt, locale),
            end: formatDateTime(publicity.endsAt, locale),
          })}{" "}
          <Link to={`/tenders/${tender.id}/candidates`}>{t("publicity:notice.title")}</Link>
        </p>
      ) : null}
      {cutoff ? <p data-testid="objection-cutoff">{t("objections.cutoff", { at: formatDateTime(cutoff, locale) })}</p> : null}
      {tender.status === "SUSPENDED" ? <p className="warning">{t("objections.suspended")}</p> : null}
      {canFile && (
        <Form method="post" encType="multipart/form-data" className="stack">
          <CsrfInput />
          <input type="hidden" name="target" value={publicity ? "result" : "tender-documents"} />
          <p>
            {t("objections.target")}：{t(`objections.targets.${publicity ? "result" : "tender-documents"}`)}
          </p>
          <label>
            {t("objections.reasons")}
            <textarea name="reasons" rows={6} required minLength={10} />
          </label>
          <label>
            {t("objections.attachment")}
            <input type="file" name="file" accept="application/pdf" />
          </label>
          <RefusalNote refusal={result?.refusal} />
          <button type="submit" className="primary" disabled={busy}>
            {t("objections.submit")}
          </button>
        </Form>
      )}
      <h2>{t("objections.list")}</h2>
      {objections.length === 0 ? (
        <p className="empty">{t("objections.none")}</p>
      ) : (
        <ul className="stack" style={{ listStyle: "none", padding: 0 }}>
          {objections.map((o) => (
            <li key={o.id} className="card" data-testid="objection">
              <strong>{t(`objections.status.${o.status}`)}</strong> · {t(`objections.targets.${o.target}`)} · {o.objectorName} ·{" "}
              {formatDateTime(o.raisedAt, locale)}
              {o.status === "OPEN" ? (
                <p>
                  {t("objections.answerDue", { due: "" })}
                  <Due at={o.answerDue} provisionalYears={o.provisionalYears} />
                </p>
              ) : null}
              <p>
                <Link to={`/objections/${o.id}`}>{t("objections.view")}</Link>
              </p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
