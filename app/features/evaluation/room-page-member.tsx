// The evaluation room page for a committee member: the signing key, the steps in order (sign-in,
// pledge, recusal, chair), the members and the bids, then review, scoring and the report.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Clarifications } from "./room-page-clarifications.tsx";
import { Report } from "./room-page-report.tsx";
import { Qualification } from "./room-page-review.tsx";
import { Adjustments } from "./room-page-adjustments.tsx";
import { Scoring } from "./room-page-scoring.tsx";
import { Card, useAct, type ActFn, type Key, type View } from "./room-page-shared.tsx";

export function MemberRoom({ view }: { view: View }) {
  const { t } = useTranslation("room");
  const [key, setKey] = useState<Key>(null);
  const [file, setFile] = useState<File | null>(null);
  const [password, setPassword] = useState("");
  const { act, error, busy } = useAct(view, key);
  // Others' progress (sign-ins, the chair, the summary) arrives live: useRoomLive (live.browser.ts) in the route re-reads the loader.
  const me = view.me;
  if (!view.session || !me) return <p data-testid="room-status">{t("notOpen")}</p>;
  if (me.ended) return <p data-testid="room-status">{t("ended")}</p>;
  const ready =
    view.members.filter((m) => !m.ended).every((m) => m.signedIn && m.pledged && m.recusal === "none") &&
    view.activeCount === view.members.filter((m) => !m.ended).length;
  const isChair = view.session.chairUserId === me.userId;
  return (
    <>
      <Card title={t("key.title")} testId="room-key">
        <label>
          {t("key.file")}{" "}
          <input type="file" name="roomKey" accept=".p12,.pfx" onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)} />
        </label>
        <label>
          {t("key.password")}{" "}
          <input
            type="password"
            name="roomPassword"
            autoComplete="off"
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
          />
        </label>
        <button type="button" onClick={() => setKey(file && password ? { file, password } : null)}>
          {t("key.use")}
        </button>
        {key ? <span data-testid="key-ready">{t("key.ready")}</span> : null}
      </Card>
      {error ? (
        <p className="error" role="alert" data-testid="room-error">
          {t(error.replace(/^room\./, ""), { defaultValue: error })}
        </p>
      ) : null}
      <p data-testid="room-status">
        {t("endsAt", { at: new Date(view.session.endsAt).toLocaleString("zh-CN", { timeZone: "Asia/Shanghai" }) })}
        {view.session.extended ? t("extended") : ""}
      </p>
      {!me.signedIn ? (
        <Card title={t("signIn.title")} testId="room-sign-in">
          <button
            type="button"
            disabled={busy}
            onClick={() => void act("signIn", {}, { act: "sign-in", body: { challenge: me.challenge } })}
          >
            {t("signIn.button")}
          </button>
        </Card>
      ) : !me.pledged ? (
        <Card title={t("pledge.title")} testId="room-pledge">
          <p>{view.pledgeText}</p>
          <button
            type="button"
            disabled={busy}
            onClick={() => void act("pledge", {}, { act: "pledge", body: { text: view.pledgeText } })}
          >
            {t("pledge.button")}
          </button>
        </Card>
      ) : !me.recusal ? (
        <Recusal view={view} act={act} busy={busy} />
      ) : !view.session.chairUserId ? (
        <Chair view={view} act={act} busy={busy} ready={ready} />
      ) : null}
      <Members view={view} />
      {me.pledged ? <Bids view={view} /> : null}
      {view.session.chairUserId && !view.session.qualificationClosed ? (
        <Qualification view={view} act={act} busy={busy} isChair={isChair} />
      ) : null}
      {view.session.qualificationClosed && !view.session.summaryClosed ? (
        view.rules.method === "LOWEST_EVALUATED_PRICE" ? (
          <Adjustments view={view} act={act} busy={busy} isChair={isChair} />
        ) : (
          <Scoring view={view} act={act} busy={busy} isChair={isChair} />
        )
      ) : null}
      {view.session.chairUserId ? <Clarifications view={view} ask={isChair && !view.session.summaryClosed ? act : null} /> : null}
      {view.session.reportDrafted ? <Report view={view} act={act} busy={busy} /> : null}
    </>
  );
}

function Recusal({ view, act, busy }: { view: View; act: ActFn; busy: boolean }) {
  const { t } = useTranslation("room");
  const [reason, setReason] = useState("");
  return (
    <Card title={t("recusal.title")} testId="room-recusal">
      <p>{t("recusal.bidders")}</p>
      <ul>
        {view.bids.map((b) => (
          <li key={b.bidderId}>
            {b.seq}. {b.bidderName}
          </li>
        ))}
      </ul>
      <button type="button" disabled={busy} onClick={() => void act("recusal", { recuse: "none" })}>
        {t("recusal.none")}
      </button>
      <label>
        {t("recusal.reason")} <input name="recusalReason" value={reason} onChange={(e) => setReason(e.currentTarget.value)} />
      </label>
      <button type="button" disabled={busy} onClick={() => void act("recusal", { recuse: "recused", reason })}>
        {t("recusal.recuse")}
      </button>
    </Card>
  );
}

function Chair({ view, act, busy, ready }: { view: View; act: ActFn; busy: boolean; ready: boolean }) {
  const { t } = useTranslation("room");
  const eligible = view.members.filter((m) => !m.ended && m.chairEligible);
  const [choice, setChoice] = useState(eligible[0]?.userId ?? "");
  if (!ready) return <p data-testid="room-waiting">{t("chair.waiting")}</p>;
  return (
    <Card title={t("chair.title")} testId="room-chair">
      <select name="chair" value={choice} onChange={(e) => setChoice(e.currentTarget.value)}>
        {eligible.map((m) => (
          <option key={m.userId} value={m.userId}>
            {m.name}
          </option>
        ))}
      </select>
      <button type="button" disabled={busy} onClick={() => void act("chair", { candidateUserId: choice })}>
        {t("chair.vote")}
      </button>
    </Card>
  );
}

function Members({ view }: { view: View }) {
  const { t } = useTranslation("room");
  return (
    <Card title={t("members.title")} testId="room-members">
      <ul>
        {view.members.map((m) => (
          <li key={m.userId} data-testid="room-member">
            {m.name}
            {view.session?.chairUserId === m.userId ? t("members.chair") : ""} ·{" "}
            {m.ended
              ? t("members.replaced")
              : [
                  m.signedIn ? t("members.signedIn") : t("members.notSignedIn"),
                  m.pledged ? t("members.pledged") : "",
                  m.recusal === "none" ? t("members.noRecusal") : "",
                  m.reportSigned ? (m.dissent ? t("members.dissented") : t("members.signed")) : "",
                ]
                  .filter(Boolean)
                  .join(" · ")}
          </li>
        ))}
      </ul>
    </Card>
  );
}

function Bids({ view }: { view: View }) {
  const { t } = useTranslation("room");
  const [src, setSrc] = useState<string | null>(null);
  return (
    <Card title={t("bids.title")} testId="room-bids">
      <ul>
        {view.bids.map((b) => (
          <li key={b.bidderId}>
            {b.seq}. {b.bidderName} · {t("bids.price")} {b.readOut.price ?? "—"}{" "}
            {b.files.map((f, i) => (
              <button
                key={f}
                type="button"
                data-testid="open-file"
                onClick={() => setSrc(`/evaluation/${view.tender.id}/file?bidder=${b.bidderId}&i=${i}`)}
              >
                {f}
              </button>
            ))}
          </li>
        ))}
      </ul>
      {Array.isArray(view.collusion) && view.collusion.length > 0 ? (
        <p data-testid="collusion-indicators">
          {t("bids.collusion")} {JSON.stringify(view.collusion)}
        </p>
      ) : null}
      {src ? (
        <iframe title={t("bids.viewer")} src={src} data-testid="bid-viewer" style={{ width: "100%", height: "32rem" }} />
      ) : null}
    </Card>
  );
}
