import type { z } from "zod";

export type FieldErrors = Record<string, string>;

export type FormResult<T> =
  | { ok: true; data: T; values: Record<string, string> }
  | { ok: false; fieldErrors: FieldErrors; values: Record<string, string> };

/**
 * Validates a submitted form with the same zod schema the page and tests use. Error messages
 * are i18n keys (e.g. "validation.email") that the page translates; the first issue per field
 * is kept. Password fields are never echoed back.
 */
export function parseForm<S extends z.ZodTypeAny>(schema: S, form: FormData): FormResult<z.output<S>> {
  const values: Record<string, string> = {};
  for (const [key, value] of form.entries()) {
    if (typeof value === "string" && !/password/i.test(key) && key !== "csrf") values[key] = value;
  }
  const raw: Record<string, FormDataEntryValue> = Object.fromEntries(form.entries());
  const result = schema.safeParse(raw);
  if (result.success) return { ok: true, data: result.data as z.output<S>, values };
  const fieldErrors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const field = String(issue.path[0] ?? "_form");
    fieldErrors[field] ??= issue.message.startsWith("validation.") ? issue.message : "validation.invalid";
  }
  return { ok: false, fieldErrors, values };
}
