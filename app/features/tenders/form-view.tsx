import { Form } from "@remix-run/react";
import { useMemo, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { statutoryMinimums } from "../../../bidding-core/index";
import { CsrfInput } from "../../ui/components/csrf.tsx";
import { formatDateTime } from "../../ui/format.ts";
import type { Locale } from "../../ui/i18n.ts";
import { PROCEDURE_TYPES, type ProcedureTypeName } from "./enums.ts";
import {
  BENCHMARKS,
  EVALUATION_METHODS,
  READ_OUT_KINDS,
  procedureRules,
  type FieldMessage,
  type TenderFieldErrors,
  type TenderFormValues,
} from "./form.ts";
import { parseBeijingLocal } from "./beijing-time.ts";
import { renderMessage } from "./errors.ts";
import { AdjustmentRuleFields, ScoringTableFields } from "./scoring-table-view.tsx";

/** The tender form (new and edit-draft). Values and errors come from the loader/action. */

const str = (values: TenderFormValues, key: string, fallback = ""): string => {
  const v = values[key];
  return typeof v === "string" ? v : fallback;
};
const list = (values: TenderFormValues, key: string): string[] => {
  const v = values[key];
  return Array.isArray(v) ? v : typeof v === "string" ? [v] : [];
};

export function FieldError({ error, id }: { error?: FieldMessage; id: string }) {
  const { t, i18n } = useTranslation("tender");
  if (!error) return null;
  return (
    <small id={id} className="error" role="alert">
      {renderMessage(t, i18n.language, error)}
    </small>
  );
}

function Row({
  name,
  label,
  error,
  hint,
  children,
}: {
  name: string;
  label: string;
  error?: FieldMessage;
  hint?: ReactNode;
  children: ReactNode;
}) {
  return (
    <div className={error ? "field has-error" : "field"}>
      <label htmlFor={name}>{label}</label>
      {children}
      {hint && <small className="hint">{hint}</small>}
      <FieldError error={error} id={`${name}-error`} />
    </div>
  );
}

export function TenderForm({
  values,
  errors,
  tenderers,
  submitLabel,
  intent,
}: {
  values: TenderFormValues;
  errors: TenderFieldErrors;
  tenderers: { id: string; name: string }[];
  submitLabel: string;
  intent?: string;
}) {
  const { t, i18n } = useTranslation("tender");
  const locale = i18n.language as Locale;
  const [procedureType, setProcedureType] = useState(str(values, "procedureType", "WORKS"));
  const [mandatory, setMandatory] = useState(values.mandatory === undefined ? true : str(values, "mandatory") === "on");
  const [docsIssueAt, setDocsIssueAt] = useState(str(values, "docsIssueAt"));
  const [method, setMethod] = useState(str(values, "evaluationMethod", "COMPREHENSIVE"));
  const [benchmark, setBenchmark] = useState(str(values, "benchmark", "lowest"));
  const [readOuts, setReadOuts] = useState(() =>
    list(values, "readOutLabel").map((label, i) => ({ label, kind: list(values, "readOutKind")[i] ?? "text" })),
  );
  const [lots, setLots] = useState(() =>
    list(values, "lotCode").map((code, i) => ({
      code,
      name: list(values, "lotName")[i] ?? "",
      price: list(values, "lotPrice")[i] ?? "",
      security: list(values, "lotSecurity")[i] ?? "",
    })),
  );

  // Statutory minimums from bidding-core, recomputed as the agent types (TBL Art 24, Regs Art 16).
  const minimums = useMemo(() => {
    const from = parseBeijingLocal(docsIssueAt);
    if (!from) return null;
    return statutoryMinimums(from, procedureRules(procedureType as ProcedureTypeName, mandatory));
  }, [docsIssueAt, procedureType, mandatory]);
  const err = (k: string) => errors[k];
  const input = (name: string, props: Record<string, unknown> = {}) => (
    <input
      id={name}
      name={name}
      defaultValue={str(values, name)}
      aria-invalid={errors[name] ? true : undefined}
      aria-describedby={errors[name] ? `${name}-error` : undefined}
      {...props}
    />
  );

  return (
    <Form method="post" className="stack" noValidate>
      <CsrfInput />
      {intent && <input type="hidden" name="intent" value={intent} />}
      {errors._form && (
        <p className="form-error" role="alert">
          {renderMessage(t, i18n.language, errors._form)}
        </p>
      )}
      <fieldset className="stack">
        <legend>{t("form.sectionBasics")}</legend>
        <Row name="title" label={t("form.title")} error={err("title")}>
          {input("title", { required: true })}
        </Row>
        <Row name="code" label={t("form.code")} error={err("code")} hint={t("form.codeHint")}>
          {input("code", { required: true })}
        </Row>
        <Row name="procedureType" label={t("form.procedureType")} error={err("procedureType")}>
          <select
            id="procedureType"
            name="procedureType"
            value={procedureType}
            onChange={(e) => setProcedureType(e.target.value)}
          >
            {PROCEDURE_TYPES.map((p) => (
              <option key={p} value={p}>
                {t(`procedureType.${p}`)}
              </option>
            ))}
          </select>
        </Row>
        <label>
          <input type="checkbox" name="mandatory" checked={mandatory} onChange={(e) => setMandatory(e.target.checked)} />{" "}
          {t("form.mandatory")}
        </label>
        <Row name="tendererOrgId" label={t("form.tenderer")} error={err("tendererOrgId")}>
          <select id="tendererOrgId" name="tendererOrgId" defaultValue={str(values, "tendererOrgId", tenderers[0]?.id ?? "")}>
            {tenderers.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
          </select>
        </Row>
        <Row name="region" label={t("form.region")} error={err("region")}>
          {input("region")}
        </Row>
        <Row name="description" label={t("form.description")} error={err("description")}>
          <textarea id="description" name="description" rows={5} defaultValue={str(values, "description")} />
        </Row>
      </fieldset>

      <fieldset className="stack">
        <legend>{t("form.sectionMoney")}</legend>
        <Row name="estimatedPrice" label={t("form.estimatedPrice")} error={err("estimatedPrice")} hint={t("form.yuanHint")}>
          {input("estimatedPrice", { inputMode: "decimal", required: true })}
        </Row>
        <Row name="bidSecurity" label={t("form.bidSecurity")} error={err("bidSecurity")} hint={t("form.bidSecurityHint")}>
          {input("bidSecurity", { inputMode: "decimal" })}
        </Row>
        <Row name="bidValidityDays" label={t("form.bidValidityDays")} error={err("bidValidityDays")}>
          {input("bidValidityDays", { type: "number", min: 1, max: 365, defaultValue: str(values, "bidValidityDays", "90") })}
        </Row>
        <Row
          name="decryptionWindowMinutes"
          label={t("form.decryptionWindowMinutes")}
          error={err("decryptionWindowMinutes")}
          hint={t("form.decryptionWindowHint")}
        >
          {input("decryptionWindowMinutes", {
            type: "number",
            min: 5,
            max: 240,
            defaultValue: str(values, "decryptionWindowMinutes", "30"),
          })}
        </Row>
        <label>
          <input type="checkbox" name="escrowRemedy" defaultChecked={str(values, "escrowRemedy") === "on"} />{" "}
          {t("form.escrowRemedy")}
        </label>
      </fieldset>

      <fieldset className="stack">
        <legend>{t("form.sectionDates")}</legend>
        <p className="muted">{t("form.beijingTime")}</p>
        <Row name="docsIssueAt" label={t("form.docsIssueAt")} error={err("docsIssueAt")}>
          <input
            id="docsIssueAt"
            name="docsIssueAt"
            type="datetime-local"
            value={docsIssueAt}
            onChange={(e) => setDocsIssueAt(e.target.value)}
          />
        </Row>
        <Row
          name="docsAvailableUntil"
          label={t("form.docsAvailableUntil")}
          error={err("docsAvailableUntil")}
          hint={
            minimums ? (
              <span data-testid="min-docs-until">
                {t("form.minDocsUntil", { date: formatDateTime(minimums.documentsUntilEarliest.toISOString(), locale) })}
              </span>
            ) : (
              t("form.minimumsAfterIssue")
            )
          }
        >
          {input("docsAvailableUntil", { type: "datetime-local" })}
        </Row>
        <Row
          name="bidDeadline"
          label={t("form.bidDeadline")}
          error={err("bidDeadline")}
          hint={
            minimums ? (
              <span data-testid="min-deadline">
                {t("form.minDeadline", { date: formatDateTime(minimums.bidDeadlineEarliest.toISOString(), locale) })}
              </span>
            ) : undefined
          }
        >
          {input("bidDeadline", { type: "datetime-local" })}
        </Row>
      </fieldset>

      <fieldset className="stack">
        <legend>{t("form.sectionReadOut")}</legend>
        <p className="muted">{t("form.readOutHint")}</p>
        <ul>
          <li>{t("form.readOutPrice")}</li>
        </ul>
        {readOuts.map((r, i) => (
          <div key={i} className="actions">
            <input name="readOutLabel" aria-label={t("form.readOutLabel", { n: i + 1 })} defaultValue={r.label} />
            <select name="readOutKind" aria-label={t("form.readOutKind", { n: i + 1 })} defaultValue={r.kind}>
              {READ_OUT_KINDS.map((k) => (
                <option key={k} value={k}>
                  {t(`readOutKind.${k}`)}
                </option>
              ))}
            </select>
            <button type="button" onClick={() => setReadOuts(readOuts.filter((_, j) => j !== i))}>
              {t("form.remove")}
            </button>
          </div>
        ))}
        <FieldError error={err("readOutLabel")} id="readOutLabel-error" />
        <p>
          <button type="button" onClick={() => setReadOuts([...readOuts, { label: "", kind: "text" }])}>
            {t("form.addReadOut")}
          </button>
        </p>
      </fieldset>

      <fieldset className="stack">
        <legend>{t("form.sectionQualification")}</legend>
        <Row name="qualifications" label={t("form.qualifications")} error={err("qualifications")} hint={t("form.onePerLine")}>
          <textarea id="qualifications" name="qualifications" rows={4} defaultValue={str(values, "qualifications")} />
        </Row>
      </fieldset>

      <fieldset className="stack">
        <legend>{t("form.sectionLots")}</legend>
        <p className="muted">{t("form.lotsHint")}</p>
        {lots.map((l, i) => (
          <div key={i} className="actions">
            <input
              name="lotCode"
              aria-label={t("form.lotCode", { n: i + 1 })}
              placeholder={t("form.lotCodePlaceholder")}
              defaultValue={l.code}
              size={8}
            />
            <input
              name="lotName"
              aria-label={t("form.lotName", { n: i + 1 })}
              placeholder={t("form.lotNamePlaceholder")}
              defaultValue={l.name}
            />
            <input
              name="lotPrice"
              aria-label={t("form.lotPrice", { n: i + 1 })}
              placeholder={t("form.lotPricePlaceholder")}
              defaultValue={l.price}
              inputMode="decimal"
            />
            <input
              name="lotSecurity"
              aria-label={t("form.lotSecurity", { n: i + 1 })}
              placeholder={t("form.lotSecurityPlaceholder")}
              defaultValue={l.security}
              inputMode="decimal"
            />
            <button type="button" onClick={() => setLots(lots.filter((_, j) => j !== i))}>
              {t("form.remove")}
            </button>
          </div>
        ))}
        <FieldError error={err("lots")} id="lots-error" />
        <p>
          <button type="button" onClick={() => setLots([...lots, { code: "", name: "", price: "", security: "" }])}>
            {t("form.addLot")}
          </button>
        </p>
      </fieldset>

      <fieldset className="stack">
        <legend>{t("form.sectionEvaluation")}</legend>
        <Row name="evaluationMethod" label={t("form.evaluationMethod")} error={err("evaluationMethod")}>
          <select id="evaluationMethod" name="evaluationMethod" value={method} onChange={(e) => setMethod(e.target.value)}>
            {EVALUATION_METHODS.map((m) => (
              <option key={m} value={m}>
                {t(`evaluationMethod.${m}`)}
              </option>
            ))}
          </select>
        </Row>
        {method === "COMPREHENSIVE" && (
          <>
            <div className="actions">
              <Row name="weightTechnical" label={t("form.weightTechnical")}>
                {input("weightTechnical", {
                  type: "number",
                  min: 0,
                  max: 100,
                  defaultValue: str(values, "weightTechnical", "50"),
                })}
              </Row>
              <Row name="weightCommercial" label={t("form.weightCommercial")}>
                {input("weightCommercial", {
                  type: "number",
                  min: 0,
                  max: 100,
                  defaultValue: str(values, "weightCommercial", "20"),
                })}
              </Row>
              <Row name="weightPrice" label={t("form.weightPrice")}>
                {input("weightPrice", { type: "number", min: 0, max: 100, defaultValue: str(values, "weightPrice", "30") })}
              </Row>
            </div>
            <FieldError error={err("weights")} id="weights-error" />
            <Row name="benchmark" label={t("form.benchmark")}>
              <select id="benchmark" name="benchmark" value={benchmark} onChange={(e) => setBenchmark(e.target.value)}>
                {BENCHMARKS.map((b) => (
                  <option key={b} value={b}>
                    {t(`benchmark.${b}`)}
                  </option>
                ))}
              </select>
            </Row>
            {benchmark === "average" && (
              <Row name="coefficient" label={t("form.coefficient")} error={err("coefficient")} hint={t("form.coefficientHint")}>
                {input("coefficient", { inputMode: "decimal", defaultValue: str(values, "coefficient", "0.95") })}
              </Row>
            )}
          </>
        )}
        {method === "COMPREHENSIVE" ? (
          <ScoringTableFields values={values} error={err("criteria")} />
        ) : (
          <AdjustmentRuleFields values={values} error={err("adjustments")} />
        )}
        <fieldset data-testid="room-rules">
          <legend>{t("form.roomRules")}</legend>
          <p className="muted">{t("form.roomRulesHint")}</p>
          <Row name="roomAggregation" label={t("form.roomAggregation")}>
            <select id="roomAggregation" name="roomAggregation" defaultValue={str(values, "roomAggregation", "")}>
              <option value="">{t("form.roomDefault")}</option>
              <option value="trimmed-mean">{t("form.aggregationTrimmed")}</option>
              <option value="mean">{t("form.aggregationMean")}</option>
            </select>
          </Row>
          <Row name="roomOutlierPercent" label={t("form.roomOutlierPercent")}>
            {input("roomOutlierPercent", {
              inputMode: "decimal",
              placeholder: "20",
              defaultValue: str(values, "roomOutlierPercent", ""),
            })}
          </Row>
          <Row name="roomEvaluationHours" label={t("form.roomEvaluationHours")}>
            {input("roomEvaluationHours", {
              inputMode: "numeric",
              placeholder: "8",
              defaultValue: str(values, "roomEvaluationHours", ""),
            })}
          </Row>
          <Row name="roomMaxCandidates" label={t("form.roomMaxCandidates")}>
            {input("roomMaxCandidates", {
              inputMode: "numeric",
              placeholder: "3",
              defaultValue: str(values, "roomMaxCandidates", ""),
            })}
          </Row>
          <FieldError error={err("roomRules")} id="roomRules-error" />
        </fieldset>
      </fieldset>
      <div className="actions">
        <button type="submit" className="primary">
          {submitLabel}
        </button>
      </div>
    </Form>
  );
}
