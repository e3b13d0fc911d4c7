// 异议 to the tender documents: a bidder files one (reasons, a PDF); the tender's agent,
// supervisors and the objector's organisation see the list (Regs Art 22).
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireUser } from "~/platform/auth/auth.server.ts";
import { requireCsrf } from "~/platform/auth/csrf.server.ts";
import { readForm } from "~/platform/request.server.ts";
import { refuse } from "~/platform/refusal.ts";
import { CsrfInput } from "~/ui/components/csrf.tsx";
import { formatDateTime } from "~/ui/format.ts";
import type { Locale } from "~/ui/i18n.ts";
import { isMultipart, parseUpload } from "~/features/tenders/index.ts";
import { ObjectionFormSchema, objectionTender, raiseDocumentObjection, tenderObjections } from "~/features/objections/index.ts";
import { Due, RefusalNote, idParam } from "~/features/complaints/index.ts";

export const meta: MetaFunction = () => [{ title: "异议 · 明标" }];

async function tenderOf(id: string) {
  const tender = await objectionTender(id);
  if (!tender) throw new Response("Not Found", { status: 404 });
  return tender;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, ["BIDDER", "AGENT", "SUPERVISOR", "ADMIN"]);
  const tender = await tenderOf(idParam(params.tenderId));
  return json({
    tender: { id: tender.id, code: tender.code, title: tender.title, status: tender.status },
    cutoff: tender.cutoff,
    canFile: user.role === "BIDDER",
    objections: await tenderObjections(user, tender.id),
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request, ["BIDDER"]);
  const tender = await tenderOf(idParam(params.tenderId));
  const upload = isMultipart(request) ? await parseUpload(request, "file") : null;
  const form = upload?.form ?? (await readForm(request));
  try {
    await requireCsrf(request, form);
  } catch (error) {
    await upload?.discard();
    throw error;
  }
  if (upload?.problem) {
    await upload.discard();
    return json({ refusal: refuse("remedies.refusal.upload", 400).refusal }, { status: 400 });
  }
  const parsed = ObjectionFormSchema.safeParse(Object.fromEntries(form));
  if (!parsed.success) {
    await upload?.discard();
    return json({ refusal: refuse("remedies.refusal.invalid", 400).refusal }, { status: 400 });
  }
  const result = await raiseDocumentObjection(user, tender.id, parsed.data, upload?.file ?? null);
  if (!result.ok) return json({ refusal: result.refusal }, { status: result.refusal.status });
  return redirect(`/objections/${result.value.id}`);
}

export default function TenderObjections() {
  const { tender, cutoff, canFile, objections } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const { t, i18n } = useTranslation("remedies");
  const locale = i18n.language as Locale;
  return (
    <section className="stack">
      <p>
        <Link to={`/tenders/${tender.id}`}>{tender.title}</Link> <small className="code">{tender.code}</small>
      </p>
      <h1>{t("objections.title")}</h1>
      <p className="muted">{t("objections.intro")}</p>
      {cutoff ? <p data-testid="objection-cutoff">{t("objections.cutoff", { at: formatDateTime(cutoff, locale) })}</p> : null}
      {tender.status === "SUSPENDED" ? <p className="warning">{t("objections.suspended")}</p> : null}
      {canFile && (
        <Form method="post" encType="multipart/form-data" className="stack">
          <CsrfInput />
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
              <strong>{t(`objections.status.${o.status}`)}</strong> · {o.objectorName} · {formatDateTime(o.raisedAt, locale)}
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
