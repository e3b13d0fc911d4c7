import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData, useRevalidator } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { requireUser } from "~/platform/auth/auth.server.ts";
import { requireCsrf } from "~/platform/auth/csrf.server.ts";
import { bidPageData } from "~/features/bids/index.ts";
import { DecryptionCheck } from "~/features/opening/index.ts";
import { withdraw } from "~/features/bids/index.ts";
import { lettersOfBidder } from "~/features/results/index.ts";
import { CsrfInput } from "~/ui/components/csrf.tsx";
import { formatDateTime } from "~/ui/format.ts";
import type { Locale } from "~/ui/i18n.ts";
import { readForm } from "~/platform/request.server.ts";
import { renderRefusal } from "~/platform/refusal.ts";
import {
  awaitReceipt,
  clearPending,
  discardSealed,
  loadPending,
  receiptInAnswer,
  savePending,
  sealBid,
  SealError,
  sealedFile,
  uploadSealed,
  type PendingUpload,
  type ReceiptWait,
} from "~/features/bids/index.ts";

export const meta: MetaFunction = () => [{ title: "投标 · 明标" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, ["BIDDER"]);
  const data = await bidPageData(user, params.tenderId ?? "");
  if (!data) throw new Response("Not Found", { status: 404 });
  // 中标通知书 / 中标结果通知书 (TBL Art 45): only this bidder's own.
  return json({ ...data, letters: await lettersOfBidder(user, data.tender.id) });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request, ["BIDDER"]);
  const form = await readForm(request);
  await requireCsrf(request, form);
  if (form.get("intent") !== "withdraw") return json({ error: "bid.unknownAction" }, 400);
  const result = await withdraw(user, params.tenderId ?? "");
  return result.ok
    ? json({ withdrawn: result.value.refundDue })
    : json({ error: result.refusal.code, article: result.refusal.article }, result.refusal.status);
}

type Phase = "idle" | "sealing" | "uploading" | "confirming" | "done" | "error";

function errorFromBody(body: string): string {
  try {
    return (JSON.parse(body) as { error?: string }).error ?? "bid.uploadFailed";
  } catch {
    return "bid.uploadFailed";
  }
}

export default function BidPage() {
  const data = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation("bid");
  const locale = i18n.language as Locale;
  const revalidator = useRevalidator();
  const [phase, setPhase] = useState<Phase>("idle");
  const [sealProgress, setSealProgress] = useState(0);
  const [uploadProgress, setUploadProgress] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState<PendingUpload | null>(null);
  const [waiting, setWaiting] = useState<ReceiptWait | null>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const unmounted = useRef(new AbortController());
  useEffect(() => {
    const controller = new AbortController();
    unmounted.current = controller;
    return () => controller.abort();
  }, []);
  const { tender, sealing, bid, refusal } = data;

  useEffect(() => setPending(loadPending(tender.id)), [tender.id]);

  function startUpload(p: PendingUpload) {
    void sealedFile(p.opfsName).then((file) => {
      if (!file) {
        clearPending(tender.id);
        setPending(null);
        setError("bid.sealedFileLost");
        setPhase("error");
        return;
      }
      setPhase("uploading");
      uploadSealed(tender.id, file, p, {
        onProgress: setUploadProgress,
        onError: (status, body, uploadId) => {
          // A refusal is final; anything else (server busy or gone, connection lost after the
          // last byte) may still have a receipt: ask for it before saying anything failed.
          if (status >= 400 && status < 500 && status !== 409 && status !== 423) {
            setError(errorFromBody(body));
            setPhase("error");
            forget(p);
            return;
          }
          if (uploadId) confirmReceipt(p, uploadId);
          else {
            setError(errorFromBody(body));
            setPhase("error");
          }
        },
        onSuccess: (result, uploadId) => {
          if (receiptInAnswer(result.body)) return submitted(p);
          // Complete, but the answer carried no receipt (a resumed upload): 提交成功 only with it.
          if (uploadId) confirmReceipt(p, uploadId);
          else {
            setError("bid.receiptMissing");
            setPhase("error");
          }
        },
      });
    });
  }

  function forget(p: PendingUpload) {
    clearPending(tender.id);
    void discardSealed(p.opfsName);
    setPending(null);
  }

  function submitted(p: PendingUpload) {
    forget(p);
    setWaiting(null);
    setPhase("done");
    revalidator.revalidate();
  }

  /** Asks the server for the upload's receipt until it comes; the sealed file stays until then. */
  function confirmReceipt(p: PendingUpload, uploadId: string) {
    setPhase("confirming");
    void awaitReceipt(tender.id, uploadId, setWaiting, unmounted.current.signal).then((result) => {
      setWaiting(null);
      if (result.kind === "receipt") return submitted(p);
      if (result.kind === "stopped") return;
      if (result.kind === "incomplete") return startUpload(p);
      if (result.kind === "refused") forget(p);
      setError(result.kind === "refused" ? result.error : "bid.receiptMissing");
      setPhase("error");
    });
  }

  async function sealAndSubmit(form: HTMLFormElement) {
    if (!sealing) return;
    setError(null);
    const fd = new FormData(form);
    const files = (fd.getAll("files") as File[]).filter((f) => f.size > 0);
    const p12 = fd.get("p12");
    const password = String(fd.get("p12password") ?? "");
    const readOut: Record<string, string> = {};
    for (const item of tender.readOutItems) readOut[item.key] = String(fd.get(`readout.${item.key}`) ?? "").trim();
    const missing = tender.readOutItems.find((item) => !readOut[item.key]);
    if (missing) return setError("bid.readOutMissing");
    if (tender.readOutItems.some((i) => i.kind === "money" && !/^\d{1,13}(\.\d{1,2})?$/.test(readOut[i.key] ?? "")))
      return setError("bid.priceFormat");
    if (files.length === 0) return setError("bid.noFiles");
    if (!(p12 instanceof File) || p12.size === 0) return setError("bid.noP12");
    setPhase("sealing");
    try {
      const sealed = await sealBid({
        tenderId: tender.id,
        readOut,
        files,
        p12,
        password,
        encryptionCertPem: sealing.encryptionCertPem,
        expectedSigningSerial: sealing.signingSerial,
        escrow: sealing.escrow,
        onProgress: setSealProgress,
      });
      const p: PendingUpload = {
        opfsName: sealed.opfsName,
        deviceFingerprint: sealed.deviceFingerprint,
        documentMeta: sealed.documentMeta,
      };
      savePending(tender.id, p);
      setPending(p);
      startUpload(p);
    } catch (e) {
      setError(e instanceof SealError ? e.code : "bid.sealFailed");
      setPhase("error");
    }
  }

  const latest = bid?.versions[0];
  return (
    <section className="card">
      <p className="eyebrow">{t("title")}</p>
      <h1>{tender.title}</h1>
      <p className="muted">
        {tender.code} · {t("deadline")}: <strong>{formatDateTime(tender.bidDeadline, locale)}</strong> · {t("serverTime")}:{" "}
        {formatDateTime(data.serverTime, locale)}
      </p>

      {data.letters.map((l) => (
        <div className="notice-box" data-testid="award-letter" key={l.pdfSha256}>
          <strong>{t(`award:letters.${l.kind}`)}</strong> ·{" "}
          {t("award:bidPage.issuedAt", { at: formatDateTime(l.issuedAt, locale) })}{" "}
          <a href={`/bids/${tender.id}/letter.pdf`} download data-testid="award-letter-download">
            {t("award:bidPage.download")}
          </a>{" "}
          <Link to={`/tenders/${tender.id}/result`}>{t("award:bidPage.resultNotice")}</Link>
        </div>
      ))}

      {bid && latest && (
        <div className={bid.status === "WITHDRAWN" ? "warning" : "notice-box"} data-testid="bid-status">
          {bid.status === "WITHDRAWN"
            ? t("withdrawnAt", { at: formatDateTime(bid.withdrawnAt, locale) })
            : t("currentVersion", { version: latest.number, at: formatDateTime(latest.receivedAt, locale) })}
          <ul>
            {bid.versions.map((v) => (
              <li key={v.id}>
                {t("versionLine", {
                  version: v.number,
                  at: formatDateTime(v.receivedAt, locale),
                  hash: v.envelopeSha256.slice(0, 16),
                })}{" "}
                <a href={`/bids/${tender.id}/receipts/${v.id}`} download>
                  {t("downloadReceipt")}
                </a>
              </li>
            ))}
          </ul>
        </div>
      )}
      {bid && latest && bid.status !== "WITHDRAWN" && <DecryptionCheck tenderId={tender.id} />}

      {refusal ? (
        <p className="form-error" role="alert" data-testid="bid-refusal">
          {renderRefusal(t, locale, refusal)}
          {refusal.code === "bid.noCertificate" && (
            <>
              {" "}
              <Link to="/pki/enrol">{t("enrolNow")}</Link>
            </>
          )}
        </p>
      ) : (
        <>
          {pending && phase !== "uploading" && phase !== "confirming" && phase !== "done" && (
            <p className="notice-box">
              {t("pendingUpload")}{" "}
              <button type="button" onClick={() => startUpload(pending)}>
                {t("resume")}
              </button>
            </p>
          )}
          <form
            ref={formRef}
            className="stack"
            onSubmit={(e) => {
              e.preventDefault();
              void sealAndSubmit(e.currentTarget);
            }}
          >
            <fieldset className="stack">
              <legend>{t("readOutLegend")}</legend>
              {tender.readOutItems.map((item) => (
                <div className="field" key={item.key}>
                  <label htmlFor={`readout.${item.key}`}>{item.label}</label>
                  <input
                    id={`readout.${item.key}`}
                    name={`readout.${item.key}`}
                    inputMode={item.kind === "text" ? "text" : "decimal"}
                    autoComplete="off"
                  />
                </div>
              ))}
            </fieldset>
            <div className="field">
              <label htmlFor="files">{t("files")}</label>
              <input id="files" name="files" type="file" multiple />
              <small className="hint">{t("filesHint")}</small>
            </div>
            <div className="field">
              <label htmlFor="p12">{t("p12")}</label>
              <input id="p12" name="p12" type="file" accept=".p12,.pfx,application/x-pkcs12" />
            </div>
            <div className="field">
              <label htmlFor="p12password">{t("p12password")}</label>
              <input id="p12password" name="p12password" type="password" autoComplete="off" />
            </div>
            {error && (
              <p className="form-error" role="alert" data-testid="bid-error">
                {renderRefusal(t, locale, { code: error })}
              </p>
            )}
            <button
              type="submit"
              className="primary"
              disabled={phase === "sealing" || phase === "uploading" || phase === "confirming"}
            >
              {latest && bid?.status === "SUBMITTED" ? t("replace") : t("submit")}
            </button>
          </form>
          {(phase === "sealing" || phase === "uploading" || phase === "confirming" || phase === "done") && (
            <div className="stack" aria-live="polite">
              <label>
                {t("sealing")} <progress data-testid="seal-progress" max={1} value={phase === "sealing" ? sealProgress : 1} />
              </label>
              <label>
                {t("uploading")} <progress data-testid="upload-progress" max={1} value={uploadProgress} />
              </label>
              {phase === "confirming" && (
                <p role="status" data-testid="receipt-waiting">
                  {t(waiting === "unreachable" ? "receiptWaitServer" : "receiptWaitFinalising")}
                </p>
              )}
              {phase === "done" && <p role="status">{t("submitted")}</p>}
            </div>
          )}
          {bid?.status === "SUBMITTED" && (
            <Form
              method="post"
              className="actions"
              onSubmit={(e) => {
                if (!confirm(t("withdrawConfirm"))) e.preventDefault();
              }}
            >
              <CsrfInput />
              <input type="hidden" name="intent" value="withdraw" />
              <button type="submit">{t("withdraw")}</button>
            </Form>
          )}
        </>
      )}
    </section>
  );
}
