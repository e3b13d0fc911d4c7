import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireUser, type SessionUser } from "~/platform/auth/auth.server.ts";
import { CsrfInput } from "~/ui/components/csrf.tsx";
import { WitnessPanel } from "~/features/witness/index.ts";
import { requireCsrf } from "~/platform/auth/csrf.server.ts";
import { formatCny, formatDateTime } from "~/ui/format.ts";
import type { Locale } from "~/ui/i18n.ts";
import {
  attachTenderDocument,
  getAgentTender,
  holderList,
  issueClarification,
  publishTender,
  tendererChoices,
  updateDraft,
  OPEN_STATUSES,
} from "~/features/tenders/index.ts";
import { refusalFieldMessage, renderMessage } from "~/features/tenders/index.ts";
import {
  ClarificationFormSchema,
  EvaluationConfigSchema,
  ScoringTableSummary,
  parseTenderForm,
  tenderFieldErrors,
  tenderFormValues,
  type FieldMessage,
  type TenderFieldErrors,
  type TenderFormValues,
} from "~/features/tenders/index.ts";
import { FieldError, TenderForm } from "~/features/tenders/index.ts";
import { isMultipart, parseUpload, MAX_DOCUMENT_BYTES, type ParsedUpload } from "~/features/tenders/index.ts";
import { witnessState } from "~/features/witness/index.ts";
import { escrowReady } from "~/features/escrow/index.ts";
import { readForm } from "~/platform/request.server.ts";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.tender.code} · 明标` : "明标" }];

async function loadTender(request: Request, id: string) {
  const user = await requireUser(request, ["AGENT"]);
  const tender = await getAgentTender(user, id);
  if (!tender) throw new Response("Not Found", { status: 404 });
  return { user, tender };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, tender } = await loadTender(request, params.tenderId ?? "");
  const [tenderers, holders, escrowOk] = await Promise.all([tendererChoices(user), holderList(tender), escrowReady(tender.id)]);
  return json({
    tender: {
      id: tender.id,
      code: tender.code,
      title: tender.title,
      status: tender.status,
      tendererName: tender.tendererOrg.name,
      estimatedPriceCents: tender.estimatedPriceCents.toString(),
      bidSecurityCents: tender.bidSecurityCents.toString(),
      docsIssueAt: tender.docsIssueAt?.toISOString() ?? null,
      docsAvailableUntil: tender.docsAvailableUntil?.toISOString() ?? null,
      bidDeadline: tender.bidDeadline?.toISOString() ?? null,
      publishedAt: tender.publishedAt?.toISOString() ?? null,
      documents: tender.documents.map((d) => ({
        id: d.id,
        kind: d.kind,
        fileName: d.fileName,
        sizeBytes: Number(d.sizeBytes),
        sha256: d.sha256,
        createdAt: d.createdAt.toISOString(),
      })),
      clarifications: tender.clarifications.map((c) => ({
        id: c.id,
        number: c.number,
        title: c.title,
        issuedAt: c.issuedAt.toISOString(),
        previousDeadline: c.previousDeadline.toISOString(),
        bidDeadline: c.bidDeadline.toISOString(),
        deadlineMoved: c.deadlineMoved,
      })),
    },
    evaluationConfig: EvaluationConfigSchema.safeParse(tender.evaluationConfig).data ?? null,
    formValues: tenderFormValues(tender),
    witness: witnessState(tender),
    escrowReady: escrowOk,
    tenderers,
    holders,
    maxMegabytes: MAX_DOCUMENT_BYTES / 1024 / 1024,
  });
}

type ActionResult =
  | { intent: "save"; ok: boolean; errors?: TenderFieldErrors; values?: TenderFormValues }
  | { intent: "upload" | "publish"; ok: boolean; error?: FieldMessage }
  | {
      intent: "clarify";
      ok: boolean;
      error?: FieldMessage;
      errors?: TenderFieldErrors;
      issued?: { number: number; deadlineMoved: boolean; previousDeadline: string; bidDeadline: string };
    };

const UPLOAD_MESSAGES = {
  empty: "upload.empty",
  tooLarge: "upload.tooLarge",
  notPdf: "upload.notPdf",
  missing: "upload.missing",
  tooMany: "upload.tooMany",
} as const;

async function handleUpload(user: SessionUser, id: string, upload: ParsedUpload) {
  if (upload.problem || !upload.file) {
    await upload.discard();
    return json<ActionResult>(
      {
        intent: "upload",
        ok: false,
        error: { key: UPLOAD_MESSAGES[upload.problem ?? "missing"], params: { mb: MAX_DOCUMENT_BYTES / 1024 / 1024 } },
      },
      { status: upload.problem === "tooLarge" ? 413 : 400 },
    );
  }
  const attached = await attachTenderDocument(user, id, upload.file);
  if (!attached.ok)
    return json<ActionResult>(
      { intent: "upload", ok: false, error: refusalFieldMessage(attached.refusal) },
      { status: attached.refusal.status },
    );
  return json<ActionResult>({ intent: "upload", ok: true });
}

async function handleClarify(user: SessionUser, id: string, form: FormData, upload: ParsedUpload | null) {
  if (upload?.problem) {
    await upload.discard();
    return json<ActionResult>(
      {
        intent: "clarify",
        ok: false,
        error: { key: UPLOAD_MESSAGES[upload.problem], params: { mb: MAX_DOCUMENT_BYTES / 1024 / 1024 } },
      },
      { status: upload.problem === "tooLarge" ? 413 : 400 },
    );
  }
  const parsed = ClarificationFormSchema.safeParse(Object.fromEntries(form.entries()));
  if (!parsed.success) {
    await upload?.discard();
    return json<ActionResult>({ intent: "clarify", ok: false, errors: tenderFieldErrors(parsed.error) }, { status: 400 });
  }
  const issued = await issueClarification(user, id, parsed.data, upload?.file ?? null);
  if (!issued.ok)
    return json<ActionResult>(
      { intent: "clarify", ok: false, error: refusalFieldMessage(issued.refusal) },
      { status: issued.refusal.status },
    );
  const v = issued.value;
  return json<ActionResult>({
    intent: "clarify",
    ok: true,
    issued: {
      number: v.number,
      deadlineMoved: v.deadlineMoved,
      previousDeadline: v.previousDeadline.toISOString(),
      bidDeadline: v.bidDeadline.toISOString(),
    },
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, tender } = await loadTender(request, params.tenderId ?? "");
  if (isMultipart(request)) {
    const upload = await parseUpload(request);
    try {
      await requireCsrf(request, upload.form);
    } catch (refused) {
      await upload.discard();
      throw refused;
    }
    const intent = upload.form.get("intent");
    if (intent === "upload") return handleUpload(user, tender.id, upload);
    if (intent === "clarify") return handleClarify(user, tender.id, upload.form, upload);
    await upload.discard();
    throw new Response("Unknown intent", { status: 400 });
  }
  const form = await readForm(request);
  await requireCsrf(request, form);
  const intent = form.get("intent");
  if (intent === "save") {
    const parsed = parseTenderForm(form);
    if (!parsed.ok)
      return json<ActionResult>({ intent: "save", ok: false, errors: parsed.errors, values: parsed.values }, { status: 400 });
    const saved = await updateDraft(user, tender.id, parsed.data);
    if (!saved.ok)
      return json<ActionResult>(
        { intent: "save", ok: false, errors: { _form: refusalFieldMessage(saved.refusal) }, values: parsed.values },
        { status: saved.refusal.status },
      );
    return json<ActionResult>({ intent: "save", ok: true });
  }
  if (intent === "publish") {
    const published = await publishTender(user, tender.id);
    if (!published.ok)
      return json<ActionResult>(
        { intent: "publish", ok: false, error: refusalFieldMessage(published.refusal) },
        { status: published.refusal.status },
      );
    return json<ActionResult>({ intent: "publish", ok: true });
  }
  if (intent === "clarify") return handleClarify(user, tender.id, form, null);
  throw new Response("Unknown intent", { status: 400 });
}

export default function AgentTender() {
  const {
    tender,
    evaluationConfig,
    formValues,
    witness,
    escrowReady: escrowOk,
    tenderers,
    holders,
    maxMegabytes,
  } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as ActionResult | undefined;
  const navigation = useNavigation();
  const { t, i18n } = useTranslation("tender");
  const { t: to } = useTranslation("opening");
  const locale = i18n.language as Locale;
  const busy = navigation.state !== "idle";
  const isDraft = tender.status === "DRAFT";
  const open = (OPEN_STATUSES as readonly string[]).includes(tender.status);
  const message = (m?: FieldMessage) => (m ? renderMessage(t, i18n.language, m) : "");
  const saveResult = result?.intent === "save" ? result : undefined;
  const clarifyResult = result?.intent === "clarify" ? result : undefined;
  const tenderDocs = tender.documents.filter((d) => d.kind === "TENDER_DOCUMENTS");

  return (
    <section className="stack">
      <p>
        <Link to="/agent/tenders">← {t("agent.listTitle")}</Link>
      </p>
      <h1>
        {tender.title}{" "}
        <span className={`status status-${tender.status}`} data-testid="tender-status">
          {t(`status.${tender.status}`)}
        </span>
      </h1>
      <dl className="facts">
        <div>
          <dt>{t("form.code")}</dt>
          <dd>{tender.code}</dd>
        </div>
        <div>
          <dt>{t("form.tenderer")}</dt>
          <dd>{tender.tendererName}</dd>
        </div>
        <div>
          <dt>{t("form.estimatedPrice")}</dt>
          <dd>{formatCny(tender.estimatedPriceCents, locale)}</dd>
        </div>
        <div>
          <dt>{t("form.bidSecurity")}</dt>
          <dd>{formatCny(tender.bidSecurityCents, locale)}</dd>
        </div>
        <div>
          <dt>{t("form.docsIssueAt")}</dt>
          <dd>{formatDateTime(tender.docsIssueAt, locale)}</dd>
        </div>
        <div>
          <dt>{t("form.docsAvailableUntil")}</dt>
          <dd>{formatDateTime(tender.docsAvailableUntil, locale)}</dd>
        </div>
        <div>
          <dt>{t("form.bidDeadline")}</dt>
          <dd data-testid="bid-deadline">{formatDateTime(tender.bidDeadline, locale)}</dd>
        </div>
      </dl>
      {!isDraft && (
        <p>
          <Link to={`/tenders/${tender.id}`}>{t("agent.viewNotice")}</Link>
          {" · "}
          <Link to={`/opening/${tender.id}`} data-testid="opening-hall-link">
            {to("hallLink")}
          </Link>
          {" · "}
          <Link to={`/agent/tenders/${tender.id}/committee`}>{t("experts:request.title")}</Link>
          {["PUBLICITY", "SUSPENDED", "AWARDED", "RETENDERED"].includes(tender.status) && (
            <>
              {" · "}
              <Link to={`/agent/tenders/${tender.id}/award`} data-testid="award-link">
                {t("award:page.title")}
              </Link>
            </>
          )}
          {" · "}
          <Link to={`/agent/tenders/${tender.id}/publicity`} data-testid="publicity-link">
            {t("publicity:agent.link")}
          </Link>
        </p>
      )}

      <section className="card stack">
        <h2>{t("documents.title")}</h2>
        {tender.documents.length === 0 ? (
          <p className="muted">{t("documents.none")}</p>
        ) : (
          <ul>
            {tender.documents.map((d) => (
              <li key={d.id}>
                <a href={`/tenders/${tender.id}/documents/${d.id}`}>{d.fileName}</a> · {t(`documents.kind.${d.kind}`)} ·{" "}
                {t("documents.size", { kb: Math.ceil(d.sizeBytes / 1024) })}
                <br />
                <small className="code">SHA-256 {d.sha256}</small>
              </li>
            ))}
          </ul>
        )}
        <ScoringTableSummary config={evaluationConfig} />
        {isDraft && (
          <Form method="post" encType="multipart/form-data" className="stack">
            <CsrfInput />
            <input type="hidden" name="intent" value="upload" />
            <label htmlFor="file">{t("documents.attach", { mb: maxMegabytes })}</label>
            <input id="file" name="file" type="file" accept="application/pdf,.pdf" required />
            {result?.intent === "upload" && !result.ok && (
              <p className="form-error" role="alert">
                {message(result.error)}
              </p>
            )}
            {result?.intent === "upload" && result.ok && (
              <p className="notice-box" role="status">
                {t("documents.attached")}
              </p>
            )}
            <div>
              <button type="submit" disabled={busy}>
                {t("documents.upload")}
              </button>
            </div>
          </Form>
        )}
      </section>

      {isDraft && (
        <section className="card stack">
          <h2>{t("agent.publishTitle")}</h2>
          <p className="muted">{tenderDocs.length === 0 ? t("agent.publishNeedsDocuments") : t("agent.publishHint")}</p>
          {result?.intent === "publish" && !result.ok && (
            <p className="form-error" role="alert">
              {message(result.error)}
            </p>
          )}
          <Form method="post">
            <CsrfInput />
            <input type="hidden" name="intent" value="publish" />
            <button type="submit" className="primary" disabled={busy}>
              {t("agent.publish")}
            </button>
          </Form>
        </section>
      )}
      {result?.intent === "publish" && result.ok && (
        <p className="notice-box" role="status">
          {t("agent.published")}
        </p>
      )}

      {open && (
        <section className="card stack">
          <h2>{t("clarification.issueTitle")}</h2>
          <p className="muted">{t("clarification.rule")}</p>
          {clarifyResult?.ok && clarifyResult.issued && (
            <p
              className={clarifyResult.issued.deadlineMoved ? "warning" : "notice-box"}
              role="status"
              data-testid="clarification-result"
            >
              {clarifyResult.issued.deadlineMoved
                ? t("clarification.deadlineMoved", {
                    number: clarifyResult.issued.number,
                    from: formatDateTime(clarifyResult.issued.previousDeadline, locale),
                    to: formatDateTime(clarifyResult.issued.bidDeadline, locale),
                  })
                : t("clarification.deadlineKept", { number: clarifyResult.issued.number })}
            </p>
          )}
          {clarifyResult && !clarifyResult.ok && clarifyResult.error && (
            <p className="form-error" role="alert">
              {message(clarifyResult.error)}
            </p>
          )}
          <Form method="post" encType="multipart/form-data" className="stack">
            <CsrfInput />
            <input type="hidden" name="intent" value="clarify" />
            <div className="field">
              <label htmlFor="c-title">{t("clarification.title")}</label>
              <input id="c-title" name="title" required />
              <FieldError error={clarifyResult?.errors?.title} id="c-title-error" />
            </div>
            <div className="field">
              <label htmlFor="c-body">{t("clarification.body")}</label>
              <textarea id="c-body" name="body" rows={5} required />
              <FieldError error={clarifyResult?.errors?.body} id="c-body-error" />
            </div>
            <label>
              <input type="checkbox" name="affectsPreparation" defaultChecked /> {t("clarification.affectsPreparation")}
            </label>
            <label htmlFor="c-file">{t("clarification.attachment", { mb: maxMegabytes })}</label>
            <input id="c-file" name="file" type="file" accept="application/pdf,.pdf" />
            <div>
              <button type="submit" className="primary" disabled={busy}>
                {t("clarification.issue")}
              </button>
            </div>
          </Form>
        </section>
      )}

      {tender.clarifications.length > 0 && (
        <section className="card stack">
          <h2>{t("clarification.listTitle")}</h2>
          <ol>
            {tender.clarifications.map((c) => (
              <li key={c.id}>
                {c.title} · {formatDateTime(c.issuedAt, locale)}
                {c.deadlineMoved && (
                  <>
                    {" "}
                    ·{" "}
                    {t("clarification.movedShort", {
                      from: formatDateTime(c.previousDeadline, locale),
                      to: formatDateTime(c.bidDeadline, locale),
                    })}
                  </>
                )}
              </li>
            ))}
          </ol>
        </section>
      )}

      {!isDraft && !escrowOk && (
        <p role="alert" className="error" data-testid="escrow-not-ready">
          {t("escrow.notReady")}
        </p>
      )}

      {!isDraft && <WitnessPanel state={witness} />}

      {!isDraft && (
        <section className="card stack">
          <h2>{t("holders.title")}</h2>
          {holders.disclosable ? (
            holders.holders.length === 0 ? (
              <p className="muted">{t("holders.none")}</p>
            ) : (
              <table className="notices" data-testid="holder-list">
                <thead>
                  <tr>
                    <th>{t("holders.organization")}</th>
                    <th>{t("holders.creditCode")}</th>
                    <th>{t("holders.firstAt")}</th>
                    <th className="num">{t("holders.downloads")}</th>
                  </tr>
                </thead>
                <tbody>
                  {holders.holders.map((h) => (
                    <tr key={h.organizationId}>
                      <td>{h.name}</td>
                      <td className="code">{h.creditCode}</td>
                      <td>{formatDateTime(h.firstAt, locale)}</td>
                      <td className="num">{h.downloads}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )
          ) : (
            <p className="muted" data-testid="holders-confidential">
              {t("holders.confidential", { deadline: formatDateTime(tender.bidDeadline, locale) })}
            </p>
          )}
        </section>
      )}

      {isDraft && (
        <section className="card">
          <h2>{t("agent.editTitle")}</h2>
          {saveResult?.ok && (
            <p className="notice-box" role="status">
              {t("agent.saved")}
            </p>
          )}
          <TenderForm
            key={saveResult?.ok ? "saved" : "editing"}
            values={saveResult && !saveResult.ok && saveResult.values ? saveResult.values : formValues}
            errors={saveResult && !saveResult.ok ? (saveResult.errors ?? {}) : {}}
            tenderers={tenderers}
            submitLabel={t("agent.saveDraft")}
            intent="save"
          />
        </section>
      )}
    </section>
  );
}
