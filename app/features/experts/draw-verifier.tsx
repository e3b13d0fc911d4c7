import { useState } from "react";
import { useTranslation } from "react-i18next";
import { checkPublishedDraw, type DrawCheck, type PublishedDraw } from "../../../bidding-core/index.ts";

const FIELDS = ["secretHex", "mixHex", "eligible", "requirements", "members", "reserves"] as const;
type FieldName = (typeof FIELDS)[number];

function initial(draw: PublishedDraw): Record<FieldName, string> {
  return {
    secretHex: draw.secretHex,
    mixHex: draw.mixHex,
    eligible: JSON.stringify(draw.eligible),
    requirements: JSON.stringify(draw.requirements),
    members: JSON.stringify(draw.members),
    reserves: JSON.stringify(draw.reserves),
  };
}

/**
 * Re-runs the published draw in the reader's own browser with bidding-core (the same code the
 * server drew with): edit any input to see that a changed seed or pool does not match.
 */
export function DrawVerifier({ draw }: { draw: PublishedDraw }) {
  const { t } = useTranslation("experts");
  const [values, setValues] = useState(() => initial(draw));
  const [check, setCheck] = useState<DrawCheck | "bad-input" | null>(null);
  const labels: Record<FieldName, string> = {
    secretHex: t("draw.secret"),
    mixHex: t("draw.mix"),
    eligible: t("draw.pool"),
    requirements: t("draw.requirements"),
    members: t("draw.members"),
    reserves: t("draw.reserves"),
  };
  const run = () => {
    try {
      setCheck(
        checkPublishedDraw({
          commitment: draw.commitment,
          poolHash: draw.poolHash,
          secretHex: values.secretHex.trim(),
          mixHex: values.mixHex.trim(),
          eligible: JSON.parse(values.eligible),
          requirements: JSON.parse(values.requirements),
          members: JSON.parse(values.members),
          reserves: JSON.parse(values.reserves),
        }),
      );
    } catch {
      setCheck("bad-input");
    }
  };
  return (
    <div className="stack" data-testid="draw-verifier">
      {FIELDS.map((f) => (
        <label key={f} className="field">
          {labels[f]}
          <textarea
            name={f}
            rows={f === "eligible" ? 6 : 2}
            value={values[f]}
            onChange={(e) => setValues({ ...values, [f]: e.target.value })}
            spellCheck={false}
            style={{ fontFamily: "monospace", width: "100%" }}
          />
        </label>
      ))}
      <button type="button" className="primary" onClick={run}>
        {t("draw.verify")}
      </button>
      {check === "bad-input" && (
        <p role="alert" className="form-error">
          {t("draw.badInput")}
        </p>
      )}
      {check &&
        check !== "bad-input" &&
        (check.matches ? (
          <p role="status" data-testid="draw-check">
            {t("draw.matches")}
          </p>
        ) : (
          <p role="alert" className="form-error" data-testid="draw-check">
            {t("draw.mismatch", {
              what: t(`draw.failure.${check.failure}`, {
                position: check.position,
                expected: check.expected,
                found: check.found,
              }),
            })}
          </p>
        ))}
    </div>
  );
}
