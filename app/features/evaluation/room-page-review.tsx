// The evaluation room page's preliminary review (资格审查): a signed pass/fail sheet per bid; the chair closes it.
import { useTranslation } from "react-i18next";
import { Card, type ActFn, type View } from "./room-page-shared.tsx";

export function Qualification({ view, act, busy, isChair }: { view: View; act: ActFn; busy: boolean; isChair: boolean }) {
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
