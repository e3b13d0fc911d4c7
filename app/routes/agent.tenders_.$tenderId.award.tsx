// 中标 (TBL Art 45, Regs Arts 54-55): the tender's agent confirms the winner from the published
// candidates, records candidates passed over, or re-tenders; then records the contract, the
// written report and the security refunds (TBL Arts 46-47, Regs Art 57).
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import {
  agentAwardView,
  AwardFormSchema,
  confirmAward,
  ContractFormSchema,
  declineCandidate,
  DeclineFormSchema,
  recordContract,
  recordRefund,
  recordReport,
  RefundFormSchema,
  retenderAfterDeclines,
} from "~/features/results/index.ts";
import { requireUser } from "~/platform/auth/auth.server.ts";
import { requireCsrf } from "~/platform/auth/csrf.server.ts";
import { renderRefusal, type Refusal } from "~/platform/refusal.ts";
import { readForm } from "~/platform/request.server.ts";
import { CsrfInput } from "~/ui/components/csrf.tsx";
import { formatCny, formatDateTime } from "~/ui/format.ts";
import { isLocale } from "~/ui/i18n.ts";

export const meta: MetaFunction = () => [{ title: "确定中标人 · 明标" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, ["AGENT"]);
  const view = await agentAwardView(user, params.tenderId ?? "");
  if (!view) throw new Response("Not Found", { status: 404 });
  if (view === "forbidden") throw new Response("Forbidden", { status: 403 });
  return json(view);
}

type ActionData = { ok: true; done: string } | { ok: false; refusal: Refusal };

const fields = (form: FormData) => Object.fromEntries([...form.entries()].filter(([, v]) => typeof v === "string"));

function invalid(message: string | undefined): Refusal {
  return { code: `award.validation.${message && /^[a-zA-Z]+$/.test(message) ? message : "invalid"}`, status: 400 };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request, ["AGENT"]);
  const form = await readForm(request);
  await requireCsrf(request, form);
  const tenderId = params.tenderId ?? "";
  const intent = String(form.get("intent") ?? "");
  const answer = (result: { ok: true } | { ok: false; refusal: Refusal }) =>
    result.ok
      ? json<ActionData>({ ok: true, done: intent })
      : json<ActionData>({ ok: false, refusal: result.refusal }, result.refusal.status);
  switch (intent) {
    case "decline": {
      const parsed = DeclineFormSchema.safeParse(fields(form));
      if (!parsed.success) return json<ActionData>({ ok: false, refusal: invalid(parsed.error.issues[0]?.message) }, 400);
      return answer(await declineCandidate(user, tenderId, parsed.data));
    }
    case "award": {
      const parsed = AwardFormSchema.safeParse(fields(form));
      if (!parsed.success) return json<ActionData>({ ok: false, refusal: invalid(parsed.error.issues[0]?.message) }, 400);
      return answer(await confirmAward(user, tenderId, parsed.data));
    }
    case "retender":
      return answer(await retenderAfterDeclines(user, tenderId));
    case "contract": {
      const parsed = ContractFormSchema.safeParse(fields(form));
      if (!parsed.success) return json<ActionData>({ ok: false, refusal: invalid(undefined) }, 400);
      return answer(await recordContract(user, tenderId, parsed.data));
    }
    case "report":
      return answer(await recordReport(user, tenderId));
    case "refund": {
      const parsed = RefundFormSchema.safeParse(fields(form));
      if (!parsed.success) return json<ActionData>({ ok: false, refusal: invalid(parsed.error.issues[0]?.message) }, 400);
      return answer(await recordRefund(user, tenderId, parsed.data));
    }
    default:
      return json<ActionData>({ ok: false, refusal: invalid(undefined) }, 400);
  }
}

export default function AwardPage() {
  const view = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t, i18n } = useTranslation("award");
  const lng = isLocale(i18n.language) ? i18n.language : "zh-CN";
  const busy = navigation.state === "submitting";
  const { tender, award, next } = view;
  const money = (cents: string | null) => (cents === null ? "—" : formatCny(cents, lng));
  return (
    <section className="stack">
      <p>
        <Link to={`/agent/tenders/${tender.id}`}>← {tender.title}</Link> <small className="code">{tender.code}</small>
      </p>
      <h1>{t("page.title")}</h1>
      <p className="muted">{t("page.intro")}</p>
      {data && !data.ok && (
        <p role="alert" className="form-error" data-testid="award-refusal">
          {renderRefusal(t, lng, data.refusal)}
        </p>
      )}
      {data?.ok && (
        <p role="status" className="notice-box" data-testid="award-done">
          {t(`done.${data.done}`)}
        </p>
      )}

      <div className="card" data-testid="award-publicity">
        <h2>{t("page.publicity")}</h2>
        {view.publicity ? (
          <p>
            {formatDateTime(view.publicity.startsAt, lng)} — {formatDateTime(view.publicity.endsAt, lng)} ·{" "}
            <strong>{view.publicityOver ? t("page.publicityOver") : t("page.publicityRunning")}</strong>
          </p>
        ) : (
          <p className="empty">{t("page.noPublicity")}</p>
        )}
        {view.openObjections > 0 && (
          <p className="warning" data-testid="open-objections">
            {t("page.openObjections", { count: view.openObjections })}
          </p>
        )}
        <table>
          <thead>
            <tr>
              <th>{t("page.rank")}</th>
              <th>{t("page.bidder")}</th>
              <th>{t("page.price")}</th>
              <th>{t("page.score")}</th>
              <th>{t("page.state")}</th>
            </tr>
          </thead>
          <tbody>
            {view.candidates.map((c) => {
              const declined = view.declines.find((d) => d.bidderOrgId === c.bidderOrgId);
              return (
                <tr key={c.bidderOrgId} data-testid="award-candidate">
                  <td>{c.rank}</td>
                  <td>{c.name}</td>
                  <td>{money(c.priceCents)}</td>
                  <td>{c.score ?? "—"}</td>
                  <td>
                    {award?.winnerOrgId === c.bidderOrgId
                      ? t("page.winner")
                      : declined
                        ? `${t(`causes.${declined.cause}`)}：${declined.reason}`
                        : next?.bidderOrgId === c.bidderOrgId && !award
                          ? t("page.offered")
                          : "—"}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>

      {!award && tender.status !== "RETENDERED" && view.publicity && (
        <div className="card" data-testid="award-decide">
          {next ? (
            <>
              <h2>{t("page.confirmTitle", { rank: next.rank, name: next.name })}</h2>
              <Form method="post">
                <CsrfInput />
                <input type="hidden" name="intent" value="award" />
                <input type="hidden" name="winnerOrgId" value={next.bidderOrgId} />
                <button type="submit" className="primary" disabled={busy}>
                  {t("page.confirm", { name: next.name })}
                </button>
              </Form>
              <details>
                <summary>{t("page.declineTitle", { rank: next.rank, name: next.name })}</summary>
                <Form method="post" className="stack">
                  <CsrfInput />
                  <input type="hidden" name="intent" value="decline" />
                  <input type="hidden" name="bidderOrgId" value={next.bidderOrgId} />
                  <label className="field">
                    <span>{t("page.cause")}</span>
                    <select name="cause" defaultValue="declined">
                      {["declined", "no-contract", "no-performance-security", "disqualified"].map((c) => (
                        <option key={c} value={c}>
                          {t(`causes.${c}`)}
                        </option>
                      ))}
                    </select>
                  </label>
                  <label className="field">
                    <span>{t("page.reason")}</span>
                    <textarea name="reason" rows={3} required minLength={4} />
                  </label>
                  <button type="submit" disabled={busy}>
                    {t("page.decline")}
                  </button>
                </Form>
              </details>
            </>
          ) : (
            <>
              <h2>{t("page.noneLeft")}</h2>
              <Form method="post">
                <CsrfInput />
                <input type="hidden" name="intent" value="retender" />
                <button type="submit" disabled={busy}>
                  {t("page.retender")}
                </button>
              </Form>
            </>
          )}
        </div>
      )}
      {tender.status === "RETENDERED" && (
        <p className="notice-box" data-testid="award-retendered">
          {t("page.retendered")} <Link to={`/agent/tenders/new?from=${tender.id}`}>{t("page.newTender")}</Link>
        </p>
      )}

      {award && (
        <>
          <div className="card" data-testid="award-summary">
            <h2>{t("page.awardedTitle")}</h2>
            <p>
              {t("page.awardedLine", {
                name: award.winnerName,
                rank: award.winnerRank,
                price: money(award.priceCents),
                at: formatDateTime(award.confirmedAt, lng),
              })}
            </p>
            <p>
              <Link to={`/tenders/${tender.id}/result`}>{t("page.resultNotice")}</Link>
            </p>
            <h3>{t("page.clocks")}</h3>
            <ul data-testid="award-clocks">
              {award.clocks.map((c) => (
                <li key={c.kind} data-testid={`award-clock-${c.kind}`}>
                  {t(`remedies:clocks.kinds.${c.kind}`)}: {formatDateTime(c.dueAt, lng)}
                  {c.provisional ? ` ${t("page.provisional")}` : ""} ·{" "}
                  {c.stoppedAt ? t("page.clockMet", { at: formatDateTime(c.stoppedAt, lng) }) : t("page.clockOpen")}
                </li>
              ))}
            </ul>
          </div>

          <div className="card">
            <h2>{t("page.letters")}</h2>
            <table>
              <tbody>
                {award.letters.map((l) => (
                  <tr key={l.bidderOrgId} data-testid="award-letter">
                    <td>{l.name}</td>
                    <td>{t(`letters.${l.kind}`)}</td>
                    <td>
                      {l.firstDownloadedAt
                        ? t("page.downloadedAt", { at: formatDateTime(l.firstDownloadedAt, lng) })
                        : t("page.notDownloaded")}
                    </td>
                    <td>
                      <a href={`/bids/${tender.id}/letter.pdf?bidder=${l.bidderOrgId}`} download>
                        {t("page.download")}
                      </a>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>

          <div className="card" data-testid="award-contract">
            <h2>{t("page.contract")}</h2>
            {award.contractSignedAt ? (
              <p data-testid="contract-recorded">
                {t("page.contractLine", {
                  date: formatDateTime(award.contractSignedAt, lng).slice(0, 10),
                  amount: money(award.contractAmountCents),
                })}
              </p>
            ) : (
              <Form method="post" className="stack">
                <CsrfInput />
                <input type="hidden" name="intent" value="contract" />
                <label className="field">
                  <span>{t("page.signedOn")}</span>
                  <input type="date" name="signedOn" required />
                </label>
                <label className="field">
                  <span>{t("page.amount")}</span>
                  <input name="amount" inputMode="decimal" placeholder="8650000.00" required />
                </label>
                <button type="submit" disabled={busy}>
                  {t("page.recordContract")}
                </button>
              </Form>
            )}
          </div>

          <div className="card" data-testid="award-report">
            <h2>{t("page.report")}</h2>
            {award.reportSubmittedAt ? (
              <p>{t("page.reportLine", { at: formatDateTime(award.reportSubmittedAt, lng) })}</p>
            ) : (
              <Form method="post">
                <CsrfInput />
                <input type="hidden" name="intent" value="report" />
                <button type="submit" disabled={busy}>
                  {t("page.recordReport")}
                </button>
              </Form>
            )}
          </div>

          {BigInt(tender.bidSecurityCents) > 0n && (
            <div className="card" data-testid="award-refunds">
              <h2>{t("page.refunds", { amount: money(tender.bidSecurityCents) })}</h2>
              <table>
                <tbody>
                  {award.refunds.map((r) => (
                    <tr key={r.bidderOrgId} data-testid="award-refund">
                      <td>{r.name}</td>
                      <td>
                        {r.refundedAt ? (
                          t("page.refundLine", {
                            amount: money(r.amountCents),
                            date: formatDateTime(r.refundedAt, lng).slice(0, 10),
                          })
                        ) : (
                          <Form method="post" className="inline">
                            <CsrfInput />
                            <input type="hidden" name="intent" value="refund" />
                            <input type="hidden" name="bidderOrgId" value={r.bidderOrgId} />
                            <input name="amount" aria-label={t("page.refundAmount")} defaultValue={tender.bidSecurityYuan} />
                            <input type="date" name="refundedOn" aria-label={t("page.refundedOn")} required />
                            <button type="submit" disabled={busy}>
                              {t("page.recordRefund")}
                            </button>
                          </Form>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </section>
  );
}
