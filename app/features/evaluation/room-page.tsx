// The evaluation room's page (评标室): the member's steps in order, each act signed in the page
// with the member's signing key file; the supervisors' live feed and alerts; the agent's report.
import type { SerializeFrom } from "@remix-run/node";
import { useFetcher, useRevalidator } from "@remix-run/react";
import { useEffect, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { CsrfInput } from "../../ui/components/csrf.tsx";
import { roomSignature } from "./room.browser.ts";
import type { RoomAct } from "./statement.ts";
import type { roomView } from "./view.server.ts";

type AnyView = SerializeFrom<Awaited<ReturnType<typeof roomView>>>;
/** The room as a member or a supervisor sees it, once the session exists. */
type View = Extract<AnyView, { members: unknown }>;
type Answer = { ok: boolean; error: string | null };
type Key = { file: File; password: string } | null;

function useAct(view: View, key: Key) {
  const fetcher = useFetcher<Answer>();
  const [local, setLocal] = useState<string | null>(null);
  const revalidator = useRevalidator();
  useEffect(() => {
    if (fetcher.state === "idle" && fetcher.data) revalidator.revalidate();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [fetcher.state, fetcher.data]);
  async function act(intent: string, payload: Record<string, unknown>, sign?: { act: RoomAct; body: unknown }, csrf?: string) {
    setLocal(null);
    let signature: string | undefined;
    if (sign) {
      if (!key || !view.me) return setLocal("room.chooseKey");
      try {
        signature = await roomSignature(key.file, key.password, sign.act, view.tender.id, view.me.userId, sign.body);
      } catch {
        return setLocal("room.keyUnreadable");
      }
    }
    const form = new FormData();
    form.set("intent", intent);
    form.set("csrf", csrf ?? document.querySelector<HTMLInputElement>('input[name="csrf"]')?.value ?? "");
    form.set("payload", JSON.stringify(signature ? { ...payload, signature } : payload));
    fetcher.submit(form, { method: "post" });
  }
  const error = local ?? (fetcher.state === "idle" && fetcher.data && !fetcher.data.ok ? fetcher.data.error : null);
  return { act, error, busy: fetcher.state !== "idle" };
}

function Card({ title, children, testId }: { title: string; children: ReactNode; testId: string }) {
  return (
    <section className="card" data-testid={testId}>
      <h2>{title}</h2>
      {children}
    </section>
  );
}

export function EvaluationRoom({ view }: { view: AnyView }) {
  const { t } = useTranslation("room");
  return (
    <main className="page">
      <h1>
        {t("title")} · {view.tender.code} {view.tender.title}
      </h1>
      <CsrfInput />
      {view.refusal ? (
        <p className="error" role="alert" data-testid="room-refusal">
          {t(view.refusal.code.replace(/^room\./, ""))}
        </p>
      ) : null}
      {view.role === "agent" ? (
        <AgentPanel view={view} />
      ) : "recused" in view ? (
        <p data-testid="room-status">{t("ended")}</p>
      ) : !("members" in view) ? (
        <p data-testid="room-status">{t("notOpen")}</p>
      ) : view.role === "supervisor" ? (
        <SupervisorPanel view={view} />
      ) : (
        <MemberRoom view={view} />
      )}
    </main>
  );
}

function AgentPanel({ view }: { view: AnyView }) {
  const { t } = useTranslation("room");
  return view.reportSigned ? (
    <p>
      <a href={`/evaluation/${view.tender.id}/report.pdf`} data-testid="report-link">
        {t("report.pdf")}
      </a>
    </p>
  ) : (
    <p data-testid="room-status">{t("agent.inProgress")}</p>
  );
}

function SupervisorPanel({ view }: { view: View }) {
  const { t } = useTranslation("room");
  return (
    <>
      <p>
        <a href={`/witness/${view.tender.id}`}>{t("supervisor.live")}</a>
      </p>
      {view.reportSigned ? (
        <p>
          <a href={`/evaluation/${view.tender.id}/report.pdf`} data-testid="report-link">
            {t("report.pdf")}
          </a>
        </p>
      ) : null}
      <Clarifications view={view} />
      <Card title={t("supervisor.alerts")} testId="room-alerts">
        {(view.alerts ?? []).length === 0 ? <p>{t("supervisor.noAlerts")}</p> : null}
        <ul>
          {(view.alerts ?? []).map((a, i) => (
            <li key={i} data-testid="room-alert" data-kind={a.kind}>
              {t(`alerts.${a.kind}`)} {JSON.stringify({ ...a, kind: undefined })}
            </li>
          ))}
        </ul>
      </Card>
      <Card title={t("supervisor.feed")} testId="room-feed">
        <ol>
          {(view.feed ?? []).map((f) => (
            <li key={f.seq} data-action={f.action}>
              {new Date(f.at).toLocaleTimeString("zh-CN", { timeZone: "Asia/Shanghai" })} {f.actorName}{" "}
              {t(`actions.${f.action.replace("evaluation.", "")}`, { defaultValue: f.action })}
            </li>
          ))}
        </ol>
      </Card>
    </>
  );
}

function MemberRoom({ view }: { view: View }) {
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
        <Scoring view={view} act={act} busy={busy} isChair={isChair} />
      ) : null}
      {view.session.chairUserId ? <Clarifications view={view} ask={isChair && !view.session.summaryClosed ? act : null} /> : null}
      {view.session.reportDrafted ? <Report view={view} act={act} busy={busy} /> : null}
    </>
  );
}

type ActFn = ReturnType<typeof useAct>["act"];

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

function Qualification({ view, act, busy, isChair }: { view: View; act: ActFn; busy: boolean; isChair: boolean }) {
  const { t } = useTranslation("room");
  const mine = new Set(view.mySheets.filter((s) => s.kind === "QUALIFICATION").map((s) => s.bidderId));
  return (
    <Card title={t("qualification.title")} testId="room-qualification">
      {view.bids.map((b) => (
        <form
          key={b.bidderId}
          data-testid="qualification-sheet"
          data-bidder={b.bidderName}
          onSubmit={(e) => {
            e.preventDefault();
            const data = new FormData(e.currentTarget);
            const findings = view.rules.qualification.map((q) => ({
              criterionId: q.id,
              passed: data.get(`pass-${q.id}`) !== "fail",
              reason: String(data.get(`reason-${q.id}`) ?? "").trim(),
            }));
            void act(
              "qualification",
              { bidderId: b.bidderId, findings },
              { act: "qualification", body: { bidderId: b.bidderId, findings } },
            );
          }}
        >
          <h3>
            {b.bidderName}
            {mine.has(b.bidderId) ? ` · ${t("qualification.submitted")}` : ""}
          </h3>
          {view.rules.qualification.map((q) => (
            <div key={q.id}>
              <span>{q.text}</span>
              <select name={`pass-${q.id}`} aria-label={`${b.bidderName} ${q.text}`}>
                <option value="pass">{t("qualification.pass")}</option>
                <option value="fail">{t("qualification.fail")}</option>
              </select>
              <input
                name={`reason-${q.id}`}
                placeholder={t("qualification.reason")}
                aria-label={`${b.bidderName} ${q.text} ${t("qualification.reason")}`}
              />
            </div>
          ))}
          {!mine.has(b.bidderId) ? (
            <button type="submit" disabled={busy}>
              {t("qualification.submit")}
            </button>
          ) : null}
        </form>
      ))}
      {isChair ? (
        <button
          type="button"
          disabled={busy}
          data-testid="close-qualification"
          onClick={() => void act("closeQualification", {})}
        >
          {t("qualification.close")}
        </button>
      ) : null}
    </Card>
  );
}

function Scoring({ view, act, busy, isChair }: { view: View; act: ActFn; busy: boolean; isChair: boolean }) {
  const { t } = useTranslation("room");
  const me = view.me;
  const mine = view.mySheets.filter((s) => s.kind === "SCORE");
  const summary = view.summary as {
    results: {
      bidderId: string;
      technicalScore: number;
      commercialScore: number;
      priceScore: number;
      pricePoints: number;
      total: number;
    }[];
    outliers: { expertId: string; bidderId: string; part: string; reason: string | null }[];
    canClose: boolean;
  } | null;
  const name = (id: string) => view.bids.find((b) => b.bidderId === id)?.bidderName ?? id;
  return (
    <Card title={t("scoring.title")} testId="room-scoring">
      {view.bids
        .filter((b) => view.remaining.includes(b.bidderId))
        .map((b) => {
          const sheet = mine.find((s) => s.bidderId === b.bidderId);
          return (
            <form
              key={b.bidderId}
              data-testid="score-sheet"
              data-bidder={b.bidderName}
              onSubmit={(e) => {
                e.preventDefault();
                const data = new FormData(e.currentTarget);
                const points = Object.fromEntries(view.rules.criteria.map((c) => [c.id, Number(data.get(`pts-${c.id}`))]));
                void act("score", { bidderId: b.bidderId, points }, { act: "score", body: { bidderId: b.bidderId, points } });
              }}
            >
              <h3>
                {b.bidderName}
                {sheet ? ` · ${t("scoring.submitted")}` : ""}
              </h3>
              {view.rules.criteria.map((c) => (
                <label key={c.id}>
                  {c.name}（0–{c.maxPoints}）{" "}
                  <input
                    type="number"
                    step="0.5"
                    min={0}
                    max={c.maxPoints}
                    name={`pts-${c.id}`}
                    aria-label={`${b.bidderName} ${c.name}`}
                    defaultValue={sheet ? String(sheet.body.points?.[c.id] ?? "") : ""}
                    disabled={!!sheet}
                  />
                </label>
              ))}
              {sheet ? (
                <button
                  type="button"
                  disabled={busy}
                  onClick={() =>
                    void act("withdraw", { sheetId: sheet.id, reason: window.prompt(t("scoring.withdrawReason")) ?? "" })
                  }
                >
                  {t("scoring.withdraw")}
                </button>
              ) : (
                <button type="submit" disabled={busy}>
                  {t("scoring.submit")}
                </button>
              )}
            </form>
          );
        })}
      {summary ? (
        <div data-testid="room-summary">
          <h3>{t("summary.title")}</h3>
          <table>
            <tbody>
              {summary.results.map((r) => (
                <tr key={r.bidderId}>
                  <td>{name(r.bidderId)}</td>
                  <td>{r.technicalScore}</td>
                  <td>{r.commercialScore}</td>
                  <td>{t("summary.price", { score: r.priceScore, points: r.pricePoints })}</td>
                  <td>{r.total}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {summary.outliers.map((o) => (
            <form
              key={`${o.expertId}-${o.bidderId}-${o.part}`}
              data-testid="outlier"
              onSubmit={(e) => {
                e.preventDefault();
                void act("outlier", {
                  bidderId: o.bidderId,
                  part: o.part,
                  reason: String(new FormData(e.currentTarget).get("reason") ?? ""),
                });
              }}
            >
              {t("summary.outlier", { bidder: name(o.bidderId), part: o.part })}{" "}
              {o.reason ? `${t("summary.reason")}：${o.reason}` : null}
              {o.expertId === me?.userId && !o.reason ? (
                <>
                  <input name="reason" aria-label={t("summary.reason")} />
                  <button type="submit">{t("summary.explain")}</button>
                </>
              ) : null}
            </form>
          ))}
        </div>
      ) : view.summaryError ? (
        <p data-testid="summary-pending">{t("summary.pending")}</p>
      ) : null}
      {!me?.moreTime ? (
        <button type="button" disabled={busy} onClick={() => void act("moreTime", {})}>
          {t("moreTime")}
        </button>
      ) : null}
      {isChair ? <Collusion view={view} act={act} busy={busy} /> : null}
      {isChair ? (
        <button type="button" disabled={busy} data-testid="close-summary" onClick={() => void act("closeSummary", {})}>
          {t("summary.close")}
        </button>
      ) : null}
    </Card>
  );
}

function Report({ view, act, busy }: { view: View; act: ActFn; busy: boolean }) {
  const { t } = useTranslation("room");
  const [dissent, setDissent] = useState("");
  const hash = view.session?.reportSha256 ?? "";
  if (view.reportSigned)
    return (
      <Card title={t("report.title")} testId="room-report">
        <a href={`/evaluation/${view.tender.id}/report.pdf`} data-testid="report-link">
          {t("report.pdf")}
        </a>
      </Card>
    );
  return (
    <Card title={t("report.title")} testId="room-report">
      <p>{t("report.hash", { hash })}</p>
      {view.me?.reportSigned ? (
        <p>{t("report.waiting")}</p>
      ) : (
        <>
          <label>
            {t("report.dissent")} <textarea name="dissent" value={dissent} onChange={(e) => setDissent(e.currentTarget.value)} />
          </label>
          <button
            type="button"
            disabled={busy}
            data-testid="sign-report"
            onClick={() =>
              void act("signReport", dissent.trim() ? { dissent: dissent.trim() } : {}, {
                act: "report",
                body: { reportSha256: hash, dissent: dissent.trim() },
              })
            }
          >
            {t("report.sign")}
          </button>
        </>
      )}
    </Card>
  );
}

function Clarifications({ view, ask }: { view: View; ask?: ActFn | null }) {
  const { t } = useTranslation("room");
  const name = (id: string) => view.bids.find((b) => b.bidderId === id)?.bidderName ?? id;
  const decide = useAct(view, null);
  return (
    <Card title={t("clarification.title")} testId="room-clarifications">
      <ul>
        {view.clarifications.map((c) => (
          <li key={c.id} data-testid="clarification" data-status={c.status}>
            {name(c.bidderId)}：{c.question} · {t(`clarification.${c.status}`)}
            {c.answer ? ` · ${t("clarification.answer")}：${c.answer}` : ""}
            {view.role === "supervisor" && c.status === "pending" ? (
              <>
                <button type="button" onClick={() => void decide.act("decide", { clarificationId: c.id, approve: true })}>
                  {t("clarification.approve")}
                </button>
                <button type="button" onClick={() => void decide.act("decide", { clarificationId: c.id, approve: false })}>
                  {t("clarification.reject")}
                </button>
              </>
            ) : null}
          </li>
        ))}
      </ul>
      {decide.error ? (
        <p className="error" role="alert">
          {t(decide.error.replace(/^room\./, ""), { defaultValue: decide.error })}
        </p>
      ) : null}
      {ask ? (
        <form
          data-testid="ask-clarification"
          onSubmit={(e) => {
            e.preventDefault();
            const data = new FormData(e.currentTarget);
            void ask("ask", {
              bidderId: String(data.get("bidderId")),
              question: String(data.get("question") ?? ""),
              hours: Number(data.get("hours") ?? 2),
            });
          }}
        >
          <select name="bidderId" aria-label={t("clarification.bidder")}>
            {view.bids.map((b) => (
              <option key={b.bidderId} value={b.bidderId}>
                {b.bidderName}
              </option>
            ))}
          </select>
          <textarea name="question" aria-label={t("clarification.question")} />
          <label>
            {t("clarification.hours")} <input type="number" name="hours" min={1} max={72} defaultValue={2} />
          </label>
          <button type="submit">{t("clarification.ask")}</button>
        </form>
      ) : null}
    </Card>
  );
}

/** The chair records the committee's finding of collusion (Regs Art 40): those bids are out, with the reason. */
function Collusion({ view, act, busy }: { view: View; act: ActFn; busy: boolean }) {
  const { t } = useTranslation("room");
  const findings = (view.session?.collusionFindings ?? []) as { bidderIds: string[]; reason: string }[];
  const name = (id: string) => view.bids.find((b) => b.bidderId === id)?.bidderName ?? id;
  return (
    <form
      data-testid="collusion-finding"
      onSubmit={(e) => {
        e.preventDefault();
        const data = new FormData(e.currentTarget);
        void act("collusion", { bidderIds: data.getAll("bidderIds").map(String), reason: String(data.get("reason") ?? "") });
      }}
    >
      <h3>{t("collusion.title")}</h3>
      <ul>
        {findings.map((f, i) => (
          <li key={i}>
            {f.bidderIds.map(name).join("、")}：{f.reason}
          </li>
        ))}
      </ul>
      {view.bids
        .filter((b) => view.remaining.includes(b.bidderId))
        .map((b) => (
          <label key={b.bidderId}>
            <input type="checkbox" name="bidderIds" value={b.bidderId} /> {b.bidderName}
          </label>
        ))}
      <input name="reason" aria-label={t("collusion.reason")} placeholder={t("collusion.reason")} />
      <button type="submit" disabled={busy}>
        {t("collusion.submit")}
      </button>
    </form>
  );
}
