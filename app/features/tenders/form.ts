import { z } from "zod";
import { fieldErrorsOf } from "../../platform/forms.ts";
import {
  bidValidUntil,
  checkBenchmark,
  checkBidSecurity,
  checkSchedule,
  defaultProcedureRules,
  formatYuan,
  parseYuan,
  domainError,
  evaluationRules,
  validateAdjustmentRules,
  validateScoringTable,
  validateWeights,
  type AdjustmentRule,
  type DomainError,
  type ProcedureRules,
  type ProcurementType,
  type ScoringCriterion,
  type TenderRoomRules,
} from "../../../bidding-core/index";
import { parseBeijingLocal, toBeijingLocal } from "./beijing-time.ts";
import { PROCEDURE_TYPES, type ProcedureTypeName } from "./enums.ts";
import {
  ADJUSTMENT_FIELDS,
  AdjustmentRuleSchema,
  CRITERION_FIELDS,
  ScoringCriterionSchema,
  adjustmentRuleValues,
  parseAdjustmentRules,
  parseScoringTable,
  scoringTableValues,
} from "./scoring-table.ts";

/**
 * The tender form: one schema for the page, the action and the tests. Messages are keys in the
 * `tender` i18n namespace; a rule refused by bidding-core carries its error code and params so
 * the page can cite the article.
 */

export const EVALUATION_METHODS = ["COMPREHENSIVE", "LOWEST_EVALUATED_PRICE"] as const;
export const READ_OUT_KINDS = ["money", "days", "text"] as const;
export const BENCHMARKS = ["lowest", "average"] as const;
export type ReadOutKind = (typeof READ_OUT_KINDS)[number];

export interface ReadOutItem {
  key: string;
  label: string;
  kind: ReadOutKind;
}
export interface QualificationRequirement {
  id: string;
  text: string;
}
export type EvaluationConfig = (
  | {
      method: "COMPREHENSIVE";
      weights: { technical: number; commercial: number; price: number };
      priceScoring: {
        benchmark: { kind: "lowest" } | { kind: "average"; coefficientPermille: number };
        formula: { kind: "ratio" };
      };
      /** 评分标准: per criterion its part, maximum points and guidance (bidding-core checks it). */
      criteria: ScoringCriterion[];
      /** A free-text criteria list from before the scoring table that could not be converted. */
      legacyCriteria?: string[];
      /** The table was converted from such a list (points split evenly within each part). */
      migrated?: boolean;
    }
  | { method: "LOWEST_EVALUATED_PRICE"; adjustments: AdjustmentRule[]; legacyCriteria?: string[] }
) & {
  /** The room's rules the tender states (decision 106); absent ones are bidding-core's defaults. */
  roomRules?: TenderRoomRules;
};

/** 唱标: the bid price is always read out; agents add the other items the documents list. */
export const PRICE_ITEM: ReadOutItem = { key: "price", label: "投标报价", kind: "money" };

export interface TenderLotInput {
  code: string;
  name: string;
  estimatedPriceCents: bigint;
  bidSecurityCents: bigint;
}

export interface TenderInput {
  title: string;
  code: string;
  procedureType: ProcedureTypeName;
  mandatory: boolean;
  tendererOrgId: string;
  region: string;
  description: string;
  estimatedPriceCents: bigint;
  bidSecurityCents: bigint;
  bidValidityDays: number;
  /** 开标: minutes of the decryption window (the tender documents state it). */
  decryptionWindowMinutes: number;
  /** The E-Measures Art 31 remedy by the escrow key, stated in the notice. */
  escrowRemedy: boolean;
  docsIssueAt: Date;
  docsAvailableUntil: Date;
  bidDeadline: Date;
  qualificationRequirements: QualificationRequirement[];
  readOutItems: ReadOutItem[];
  lots: TenderLotInput[];
  evaluationMethod: (typeof EVALUATION_METHODS)[number];
  evaluationConfig: EvaluationConfig;
}

/** A field's message: an i18n key in `tender`, with params (and the article for law errors). */
export interface FieldMessage {
  key: string;
  params?: Record<string, string | number | boolean>;
}
export type TenderFieldErrors = Record<string, FieldMessage>;

export type TenderFormResult =
  { ok: true; data: TenderInput; values: TenderFormValues } | { ok: false; errors: TenderFieldErrors; values: TenderFormValues };

/** What the page re-displays after a refused submission (strings and string lists only). */
export type TenderFormValues = Record<string, string | string[]>;

const REPEATED = [
  "readOutLabel",
  "readOutKind",
  "lotCode",
  "lotName",
  "lotPrice",
  "lotSecurity",
  ...CRITERION_FIELDS,
  ...ADJUSTMENT_FIELDS,
] as const;

const text = (max: number) => z.string().trim().max(max, "invalid.tooLong");
const required = (max: number) => text(max).min(1, "invalid.required");
const lines = (value: string) =>
  value
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0);

export const TenderFormSchema = z.object({
  title: required(200),
  code: required(50).regex(/^[A-Za-z0-9][A-Za-z0-9-]*$/, "invalid.projectCode"),
  procedureType: z.enum(PROCEDURE_TYPES, { errorMap: () => ({ message: "invalid.required" }) }),
  mandatory: z
    .string()
    .optional()
    .transform((v) => v === "on" || v === "true"),
  tendererOrgId: z.string().uuid("invalid.required"),
  region: text(100).default(""),
  description: text(10_000).default(""),
  estimatedPrice: required(20),
  bidSecurity: text(20).default("0"),
  bidValidityDays: z.coerce
    .number({ invalid_type_error: "invalid.integer" })
    .int("invalid.integer")
    .min(1, "invalid.integer")
    .max(365, "invalid.integer"),
  decryptionWindowMinutes: z.coerce
    .number({ invalid_type_error: "invalid.integer" })
    .int("invalid.integer")
    .min(5, "invalid.integer")
    .max(240, "invalid.integer")
    .default(30),
  escrowRemedy: z
    .string()
    .optional()
    .transform((v) => v === "on" || v === "true"),
  docsIssueAt: required(25),
  docsAvailableUntil: required(25),
  bidDeadline: required(25),
  qualifications: text(20_000).default(""),
  readOutLabel: z.array(text(50)).default([]),
  readOutKind: z.array(z.enum(READ_OUT_KINDS)).default([]),
  lotCode: z.array(text(30)).default([]),
  lotName: z.array(text(200)).default([]),
  lotPrice: z.array(text(20)).default([]),
  lotSecurity: z.array(text(20)).default([]),
  evaluationMethod: z.enum(EVALUATION_METHODS, { errorMap: () => ({ message: "invalid.required" }) }),
  weightTechnical: z.string().default(""),
  weightCommercial: z.string().default(""),
  weightPrice: z.string().default(""),
  benchmark: z.enum(BENCHMARKS).default("lowest"),
  coefficient: z.string().default(""),
  criterionPart: z.array(z.string().trim().max(20, "invalid.tooLong")).max(100, "invalid.tooMany").default([]),
  criterionName: z.array(text(200)).max(100, "invalid.tooMany").default([]),
  criterionPoints: z.array(text(20)).max(100, "invalid.tooMany").default([]),
  criterionGuidance: z.array(text(2_000)).max(100, "invalid.tooMany").default([]),
  adjustmentFactor: z.array(text(200)).max(50, "invalid.tooMany").default([]),
  adjustmentRule: z.array(text(2_000)).max(50, "invalid.tooMany").default([]),
  adjustmentMin: z.array(text(20)).max(50, "invalid.tooMany").default([]),
  adjustmentMax: z.array(text(20)).max(50, "invalid.tooMany").default([]),
  roomAggregation: z.enum(["", "mean", "trimmed-mean"]).default(""),
  roomOutlierPercent: z.string().trim().max(10).default(""),
  roomEvaluationHours: z.string().trim().max(10).default(""),
  roomMaxCandidates: z.string().trim().max(10).default(""),
});

/** Collects a FormData into plain values; the repeated row fields become lists. */
export function formValues(form: FormData): TenderFormValues {
  const values: TenderFormValues = {};
  for (const [key, value] of form.entries()) {
    if (typeof value !== "string" || key === "csrf" || key === "intent") continue;
    if ((REPEATED as readonly string[]).includes(key)) {
      const list = values[key];
      values[key] = Array.isArray(list) ? [...list, value] : [value];
    } else {
      values[key] = value;
    }
  }
  return values;
}

export function procedureRules(procedureType: ProcedureTypeName, mandatory: boolean): ProcedureRules {
  return defaultProcedureRules(procedureType.toLowerCase() as ProcurementType, mandatory);
}

export function lawMessage(error: DomainError): FieldMessage {
  return { key: `errors.${error.code}`, params: { ...error.params, article: error.article } };
}

/** zod issues as the tender pages' field messages (`invalid.…` keys; platform/forms.ts). */
export function tenderFieldErrors(error: z.ZodError): TenderFieldErrors {
  return Object.fromEntries(Object.entries(fieldErrorsOf(error, "invalid.")).map(([field, key]) => [field, { key }]));
}

/** Parses and checks a submitted tender form: shape (zod), money, Beijing dates, and the law. */
export function parseTenderForm(form: FormData): TenderFormResult {
  const values = formValues(form);
  const parsed = TenderFormSchema.safeParse(values);
  const errors: TenderFieldErrors = {};
  if (!parsed.success) return { ok: false, errors: tenderFieldErrors(parsed.error), values };
  const v = parsed.data;
  const money = (field: string, raw: string): bigint => {
    const result = parseYuan(raw === "" ? "0" : raw);
    if (result.ok) return result.value;
    errors[field] ??= { key: "invalid.amount" };
    return 0n;
  };
  const when = (field: string, raw: string): Date => {
    const d = parseBeijingLocal(raw);
    if (!d) errors[field] ??= { key: "invalid.dateTime" };
    return d ?? new Date(0);
  };
  const estimatedPriceCents = money("estimatedPrice", v.estimatedPrice);
  if (!errors.estimatedPrice && estimatedPriceCents <= 0n) errors.estimatedPrice = { key: "invalid.positiveAmount" };
  const bidSecurityCents = money("bidSecurity", v.bidSecurity);
  const docsIssueAt = when("docsIssueAt", v.docsIssueAt);
  const docsAvailableUntil = when("docsAvailableUntil", v.docsAvailableUntil);
  const bidDeadline = when("bidDeadline", v.bidDeadline);
  const rules = procedureRules(v.procedureType, v.mandatory);

  if (!errors.estimatedPrice && !errors.bidSecurity) {
    // Regs Art 26; the security's validity is the bid validity by construction, so only the cap is in play.
    const validUntil = bidValidUntil(bidDeadline, v.bidValidityDays);
    const security = checkBidSecurity({
      amount: bidSecurityCents,
      estimatedPrice: estimatedPriceCents,
      securityValidUntil: validUntil,
      bidValidUntil: validUntil,
      rules,
    });
    if (!security.ok) errors.bidSecurity = lawMessage(security.error);
  }
  if (!errors.docsIssueAt && !errors.docsAvailableUntil && !errors.bidDeadline) {
    const schedule = checkSchedule({ documentsFrom: docsIssueAt, documentsUntil: docsAvailableUntil, bidDeadline }, rules);
    if (!schedule.ok) {
      const field = schedule.error.code === "TENDER.AVAILABILITY_TOO_SHORT" ? "docsAvailableUntil" : "bidDeadline";
      errors[field] = lawMessage(schedule.error);
    }
  }

  const readOutItems: ReadOutItem[] = [PRICE_ITEM];
  v.readOutLabel.forEach((label, i) => {
    if (!label) return;
    readOutItems.push({ key: `item${readOutItems.length}`, label, kind: v.readOutKind[i] ?? "text" });
  });
  if (new Set(readOutItems.map((r) => r.label)).size !== readOutItems.length) errors.readOutLabel = { key: "invalid.duplicate" };

  const lots: TenderLotInput[] = [];
  v.lotCode.forEach((code, i) => {
    const name = v.lotName[i] ?? "";
    const price = v.lotPrice[i] ?? "";
    if (!code && !name && !price) return;
    if (!code || !name) {
      errors.lots ??= { key: "invalid.lotIncomplete", params: { row: i + 1 } };
      return;
    }
    const lotPrice = parseYuan(price);
    const lotSecurity = parseYuan(v.lotSecurity[i] || "0");
    if (!lotPrice.ok || !lotSecurity.ok || lotPrice.value <= 0n) {
      errors.lots ??= { key: "invalid.lotAmount", params: { row: i + 1 } };
      return;
    }
    const check = checkBidSecurity({
      amount: lotSecurity.value,
      estimatedPrice: lotPrice.value,
      securityValidUntil: bidDeadline,
      bidValidUntil: bidDeadline,
      rules,
    });
    if (!check.ok) errors.lots ??= lawMessage(check.error);
    lots.push({ code, name, estimatedPriceCents: lotPrice.value, bidSecurityCents: lotSecurity.value });
  });
  if (new Set(lots.map((l) => l.code)).size !== lots.length) errors.lots ??= { key: "invalid.duplicate" };

  let evaluationConfig: EvaluationConfig = { method: "LOWEST_EVALUATED_PRICE", adjustments: [] };
  if (v.evaluationMethod === "LOWEST_EVALUATED_PRICE") {
    const adjustments = parseAdjustmentRules(v);
    if (!adjustments.ok) errors.adjustments = lawMessage(adjustments.error);
    evaluationConfig = { method: "LOWEST_EVALUATED_PRICE", adjustments: adjustments.ok ? adjustments.value : [] };
  }
  if (v.evaluationMethod === "COMPREHENSIVE") {
    const weights = {
      technical: Number(v.weightTechnical || "NaN"),
      commercial: Number(v.weightCommercial || "NaN"),
      price: Number(v.weightPrice || "NaN"),
    };
    const checked = validateWeights(weights);
    if (!checked.ok) errors.weights = lawMessage(checked.error);
    // The table is checked against valid weights only: against wrong ones every part would be off.
    const table = checked.ok ? parseScoringTable(v, weights) : null;
    if (table && !table.ok) errors.criteria = lawMessage(table.error);
    const criteria = table?.ok ? table.value : [];
    let benchmark: Extract<EvaluationConfig, { method: "COMPREHENSIVE" }>["priceScoring"]["benchmark"] = { kind: "lowest" };
    if (v.benchmark === "average") {
      // Typed as a decimal (0.95); the rule (whole ‰, at most 1.2) is bidding-core's checkBenchmark.
      const coefficient = Number(v.coefficient);
      const permille = Math.round(coefficient * 1000);
      const exact = Number.isFinite(coefficient) && Math.abs(permille - coefficient * 1000) <= 1e-6;
      benchmark = { kind: "average", coefficientPermille: exact ? permille : Number.NaN };
      if (!checkBenchmark(benchmark).ok) errors.coefficient = { key: "invalid.coefficient" };
    }
    evaluationConfig = { method: "COMPREHENSIVE", weights, priceScoring: { benchmark, formula: { kind: "ratio" } }, criteria };
  }
  // The room's rules (decision 106): blank is bidding-core's default; bidding-core checks the rest.
  const roomRules: { -readonly [K in keyof TenderRoomRules]: TenderRoomRules[K] } = {};
  if (v.roomAggregation === "mean") roomRules.aggregation = { kind: "mean" };
  if (v.roomAggregation === "trimmed-mean") roomRules.aggregation = { kind: "trimmed-mean", trimFrom: 5 };
  if (v.roomOutlierPercent) roomRules.outlierThresholdPercent = Number(v.roomOutlierPercent);
  if (v.roomEvaluationHours) roomRules.evaluationHours = Number(v.roomEvaluationHours);
  if (v.roomMaxCandidates) roomRules.maxCandidates = Number(v.roomMaxCandidates);
  if (Object.keys(roomRules).length > 0) {
    const checkedRules = evaluationRules(roomRules);
    if (!checkedRules.ok)
      errors.roomRules = {
        key: `invalid.roomRules.${String(checkedRules.error.params.problem)}`,
        params: { article: checkedRules.error.article },
      };
    evaluationConfig = { ...evaluationConfig, roomRules };
  }

  if (Object.keys(errors).length > 0) return { ok: false, errors, values };
  return {
    ok: true,
    values,
    data: {
      title: v.title,
      code: v.code,
      procedureType: v.procedureType,
      mandatory: v.mandatory,
      tendererOrgId: v.tendererOrgId,
      region: v.region,
      description: v.description,
      estimatedPriceCents,
      bidSecurityCents,
      bidValidityDays: v.bidValidityDays,
      decryptionWindowMinutes: v.decryptionWindowMinutes,
      escrowRemedy: v.escrowRemedy,
      docsIssueAt,
      docsAvailableUntil,
      bidDeadline,
      qualificationRequirements: lines(v.qualifications).map((t, i) => ({ id: `q${i + 1}`, text: t })),
      readOutItems,
      lots,
      evaluationMethod: v.evaluationMethod,
      evaluationConfig,
    },
  };
}

/** Zod schemas for the JSON columns, used when reading them back (a boundary too). */
export const ReadOutItemsSchema = z.array(z.object({ key: z.string(), label: z.string(), kind: z.enum(READ_OUT_KINDS) }));
export const QualificationsSchema = z.array(z.object({ id: z.string(), text: z.string() }));
/** A stored config from before the scoring table held `criteria` as strings: kept as `legacyCriteria`. */
const legacyCriteria = (raw: unknown): unknown => {
  if (typeof raw !== "object" || raw === null || !("criteria" in raw) || !Array.isArray(raw.criteria)) return raw;
  if (!raw.criteria.every((c) => typeof c === "string")) return raw;
  const { criteria, ...rest } = raw as { criteria: string[] } & Record<string, unknown>;
  return { ...rest, criteria: [], legacyCriteria: [...((rest.legacyCriteria as string[] | undefined) ?? []), ...criteria] };
};

/** The room's rules a tender may state (decision 106); bidding-core's `evaluationRules` checks the values. */
const RoomRulesSchema = z.object({
  aggregation: z
    .union([z.object({ kind: z.literal("mean") }), z.object({ kind: z.literal("trimmed-mean"), trimFrom: z.number() })])
    .optional(),
  outlierThresholdPercent: z.number().optional(),
  evaluationHours: z.number().optional(),
  maxCandidates: z.number().optional(),
});

export const EvaluationConfigSchema = z.preprocess(
  legacyCriteria,
  z.union([
    z.object({
      method: z.literal("COMPREHENSIVE"),
      weights: z.object({ technical: z.number(), commercial: z.number(), price: z.number() }),
      priceScoring: z.object({
        benchmark: z.union([
          z.object({ kind: z.literal("lowest") }),
          z.object({ kind: z.literal("average"), coefficientPermille: z.number().int() }),
        ]),
        formula: z.object({ kind: z.literal("ratio") }),
      }),
      criteria: z.array(ScoringCriterionSchema),
      legacyCriteria: z.array(z.string()).optional(),
      migrated: z.boolean().optional(),
      roomRules: RoomRulesSchema.optional(),
    }),
    z.object({
      method: z.literal("LOWEST_EVALUATED_PRICE"),
      adjustments: z.array(AdjustmentRuleSchema).default([]),
      legacyCriteria: z.array(z.string()).optional(),
      roomRules: RoomRulesSchema.optional(),
    }),
  ]),
);

/**
 * A stored evaluation config checked again before publication: a tender from before the scoring
 * table (free-text criteria not converted) cannot be published until the agent gives it one.
 */
export function checkEvaluationConfig(raw: unknown): DomainError | null {
  const config = EvaluationConfigSchema.safeParse(raw);
  if (!config.success) return domainError("EVALUATION.INVALID_CONFIG", {});
  // The room's rules the tender states (decision 106), checked like the rest.
  const room = evaluationRules(config.data.roomRules ?? {});
  if (!room.ok) return room.error;
  if (config.data.method === "LOWEST_EVALUATED_PRICE") {
    const rules = validateAdjustmentRules(config.data.adjustments);
    return rules.ok ? null : rules.error;
  }
  const weights = validateWeights(config.data.weights);
  if (!weights.ok) return weights.error;
  const table = validateScoringTable(config.data.criteria, config.data.weights);
  return table.ok ? null : table.error;
}

/** The clarification form (Regs Art 21). */
export const ClarificationFormSchema = z.object({
  title: required(200),
  body: required(20_000),
  affectsPreparation: z
    .string()
    .optional()
    .transform((v) => v === "on" || v === "true"),
});

/** A stored tender as form values, for editing a draft. */
export function tenderFormValues(row: {
  title: string;
  code: string;
  procedureType: string;
  mandatory: boolean;
  tendererOrgId: string;
  region: string;
  description: string;
  estimatedPriceCents: bigint;
  bidSecurityCents: bigint;
  bidValidityDays: number;
  decryptionWindowMinutes: number;
  escrowRemedy: boolean;
  docsIssueAt: Date | null;
  docsAvailableUntil: Date | null;
  bidDeadline: Date | null;
  qualificationRequirements: unknown;
  readOutItems: unknown;
  evaluationMethod: string;
  evaluationConfig: unknown;
  lots: { code: string; name: string; estimatedPriceCents: bigint; bidSecurityCents: bigint }[];
}): TenderFormValues {
  const readOuts = ReadOutItemsSchema.catch([])
    .parse(row.readOutItems)
    .filter((r) => r.key !== PRICE_ITEM.key);
  const config = EvaluationConfigSchema.safeParse(row.evaluationConfig);
  const values: TenderFormValues = {
    title: row.title,
    code: row.code,
    procedureType: row.procedureType,
    tendererOrgId: row.tendererOrgId,
    region: row.region,
    description: row.description,
    estimatedPrice: formatYuan(row.estimatedPriceCents),
    bidSecurity: formatYuan(row.bidSecurityCents),
    bidValidityDays: String(row.bidValidityDays),
    decryptionWindowMinutes: String(row.decryptionWindowMinutes),
    docsIssueAt: toBeijingLocal(row.docsIssueAt),
    docsAvailableUntil: toBeijingLocal(row.docsAvailableUntil),
    bidDeadline: toBeijingLocal(row.bidDeadline),
    qualifications: QualificationsSchema.catch([])
      .parse(row.qualificationRequirements)
      .map((q) => q.text)
      .join("\n"),
    readOutLabel: readOuts.map((r) => r.label),
    readOutKind: readOuts.map((r) => r.kind),
    lotCode: row.lots.map((l) => l.code),
    lotName: row.lots.map((l) => l.name),
    lotPrice: row.lots.map((l) => formatYuan(l.estimatedPriceCents)),
    lotSecurity: row.lots.map((l) => formatYuan(l.bidSecurityCents)),
    evaluationMethod: row.evaluationMethod,
  };
  values.escrowRemedy = row.escrowRemedy ? "on" : "off";
  if (row.mandatory) values.mandatory = "on";
  else values.mandatory = "off";
  if (config.success) {
    const room = config.data.roomRules;
    if (room?.aggregation) values.roomAggregation = room.aggregation.kind;
    if (room?.outlierThresholdPercent !== undefined) values.roomOutlierPercent = String(room.outlierThresholdPercent);
    if (room?.evaluationHours !== undefined) values.roomEvaluationHours = String(room.evaluationHours);
    if (room?.maxCandidates !== undefined) values.roomMaxCandidates = String(room.maxCandidates);
    if (config.data.method === "LOWEST_EVALUATED_PRICE") Object.assign(values, adjustmentRuleValues(config.data.adjustments));
    if (config.data.method === "COMPREHENSIVE") {
      Object.assign(values, scoringTableValues(config.data.criteria));
      // A draft from before the scoring table: its lines become rows for the agent to complete.
      const legacy = config.data.criteria.length === 0 ? (config.data.legacyCriteria ?? []) : [];
      if (legacy.length > 0) {
        Object.assign(values, {
          criterionPart: legacy.map(() => "technical"),
          criterionName: legacy,
          criterionPoints: legacy.map(() => ""),
          criterionGuidance: legacy.map(() => ""),
        });
      }
      values.weightTechnical = String(config.data.weights.technical);
      values.weightCommercial = String(config.data.weights.commercial);
      values.weightPrice = String(config.data.weights.price);
      values.benchmark = config.data.priceScoring.benchmark.kind;
      if (config.data.priceScoring.benchmark.kind === "average") {
        values.coefficient = String(config.data.priceScoring.benchmark.coefficientPermille / 1000);
      }
    }
  }
  return values;
}
