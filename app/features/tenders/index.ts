// What routes and other features may use of features/tenders (lint: eslint/depcruise boundaries). Import nothing deeper.
export {
  attachTenderDocument,
  createTender,
  getAgentTender,
  holderList,
  issueClarification,
  listAgentTenders,
  publishTender,
  tendererChoices,
  updateDraft,
} from "./agent.server.ts";
export { closeBiddingJob, closeBiddingSweepJob } from "./close-bidding.jobs.server.ts";
export { isMultipart, MAX_DOCUMENT_BYTES, type ParsedUpload, parseUpload } from "./document-upload.server.ts";
export { parseBeijingLocal, toBeijingLocal } from "./beijing-time.ts";
export { authoriseDownload, contentDisposition } from "./documents.server.ts";
export {
  OPEN_STATUSES,
  OPENING_HALL_STATUSES,
  PROCEDURE_TYPES,
  PUBLIC_STATUSES,
  storedStatuses,
  SUPERVISED_STATUSES,
  WITNESS_ROOM_STATUSES,
} from "./enums.ts";
export { refusalFieldMessage, renderMessage } from "./errors.ts";
export { FieldError, TenderForm } from "./form-view.tsx";
export { ScoringTableSummary } from "./scoring-table-view.tsx";
export {
  ClarificationFormSchema,
  EvaluationConfigSchema,
  type EvaluationConfig,
  type FieldMessage,
  parseTenderForm,
  procedureRules,
  tenderFieldErrors,
  type TenderFieldErrors,
  tenderFormValues,
  type TenderFormValues,
} from "./form.ts";
export { getPublicNotice, listPublicNotices, NoticeQuerySchema } from "./public-notices.server.ts";
export { applyEvent } from "./lifecycle.server.ts";
export { scheduleCloseBidding } from "./close-bidding.jobs.server.ts";
