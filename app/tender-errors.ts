import type { DomainError } from "../bidding-core/index";
import { lawMessage, type FieldMessage } from "./tender-form.ts";

/**
 * bidding-core error codes → messages in the `tender` namespace (`errors.<CODE>`), with the
 * article passed as a parameter so every refusal cites the law. tender-errors.test.ts checks
 * that every code has a message in both languages.
 */
export function domainErrorMessage(error: DomainError): FieldMessage {
  return lawMessage(error);
}

export type AgentErrorLike =
  | { kind: "law"; error: DomainError }
  | { kind: "app"; key: string; params?: Record<string, string | number> };

export function agentErrorMessage(error: AgentErrorLike): FieldMessage {
  return error.kind === "law" ? domainErrorMessage(error.error) : { key: error.key, ...(error.params ? { params: error.params } : {}) };
}
