import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireUser } from "~/platform/auth/auth.server.ts";
import { requireCsrf } from "~/platform/auth/csrf.server.ts";
import { refusalFieldMessage } from "~/features/tenders/index.ts";
import { parseTenderForm, type TenderFieldErrors, type TenderFormValues } from "~/features/tenders/index.ts";
import { TenderForm } from "~/features/tenders/index.ts";
import { createTender, getAgentTender, tendererChoices, tenderFormValues } from "~/features/tenders/index.ts";
import { readForm } from "~/platform/request.server.ts";

export const meta: MetaFunction = () => [{ title: "新建招标项目 · 明标" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request, ["AGENT"]);
  return json({
    tenderers: await tendererChoices(user),
    prefill: await retenderValues(user, new URL(request.url).searchParams.get("from")),
  });
}

/**
 * 流标 → re-tender (Regs Art 44), or every candidate passed over → re-tender (Regs Art 55): the new
 * draft starts from the old tender, with a new code and schedule.
 */
async function retenderValues(
  user: Awaited<ReturnType<typeof requireUser>>,
  from: string | null,
): Promise<TenderFormValues | null> {
  if (!from) return null;
  const failed = await getAgentTender(user, from);
  if (!failed || (failed.status !== "FAILED" && failed.status !== "RETENDERED")) return null;
  return { ...tenderFormValues(failed), code: `${failed.code}-R`, docsIssueAt: "", docsAvailableUntil: "", bidDeadline: "" };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request, ["AGENT"]);
  const form = await readForm(request);
  await requireCsrf(request, form);
  const parsed = parseTenderForm(form);
  if (!parsed.ok) return json({ errors: parsed.errors, values: parsed.values }, { status: 400 });
  const created = await createTender(user, parsed.data);
  if (!created.ok) {
    const errors: TenderFieldErrors = {
      [created.refusal.code === "tender.invalid.codeTaken" ? "code" : "_form"]: refusalFieldMessage(created.refusal),
    };
    return json({ errors, values: parsed.values }, { status: 409 });
  }
  return redirect(`/agent/tenders/${created.value.id}`);
}

export default function NewTender() {
  const { tenderers, prefill } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation("tender");
  const values: TenderFormValues = actionData?.values ?? prefill ?? { bidValidityDays: "90", bidSecurity: "0" };
  return (
    <section className="card">
      <h1>{t("agent.newTender")}</h1>
      <TenderForm values={values} errors={actionData?.errors ?? {}} tenderers={tenderers} submitLabel={t("agent.saveDraft")} />
    </section>
  );
}
