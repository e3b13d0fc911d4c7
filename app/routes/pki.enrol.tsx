import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useFetcher, useLoaderData } from "@remix-run/react";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { requireUser } from "~/platform/auth/auth.server.ts";
import { requireCsrf } from "~/platform/auth/csrf.server.ts";
import { currentCertificate, enrolCertificates, EnrolmentSchema } from "~/features/pki/index.ts";
import { db } from "~/platform/db.server.ts";
import { clientIp, readForm } from "~/platform/request.server.ts";
import { CsrfInput } from "~/ui/components/csrf.tsx";
import { buildKeyFiles, generateEnrolmentRequest, type PendingEnrolment } from "~/features/pki/index.ts";
import { isApprovedExpert } from "~/features/experts/index.ts";

/** An expert signs score sheets and reports only once the trading centre has approved them. */
async function requireHolder(request: Request) {
  const user = await requireUser(request, ["BIDDER", "AGENT", "EXPERT", "SUPERVISOR"]);
  if (user.role === "EXPERT" && !(await isApprovedExpert(user.id)))
    throw new Response("Forbidden", { status: 403, statusText: "Forbidden" });
  return user;
}

export const meta: MetaFunction = () => [{ title: "数字证书 · 明标" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireHolder(request);
  const org = user.organizationId
    ? await db().organization.findUnique({ where: { id: user.organizationId }, select: { name: true, creditCode: true } })
    : null;
  const [signing, encryption] = user.organizationId
    ? await Promise.all([
        currentCertificate(user.organizationId, user.id, "SIGNING"),
        currentCertificate(user.organizationId, user.id, "ENCRYPTION"),
      ])
    : [null, null];
  return json({
    org,
    current:
      signing && encryption
        ? {
            signingSerial: signing.serialNumber,
            encryptionSerial: encryption.serialNumber,
            notAfter: signing.notAfter.toISOString(),
          }
        : null,
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireHolder(request);
  const form = await readForm(request);
  await requireCsrf(request, form);
  const parsed = EnrolmentSchema.safeParse(Object.fromEntries(form));
  if (!parsed.success) return json({ ok: false as const, error: "pki.badCsr" }, 400);
  const result = await enrolCertificates(user, parsed.data, clientIp(request));
  return json(result, result.ok ? 200 : 400);
}

type Stage = "idle" | "generating" | "submitting" | "done" | "failed";

export default function Enrol() {
  const { org, current } = useLoaderData<typeof loader>();
  const { t } = useTranslation("pki");
  const fetcher = useFetcher<typeof action>();
  const [password, setPassword] = useState("");
  const [confirm, setConfirm] = useState("");
  const [stage, setStage] = useState<Stage>("idle");
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState<PendingEnrolment | null>(null);
  const [files, setFiles] = useState<{ name: string; url: string }[]>([]);

  useEffect(() => {
    const data = fetcher.data;
    if (fetcher.state !== "idle" || !data || !pending) return;
    if (!data.ok) {
      setStage("failed");
      setError(data.error);
      return;
    }
    try {
      const built = buildKeyFiles(pending, data, password);
      setFiles(
        built.map((f) => ({ name: f.name, url: URL.createObjectURL(new Blob([f.bytes], { type: "application/x-pkcs12" })) })),
      );
      setStage("done");
    } catch {
      setStage("failed");
      setError("pki.p12Failed");
    }
    setPending(null);
  }, [fetcher.state, fetcher.data, pending, password]);

  if (!org) return <p role="alert">{t("noOrganization")}</p>;

  async function start(form: HTMLFormElement) {
    setError(null);
    if (password.length < 8) return setError("pki.passwordShort");
    if (password !== confirm) return setError("pki.passwordMismatch");
    setStage("generating");
    try {
      const request = await generateEnrolmentRequest({ organization: org!.name, creditCode: org!.creditCode });
      setPending(request);
      setStage("submitting");
      const data = new FormData(form);
      data.set("signingCsr", request.signingCsr);
      data.set("encryptionCsr", request.encryptionCsr);
      fetcher.submit(data, { method: "post" });
    } catch {
      setStage("failed");
      setError("pki.keygenFailed");
    }
  }

  return (
    <section className="card">
      <h1>{t("title")}</h1>
      <p className="muted">{t("intro")}</p>
      {current && (
        <p className="notice-box" data-testid="current-certificate">
          {t("current", { serial: current.signingSerial.slice(0, 16), date: current.notAfter.slice(0, 10) })}
        </p>
      )}
      <dl className="facts">
        <div>
          <dt>{t("organization")}</dt>
          <dd>{org.name}</dd>
        </div>
        <div>
          <dt>{t("creditCode")}</dt>
          <dd className="code">{org.creditCode}</dd>
        </div>
      </dl>
      {stage !== "done" ? (
        <form
          className="stack"
          onSubmit={(e) => {
            e.preventDefault();
            void start(e.currentTarget);
          }}
        >
          <CsrfInput />
          <div className="field">
            <label htmlFor="p12password">{t("password")}</label>
            <input
              id="p12password"
              type="password"
              autoComplete="new-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
            <small className="hint">{t("passwordHint")}</small>
          </div>
          <div className="field">
            <label htmlFor="p12confirm">{t("passwordConfirm")}</label>
            <input
              id="p12confirm"
              type="password"
              autoComplete="new-password"
              value={confirm}
              onChange={(e) => setConfirm(e.target.value)}
            />
          </div>
          {error && (
            <p className="form-error" role="alert">
              {t(error.replace(/^pki\./, ""))}
            </p>
          )}
          <button type="submit" className="primary" disabled={stage === "generating" || stage === "submitting"}>
            {stage === "generating" ? t("generating") : stage === "submitting" ? t("submitting") : t("start")}
          </button>
        </form>
      ) : (
        <div className="stack" data-testid="key-files">
          <p role="status">{t("done")}</p>
          <ul>
            {files.map((f) => (
              <li key={f.name}>
                <a href={f.url} download={f.name}>
                  {t("download", { name: f.name })}
                </a>
              </li>
            ))}
          </ul>
          <p className="warning">{t("keepSafe")}</p>
        </div>
      )}
    </section>
  );
}
