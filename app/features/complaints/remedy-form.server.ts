import type { z } from "zod";
import { requireCsrf } from "../../platform/auth/csrf.server.ts";
import { refuse, type Outcome } from "../../platform/refusal.ts";
import { readForm } from "../../platform/request.server.ts";
import { isMultipart, parseUpload, type ParsedUpload } from "../tenders/index.ts";

/**
 * The form handling the objection and complaint routes share (decision 112): a multipart body
 * with at most one PDF (the tender documents' upload path and limits), the CSRF check, then the
 * fields against `schema`. A refusal here has discarded the staged file; on success the caller
 * hands `file` to the feature, which commits it or discards it itself.
 */
export async function readRemedyForm<S extends z.ZodTypeAny>(
  request: Request,
  schema: S,
): Promise<Outcome<{ data: z.infer<S>; file: ParsedUpload["file"] }>> {
  const upload = isMultipart(request) ? await parseUpload(request, "file") : null;
  const form = upload?.form ?? (await readForm(request));
  try {
    await requireCsrf(request, form);
  } catch (error) {
    await upload?.discard();
    throw error;
  }
  if (upload?.problem) {
    await upload.discard();
    return refuse("remedies.refusal.upload", 400);
  }
  const parsed = schema.safeParse(Object.fromEntries(form));
  if (!parsed.success) {
    await upload?.discard();
    return refuse("remedies.refusal.invalid", 400);
  }
  return { ok: true, value: { data: parsed.data as z.infer<S>, file: upload?.file ?? null } };
}
