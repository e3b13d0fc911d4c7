// The evaluation room page's report: its hash to sign, a written dissent, the signed PDF.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Card, type ActFn, type View } from "./room-page-shared.tsx";

export function Report({ view, act, busy }: { view: View; act: ActFn; busy: boolean }) {
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
