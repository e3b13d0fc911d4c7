import { useFetcher, useRevalidator } from "@remix-run/react";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { io } from "socket.io-client";
import { CsrfInput } from "../../ui/components/csrf.tsx";
import { formatDateTime } from "../../ui/format.ts";
import type { Locale } from "../../ui/i18n.ts";
import { custodianShare, HallError, signInSignature, unwrapBidKey } from "./hall.browser.ts";
import type { RemedyState } from "./remedy.server.ts";
import type { HallView } from "./view.server.ts";

type Answer = { ok: boolean; error: string | null };

/**
 * Joins socket.io /notify; every `opening` event for this tender re-runs the loader, so the page
 * always shows the server's state (a reconnect rejoins the same way). When the countdown ends
 * the page reloads too: the server ends the window by its own clock.
 */
export function LiveHall({
  tenderId,
  windowEndsAt,
  serverNowMs,
}: {
  tenderId: string;
  windowEndsAt: string | null;
  serverNowMs: number;
}) {
  const revalidator = useRevalidator();
  const revalidate = useRef(revalidator.revalidate);
  revalidate.current = revalidator.revalidate;
  useEffect(() => {
    const socket = io("/notify", { transports: ["websocket"], withCredentials: true });
    socket.on("opening", (p: { tenderId?: string }) => {
      if (p.tenderId === tenderId) revalidate.current();
    });
    socket.on("connect", () => {
      document.body.setAttribute("data-hall", "live");
      revalidate.current();
    });
    socket.on("disconnect", () => document.body.removeAttribute("data-hall"));
    return () => {
      socket.disconnect();
    };
  }, [tenderId]);
  useEffect(() => {
    if (!windowEndsAt) return;
    const offset = serverNowMs - Date.now();
    const left = new Date(windowEndsAt).getTime() - (Date.now() + offset);
    if (left < 0) return;
    const timer = setTimeout(() => revalidate.current(), left + 1_000);
    return () => clearTimeout(timer);
  }, [windowEndsAt, serverNowMs]);
  return null;
}

/** Counts down by the server's clock (its offset from this browser measured at load). */
export function Countdown({ endsAt, serverNowMs }: { endsAt: string; serverNowMs: number }) {
  const { t } = useTranslation("opening");
  const [offset] = useState(() => serverNowMs - Date.now());
  const [, tick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => tick((n) => n + 1), 1_000);
    return () => clearInterval(timer);
  }, []);
  const left = Math.max(0, Math.floor((new Date(endsAt).getTime() - (Date.now() + offset)) / 1000));
  const mm = String(Math.floor(left / 60)).padStart(2, "0");
  const ss = String(left % 60).padStart(2, "0");
  return (
    <p className="countdown" data-testid="hall-countdown">
      {left > 0 ? t("countdown", { time: `${mm}:${ss}` }) : t("countdownOver")}
    </p>
  );
}

function Message({ data }: { data: Answer | undefined }) {
  const { t } = useTranslation("opening");
  if (!data || data.ok || !data.error) return null;
  return (
    <p className="error" role="alert" data-testid="hall-error">
      {t(data.error)}
    </p>
  );
}

function HostButton({ intent, label }: { intent: string; label: string }) {
  const fetcher = useFetcher<Answer>();
  return (
    <fetcher.Form method="post">
      <CsrfInput />
      <input type="hidden" name="intent" value={intent} />
      <button type="submit" disabled={fetcher.state !== "idle"}>
        {label}
      </button>
      <Message data={fetcher.data} />
    </fetcher.Form>
  );
}

export function HostPanel({ view }: { view: HallView }) {
  const { t } = useTranslation("opening");
  const step = view.session?.step;
  return (
    <section className="card" data-testid="host-panel">
      {step === "STARTED" ? <HostButton intent="publishList" label={t("host.publishList")} /> : null}
      {step === "LIST_PUBLISHED" ? <HostButton intent="openWindow" label={t("host.openWindowPlain")} /> : null}
      {step === "DECRYPTING" ? <HostButton intent="endWindow" label={t("host.endWindow")} /> : null}
      {step === "READ_OUT" ? <HostButton intent="close" label={t("host.close")} /> : null}
      {view.retender ? <a href={`/agent/tenders/new?from=${view.tender.id}`}>{t("host.retender")}</a> : null}
    </section>
  );
}

/** A .p12 + password form whose submit runs `work` in the page, then posts what it returns. */
function KeyForm({
  title,
  help,
  button,
  testId,
  work,
}: {
  title: string;
  help: string;
  button: string;
  testId: string;
  work: (file: File, password: string) => Promise<Record<string, string>>;
}) {
  const { t } = useTranslation("opening");
  const fetcher = useFetcher<Answer>();
  const [local, setLocal] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const file = data.get("p12");
    const password = String(data.get("password") ?? "");
    setLocal(null);
    if (!(file instanceof File) || file.size === 0 || !password) return setLocal("opening.chooseFile");
    setBusy(true);
    try {
      const fields = await work(file, password);
      const post = new FormData();
      post.set("csrf", String(data.get("csrf") ?? ""));
      for (const [k, v] of Object.entries(fields)) post.set(k, v);
      fetcher.submit(post, { method: "post" });
    } catch (error) {
      setLocal(error instanceof HallError ? error.code : "opening.failed");
    } finally {
      setBusy(false);
    }
  }
  const pending = busy || fetcher.state !== "idle";
  return (
    <form className="card" data-testid={testId} onSubmit={(e) => void onSubmit(e)}>
      <h2>{title}</h2>
      <p>{help}</p>
      <CsrfInput />
      <label>
        {t("bidder.keyFile")} <input type="file" name="p12" accept=".p12,.pfx,application/x-pkcs12" />
      </label>
      <label>
        {t("bidder.password")} <input type="password" name="password" autoComplete="off" />
      </label>
      <button type="submit" disabled={pending}>
        {pending ? t("bidder.decrypting") : button}
      </button>
      {local ? (
        <p className="error" role="alert" data-testid="hall-error">
          {t(local)}
        </p>
      ) : (
        <Message data={fetcher.data} />
      )}
    </form>
  );
}

function ObjectForm() {
  const { t } = useTranslation("opening");
  const fetcher = useFetcher<Answer>();
  return (
    <fetcher.Form method="post" className="card" data-testid="object-form">
      <h2>{t("bidder.objectTitle")}</h2>
      <CsrfInput />
      <input type="hidden" name="intent" value="object" />
      <textarea name="content" required maxLength={2000} placeholder={t("bidder.objectPlaceholder")} />
      <button type="submit" disabled={fetcher.state !== "idle"}>
        {t("bidder.objectButton")}
      </button>
      <Message data={fetcher.data} />
    </fetcher.Form>
  );
}

export function BidderPanel({ view }: { view: HallView }) {
  const { t } = useTranslation("opening");
  const step = view.session?.step;
  const own = view.own;
  if (!own) return null;
  const tenderId = view.tender.id;
  return (
    <section data-testid="bidder-panel">
      {step === "STARTED" ? <p>{t("bidder.waitList")}</p> : null}
      {own.signedIn ? <p data-testid="signed-in">{t("bidder.signedIn")}</p> : null}
      {!own.signedIn && (step === "LIST_PUBLISHED" || step === "DECRYPTING") ? (
        <KeyForm
          title={t("bidder.signInTitle")}
          help={t("bidder.signInHelp")}
          button={t("bidder.signInButton")}
          testId="sign-in-form"
          work={async (file, password) => ({
            intent: "signIn",
            signature: await signInSignature(file, password, tenderId, own.id, own.challenge),
          })}
        />
      ) : null}
      {own.signedIn && step === "LIST_PUBLISHED" ? <p>{t("bidder.notSignedInYet")}</p> : null}
      {own.signedIn && step === "DECRYPTING" && own.status === "SEALED" ? (
        <KeyForm
          title={t("bidder.decryptTitle")}
          help={t("bidder.decryptHelp")}
          button={t("bidder.decryptButton")}
          testId="decrypt-form"
          work={async (file, password) => ({
            intent: "decrypt",
            openingBidId: own.id,
            contentKey: await unwrapBidKey(file, password, tenderId, own.id),
          })}
        />
      ) : null}
      {own.status === "OPENED" ? <p data-testid="decrypted">{t("bidder.decrypted")}</p> : null}
      {step === "READ_OUT" && own.status === "OPENED" && !view.bids.find((b) => b.own)?.confirmed ? (
        <HostButton intent="confirm" label={t("bidder.confirm")} />
      ) : null}
      {step === "READ_OUT" && view.bids.find((b) => b.own)?.confirmed ? (
        <p data-testid="confirmed">{t("bidder.confirmed")}</p>
      ) : null}
      {step === "DECRYPTING" || step === "READ_OUT" ? <ObjectForm /> : null}
    </section>
  );
}

export function BidTable({ view }: { view: HallView }) {
  const { t, i18n } = useTranslation("opening");
  const locale = i18n.language as Locale;
  if (view.bids.length === 0) return <p>{t("table.empty")}</p>;
  return (
    <table className="table" data-testid="bid-table">
      <thead>
        <tr>
          <th>{t("table.seq")}</th>
          <th>{t("table.bidder")}</th>
          <th>{t("table.version")}</th>
          <th>{t("table.received")}</th>
          <th>{t("table.signedIn")}</th>
          <th>{t("table.decryption")}</th>
          {view.readOutItems.map((i) => (
            <th key={i.key}>{i.label}</th>
          ))}
          <th>{t("table.confirmed")}</th>
        </tr>
      </thead>
      <tbody>
        {view.bids.map((b) => (
          <tr key={b.id} data-testid={`bid-row-${b.seq}`} data-status={b.status}>
            <td>{b.seq}</td>
            <td>{b.bidderName}</td>
            <td>{b.version}</td>
            <td>{formatDateTime(b.receivedAt, locale)}</td>
            <td>{b.signedIn ? t("table.yes") : t("table.no")}</td>
            <td>
              {t(`status.${b.status}`)}
              {b.outcomeDetail ? `（${t(`detail.${b.outcomeDetail}`)}）` : ""}
            </td>
            {view.readOutItems.map((i) => (
              <td key={i.key} data-testid={`readout-${b.seq}-${i.key}`}>
                {b.readOut?.[i.key] ?? ""}
              </td>
            ))}
            <td>{b.confirmed ? "✓" : ""}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function AnswerForm({ objectionId }: { objectionId: string }) {
  const { t } = useTranslation("opening");
  const fetcher = useFetcher<Answer>();
  return (
    <fetcher.Form method="post" data-testid="answer-form">
      <CsrfInput />
      <input type="hidden" name="intent" value="answer" />
      <input type="hidden" name="objectionId" value={objectionId} />
      <input name="answer" required maxLength={2000} placeholder={t("host.answerPlaceholder")} />
      <button type="submit" disabled={fetcher.state !== "idle"}>
        {t("host.answer")}
      </button>
      <Message data={fetcher.data} />
    </fetcher.Form>
  );
}

export function Objections({ view }: { view: HallView }) {
  const { t } = useTranslation("opening");
  if (!view.session || view.session.step === "STARTED" || view.session.step === "LIST_PUBLISHED") return null;
  return (
    <section className="card" data-testid="objections">
      <h2>{t("objections.title")}</h2>
      {view.objections.length === 0 ? <p>{t("objections.none")}</p> : null}
      <ul>
        {view.objections.map((o) => (
          <li key={o.id} data-testid="objection">
            <strong>{o.raisedBy}</strong>：{o.content}
            <div>{o.answer ? t("objections.answer", { answer: o.answer }) : t("objections.unanswered")}</div>
            {!o.answer && view.role === "host" ? <AnswerForm objectionId={o.id} /> : null}
          </li>
        ))}
      </ul>
    </section>
  );
}

export function RecordLinks({ view }: { view: HallView }) {
  const { t } = useTranslation("opening");
  if (!view.session?.pdfUrl) return null;
  return (
    <section className="card" data-testid="record">
      <h2>{t("record.title")}</h2>
      <p>
        <a href={view.session.pdfUrl} data-testid="record-pdf">
          {t("record.pdf")}
        </a>
      </p>
      <p>
        <a href={`/opening/${view.tender.id}/record.json`}>{t("record.json")}</a>
      </p>
    </section>
  );
}

/** The escrow remedy step: each custodian unseals its own share here and submits it. */
export function RemedyPanel({ remedy }: { remedy: RemedyState }) {
  const { t } = useTranslation("opening");
  const record = remedy.record;
  if (!record) return null;
  return (
    <section data-testid="remedy-panel">
      <p>{t("remedy.status", { submitted: remedy.submitted.length, threshold: record.threshold })}</p>
      <KeyForm
        title={t("remedy.title")}
        help={t("remedy.help")}
        button={t("remedy.button")}
        testId="remedy-form"
        work={async (file, password) => ({ intent: "escrowShare", ...(await custodianShare(file, password, record)) })}
      />
    </section>
  );
}
