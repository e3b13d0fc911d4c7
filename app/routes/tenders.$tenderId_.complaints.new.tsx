// 投诉: a bidder complains to the supervising department (Regs Art 60).
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireUser } from "~/platform/auth/auth.server.ts";
import { CsrfInput } from "~/ui/components/csrf.tsx";
import { formatDateTime } from "~/ui/format.ts";
import type { Locale } from "~/ui/i18n.ts";
import { toBeijingLocal } from "~/features/tenders/index.ts";
import { objectionsOfOrg, objectionTender } from "~/features/objections/index.ts";
import {
  ComplaintFormSchema,
  fileComplaint,
  MATTERS,
  RefusalNote,
  idParam,
  readRemedyForm,
} from "~/features/complaints/index.ts";
import { now } from "~/platform/clock.server.ts";

export const meta: MetaFunction = () => [{ title: "投诉 · 明标" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, ["BIDDER"]);
  const tender = await objectionTender(idParam(params.tenderId));
  if (!tender) throw new Response("Not Found", { status: 404 });
  const objections = await objectionsOfOrg(user.organizationId ?? "", tender.id);
  const chosen = new URL(request.url).searchParams.get("objection");
  return json({
    tender,
    objections: objections.map((o) => ({ id: o.id, target: o.target, raisedAt: o.raisedAt, status: o.status })),
    chosen,
    nowLocal: toBeijingLocal(now()),
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request, ["BIDDER"]);
  const tenderId = idParam(params.tenderId);
  const form = await readRemedyForm(request, ComplaintFormSchema);
  if (!form.ok) return json({ refusal: form.refusal }, { status: form.refusal.status });
  const result = await fileComplaint(user, tenderId, form.value.data, form.value.file);
  if (!result.ok) return json({ refusal: result.refusal }, { status: result.refusal.status });
  return redirect(`/complaints/${result.value.id}`);
}

export default function NewComplaint() {
  const { tender, objections, chosen, nowLocal } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const { t, i18n } = useTranslation("remedies");
  const locale = i18n.language as Locale;
  return (
    <section className="stack">
      <p>
        <Link to={`/tenders/${tender.id}`}>{tender.title}</Link> <small className="code">{tender.code}</small>
      </p>
      <h1>{t("complaints.newTitle")}</h1>
      <p className="muted">{t("complaints.intro")}</p>
      <Form method="post" encType="multipart/form-data" className="stack">
        <CsrfInput />
        <label>
          {t("complaints.matter")}
          <select name="matter" defaultValue={chosen ? "tender-documents" : "tender-documents"}>
            {MATTERS.map((m) => (
              <option key={m} value={m}>
                {t(`complaints.matters.${m}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("complaints.objection")}
          <select name="objectionId" defaultValue={chosen ?? ""}>
            <option value="">{t("complaints.noObjection")}</option>
            {objections.map((o) => (
              <option key={o.id} value={o.id}>
                {t(`complaints.matters.${o.target}`)} · {formatDateTime(o.raisedAt, locale)} ·{" "}
                {t(`objections.status.${o.status}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("complaints.knownAt")}
          <input type="datetime-local" name="knownAt" required defaultValue={nowLocal} />
        </label>
        <label>
          {t("complaints.reasons")}
          <textarea name="reasons" rows={6} required minLength={10} />
        </label>
        <label>
          {t("complaints.attachment")}
          <input type="file" name="file" accept="application/pdf" />
        </label>
        <RefusalNote refusal={result?.refusal} />
        <button type="submit" className="primary" disabled={busy}>
          {t("complaints.submit")}
        </button>
      </Form>
    </section>
  );
}
