import { z } from "zod";
import { CREDIT_CODE_FORMAT, isValidCreditCode } from "../accounts/index.ts";

// One zod schema per form: the page, the action and the tests use the same one. Messages are
// i18n keys of the `experts` namespace.

const text = (max: number) =>
  z.string({ required_error: "validation.required" }).trim().min(1, "validation.required").max(max, "validation.tooLong");

const creditCode = z
  .string({ required_error: "validation.required" })
  .trim()
  .toUpperCase()
  .regex(CREDIT_CODE_FORMAT, "validation.creditCodeFormat")
  .refine(isValidCreditCode, "validation.creditCodeChecksum");

/** 居民身份证号: 17 digits and a check character (GB 11643). */
export function isValidIdNumber(value: string): boolean {
  if (!/^\d{17}[\dX]$/.test(value)) return false;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = weights.reduce((acc, w, i) => acc + w * Number(value[i]), 0);
  return "10X98765432"[sum % 11] === value[17];
}

const idNumber = z
  .string({ required_error: "validation.required" })
  .trim()
  .toUpperCase()
  .refine(isValidIdNumber, "validation.idNumber");

const specialties = z.preprocess(
  (v) => (Array.isArray(v) ? v : typeof v === "string" && v ? v.split(",") : []),
  z
    .array(z.string().regex(/^[A-Z]\d{4}$/))
    .min(1, "validation.specialties")
    .max(5, "validation.specialties"),
);

/** The expert's profile: what an applicant fills in and what the admin enters for them. */
export const ExpertProfileSchema = z.object({
  name: text(50),
  idNumber,
  employerName: text(100),
  employerCreditCode: creditCode,
  title: text(50),
  yearsOfPractice: z.coerce
    .number({ invalid_type_error: "validation.years" })
    .int("validation.years")
    .min(8, "validation.years")
    .max(60, "validation.years"),
  region: text(50),
  phone: z
    .string({ required_error: "validation.required" })
    .trim()
    .regex(/^1[3-9]\d{9}$/, "validation.phone"),
  specialties,
});

export const ExpertApplicationSchema = ExpertProfileSchema.extend({
  email: z
    .string({ required_error: "validation.required" })
    .trim()
    .toLowerCase()
    .email("validation.email")
    .max(254, "validation.email"),
  password: z
    .string({ required_error: "validation.required" })
    .min(10, "validation.passwordShort")
    .max(200, "validation.tooLong"),
});

/** What the admin enters for an expert: the profile and the account's email (no password: one is generated). */
export const ExpertEntrySchema = ExpertProfileSchema.extend({
  email: z
    .string({ required_error: "validation.required" })
    .trim()
    .toLowerCase()
    .email("validation.email")
    .max(254, "validation.email"),
});

export type ExpertProfileInput = z.infer<typeof ExpertProfileSchema>;
export type ExpertApplicationInput = z.infer<typeof ExpertApplicationSchema>;

export const DeclarationSchema = z
  .object({
    kind: z.enum(["RELATIVE_EMPLOYER", "FORMER_EMPLOYER"]),
    organizationName: text(100),
    creditCode,
    relation: z.string().trim().max(50, "validation.tooLong").default(""),
    endedOn: z
      .string()
      .trim()
      .optional()
      .transform((v) => (v ? v : undefined))
      .refine((v) => v === undefined || /^\d{4}-\d{2}-\d{2}$/.test(v), "validation.date"),
  })
  .refine((d) => d.kind !== "FORMER_EMPLOYER" || d.endedOn !== undefined, { message: "validation.endedOn", path: ["endedOn"] });

export type DeclarationInput = z.infer<typeof DeclarationSchema>;

/** The trading centre's decisions on a pool record. */
export const PoolDecisionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("approve"), expertId: z.string().uuid() }),
  z.object({ intent: z.literal("reject"), expertId: z.string().uuid(), reason: text(200) }),
  z.object({ intent: z.literal("suspend"), expertId: z.string().uuid(), reason: text(200) }),
  z.object({ intent: z.literal("reinstate"), expertId: z.string().uuid() }),
  z.object({
    intent: z.literal("penalty"),
    expertId: z.string().uuid(),
    reason: text(200),
    endsOn: z
      .string()
      .trim()
      .regex(/^\d{4}-\d{2}-\d{2}$/, "validation.date"),
  }),
]);

export const SpecialtySchema = z.object({
  code: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z](\d{2}){1,2}$/, "validation.specialtyCode"),
  nameZh: text(50),
  nameEn: text(80),
});

/** The agent's 抽取申请. Requirement rows come as parallel fields specialty[i], count[i], reserves[i]. */
export const CommitteeRequestFormSchema = z.object({
  requirements: z
    .array(
      z.object({
        specialty: z.string().regex(/^[A-Z]\d{4}$/),
        count: z.number().int().min(0).max(15),
        reserves: z.number().int().min(0).max(10),
      }),
    )
    .min(1, "validation.requirements")
    .max(6, "validation.requirements"),
  representativeIds: z.array(z.string().uuid()).max(5),
  // Beijing time from <input type="datetime-local">.
  evaluationStart: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, "validation.date"),
  drawLeadHours: z.number().int().min(0, "validation.leadHours").max(72, "validation.leadHours"),
  confirmWindowMinutes: z
    .number()
    .int()
    .min(5, "validation.window")
    .max(24 * 60, "validation.window"),
});

export type CommitteeRequestForm = z.infer<typeof CommitteeRequestFormSchema>;

/** Reads the request form's repeated rows into the schema's shape (empty rows are skipped). */
export function committeeRequestValues(form: FormData): unknown {
  const specialtiesOf = form.getAll("specialty").map(String);
  const counts = form.getAll("count").map(String);
  const reserves = form.getAll("reserves").map(String);
  const requirements = specialtiesOf
    .map((specialty, i) => ({ specialty, count: Number(counts[i] ?? "0"), reserves: Number(reserves[i] ?? "0") }))
    .filter((r) => r.specialty !== "");
  return {
    requirements,
    representativeIds: form.getAll("representativeId").map(String).filter(Boolean),
    evaluationStart: String(form.get("evaluationStart") ?? ""),
    drawLeadHours: Number(form.get("drawLeadHours") ?? "24"),
    confirmWindowMinutes: Number(form.get("confirmWindowMinutes") ?? "15"),
  };
}
