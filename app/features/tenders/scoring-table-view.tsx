// 评分标准 on the tender form (rows the agent adds and removes) and where it is published (the
// notice page, the agent's tender summary, the bidder's bid page): bidders must know how they
// will be scored before they bid.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { EvaluationConfig, FieldMessage, TenderFormValues } from "./form.ts";
import { renderMessage } from "./errors.ts";

type Values = TenderFormValues;
const list = (values: Values, key: string): string[] => {
  const v = values[key];
  return Array.isArray(v) ? v : typeof v === "string" ? [v] : [];
};

function RowError({ error, id }: { error?: FieldMessage; id: string }) {
  const { t, i18n } = useTranslation("tender");
  if (!error) return null;
  return (
    <p id={id} className="error" role="alert">
      {renderMessage(t, i18n.language, error)}
    </p>
  );
}

interface CriterionRow {
  key: number;
  part: string;
  name: string;
  points: string;
  guidance: string;
}

/**
 * The scoring table's rows. A blank row is always offered at the end, so that without
 * JavaScript a criterion is added by filling it in and submitting (the server re-displays the
 * form with a new blank row); a row emptied entirely is dropped.
 */
export function ScoringTableFields({ values, error }: { values: Values; error?: FieldMessage }) {
  const { t } = useTranslation("evaluation");
  const [rows, setRows] = useState<CriterionRow[]>(() => {
    const names = list(values, "criterionName");
    const given = names.map((name, i) => ({
      key: i,
      part: list(values, "criterionPart")[i] ?? "technical",
      name,
      points: list(values, "criterionPoints")[i] ?? "",
      guidance: list(values, "criterionGuidance")[i] ?? "",
    }));
    const kept = given.filter((r) => r.name || r.points || r.guidance);
    return [...kept, { key: names.length, part: "technical", name: "", points: "", guidance: "" }];
  });
  const nextKey = () => Math.max(0, ...rows.map((r) => r.key)) + 1;
  return (
    <div className="stack" data-testid="scoring-table-fields">
      <p className="muted">{t("table.formHint")}</p>
      <table className="notices">
        <thead>
          <tr>
            <th>{t("table.part")}</th>
            <th>{t("table.name")}</th>
            <th className="num">{t("table.maxPoints")}</th>
            <th>{t("table.guidance")}</th>
            <th aria-label={t("table.actions")} />
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={r.key} data-testid="criterion-row">
              <td>
                <select name="criterionPart" aria-label={t("table.partOf", { n: i + 1 })} defaultValue={r.part}>
                  <option value="technical">{t("part.technical")}</option>
                  <option value="commercial">{t("part.commercial")}</option>
                </select>
              </td>
              <td>
                <input name="criterionName" aria-label={t("table.nameOf", { n: i + 1 })} defaultValue={r.name} />
              </td>
              <td className="num">
                <input
                  name="criterionPoints"
                  aria-label={t("table.maxPointsOf", { n: i + 1 })}
                  defaultValue={r.points}
                  inputMode="decimal"
                  size={6}
                />
              </td>
              <td>
                <textarea
                  name="criterionGuidance"
                  aria-label={t("table.guidanceOf", { n: i + 1 })}
                  defaultValue={r.guidance}
                  rows={2}
                />
              </td>
              <td>
                <button type="button" onClick={() => setRows(rows.filter((x) => x.key !== r.key))}>
                  {t("table.remove")}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <RowError error={error} id="criteria-error" />
      <p>
        <button
          type="button"
          onClick={() => setRows([...rows, { key: nextKey(), part: "technical", name: "", points: "", guidance: "" }])}
        >
          {t("table.add")}
        </button>
      </p>
    </div>
  );
}

interface AdjustmentRow {
  key: number;
  factor: string;
  rule: string;
  min: string;
  max: string;
}

/** The adjustment rules (价格折算因素) of the lowest evaluated price method, rows like the table's. */
export function AdjustmentRuleFields({ values, error }: { values: Values; error?: FieldMessage }) {
  const { t } = useTranslation("evaluation");
  const [rows, setRows] = useState<AdjustmentRow[]>(() => {
    const factors = list(values, "adjustmentFactor");
    const given = factors
      .map((factor, i) => ({
        key: i,
        factor,
        rule: list(values, "adjustmentRule")[i] ?? "",
        min: list(values, "adjustmentMin")[i] ?? "",
        max: list(values, "adjustmentMax")[i] ?? "",
      }))
      .filter((r) => r.factor || r.rule || r.min || r.max);
    return [...given, { key: factors.length, factor: "", rule: "", min: "", max: "" }];
  });
  const nextKey = () => Math.max(0, ...rows.map((r) => r.key)) + 1;
  return (
    <div className="stack" data-testid="adjustment-fields">
      <p className="muted">{t("adjustments.formHint")}</p>
      {rows.map((r, i) => (
        <div key={r.key} className="actions" data-testid="adjustment-row">
          <input
            name="adjustmentFactor"
            aria-label={t("adjustments.factorOf", { n: i + 1 })}
            placeholder={t("adjustments.factor")}
            defaultValue={r.factor}
          />
          <textarea
            name="adjustmentRule"
            aria-label={t("adjustments.ruleOf", { n: i + 1 })}
            placeholder={t("adjustments.rule")}
            defaultValue={r.rule}
            rows={2}
          />
          <input
            name="adjustmentMin"
            inputMode="decimal"
            aria-label={t("adjustments.minOf", { n: i + 1 })}
            placeholder={t("adjustments.min")}
            defaultValue={r.min}
            size={6}
          />
          <input
            name="adjustmentMax"
            inputMode="decimal"
            aria-label={t("adjustments.maxOf", { n: i + 1 })}
            placeholder={t("adjustments.max")}
            defaultValue={r.max}
            size={6}
          />
          <button type="button" onClick={() => setRows(rows.filter((x) => x.key !== r.key))}>
            {t("table.remove")}
          </button>
        </div>
      ))}
      <RowError error={error} id="adjustments-error" />
      <p>
        <button type="button" onClick={() => setRows([...rows, { key: nextKey(), factor: "", rule: "", min: "", max: "" }])}>
          {t("adjustments.add")}
        </button>
      </p>
    </div>
  );
}

/** The published scoring table (or adjustment rules), with each part's total. */
export function ScoringTableSummary({ config }: { config: EvaluationConfig | null }) {
  const { t } = useTranslation("evaluation");
  if (!config) return null;
  const legacy = config.legacyCriteria ?? [];
  if (config.method === "LOWEST_EVALUATED_PRICE") {
    return (
      <div className="stack" data-testid="scoring-table">
        <h3>{t("adjustments.title")}</h3>
        {config.adjustments.length === 0 ? (
          <p className="muted">{t("adjustments.none")}</p>
        ) : (
          <table className="notices">
            <thead>
              <tr>
                <th>{t("adjustments.factor")}</th>
                <th>{t("adjustments.rule")}</th>
                <th>{t("adjustments.bounds")}</th>
              </tr>
            </thead>
            <tbody>
              {config.adjustments.map((a) => (
                <tr key={a.id}>
                  <td>{a.factor}</td>
                  <td>{a.rule}</td>
                  <td>
                    {a.minPercent === undefined && a.maxPercent === undefined
                      ? t("adjustments.unbounded")
                      : t("adjustments.boundsValue", { min: a.minPercent ?? "—", max: a.maxPercent ?? "—" })}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <Legacy items={legacy} />
      </div>
    );
  }
  const parts = (["technical", "commercial"] as const).map((part) => ({
    part,
    rows: config.criteria.filter((c) => c.part === part),
  }));
  return (
    <div className="stack" data-testid="scoring-table">
      <h3>{t("table.title")}</h3>
      {config.criteria.length > 0 && (
        <table className="notices">
          <thead>
            <tr>
              <th>{t("table.part")}</th>
              <th>{t("table.name")}</th>
              <th className="num">{t("table.maxPoints")}</th>
              <th>{t("table.guidance")}</th>
            </tr>
          </thead>
          {parts.map(({ part, rows }) =>
            rows.length === 0 ? null : (
              <tbody key={part}>
                {rows.map((c) => (
                  <tr key={c.id}>
                    <td>{t(`part.${part}`)}</td>
                    <td>{c.name}</td>
                    <td className="num">{c.maxPoints}</td>
                    <td>{c.guidance}</td>
                  </tr>
                ))}
                <tr>
                  <th colSpan={2}>{t("table.partTotal", { part: t(`part.${part}`) })}</th>
                  <th className="num">{config.weights[part]}</th>
                  <th />
                </tr>
              </tbody>
            ),
          )}
          <tbody>
            <tr>
              <td>{t("part.price")}</td>
              <td colSpan={3}>{t("table.priceRow", { points: config.weights.price })}</td>
            </tr>
          </tbody>
        </table>
      )}
      {config.migrated && <p className="muted">{t("table.migrated")}</p>}
      <Legacy items={legacy} />
    </div>
  );
}

function Legacy({ items }: { items: string[] }) {
  const { t } = useTranslation("evaluation");
  if (items.length === 0) return null;
  return (
    <>
      <p className="warning">{t("table.legacy")}</p>
      <ul>
        {items.map((c, i) => (
          <li key={i}>{c}</li>
        ))}
      </ul>
    </>
  );
}
