import type { DomainError } from "../../../bidding-core/index";
import { citeArticle, refusalMessage, type Refusal } from "../../platform/refusal.ts";
import { lawMessage, type FieldMessage } from "./form.ts";

export { chineseNumber, citeArticle } from "../../platform/refusal.ts";

/**
 * bidding-core error codes → messages in the `tender` namespace (`errors.<CODE>`), with the
 * article passed as a parameter so every refusal cites the law. errors.test.ts checks
 * that every code has a message in both languages.
 */
export function domainErrorMessage(error: DomainError): FieldMessage {
  return lawMessage(error);
}

/** A refusal of the agent's side (`tender.…`) as the tender form shows it (platform/refusal.ts maps the code). */
export function refusalFieldMessage(refusal: Refusal): FieldMessage {
  const { key, params } = refusalMessage(refusal);
  return Object.keys(params).length > 0 ? { key, params } : { key };
}

/** Renders a field message, citing the article in the reader's language. */
export function renderMessage(
  t: (key: string, params?: Record<string, unknown>) => string,
  locale: string,
  message: FieldMessage,
): string {
  const params: Record<string, unknown> = { ...(message.params ?? {}) };
  if (typeof params.article === "string") params.article = citeArticle(params.article, locale);
  return t(message.key, params);
}
