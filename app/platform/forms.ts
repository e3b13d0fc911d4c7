import type { z } from "zod";

export type FieldErrors = Record<string, string>;

export type FormResult<T> =
  { ok: true; data: T; values: Record<string, string> } | { ok: false; fieldErrors: FieldErrors; values: Record<string, string> };

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
  return { ok: false, fieldErrors: fieldErrorsOf(result.error, "validation."), values };
}

/**
 * The one zod issues → field errors helper: the first issue per field (its top-level key, or
 * `_form` for the whole form), its message when it is one of the page's i18n keys (it starts
 * with `prefix`: `validation.` in common, `invalid.` in tender), else `<prefix>invalid`.
 */
export function fieldErrorsOf(error: z.ZodError, prefix: string): FieldErrors {
  const fieldErrors: FieldErrors = {};
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? "_form");
    fieldErrors[field] ??= issue.message.startsWith(prefix) ? issue.message : `${prefix}invalid`;
  }
  return fieldErrors;
}
