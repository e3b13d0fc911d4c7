// What routes and other features may use of features/tenders (lint: eslint/depcruise boundaries). Import nothing deeper.
export { attachTenderDocument, createTender, getAgentTender, holderList, issueClarification, listAgentTenders, publishTender, tendererChoices, updateDraft } from "./agent.server.ts";
export { closeBiddingJob, closeBiddingSweepJob } from "./close-bidding.jobs.server.ts";
export { isMultipart, MAX_DOCUMENT_BYTES, type ParsedUpload, parseUpload } from "./document-upload.server.ts";
export { authoriseDownload, contentDisposition } from "./documents.server.ts";
export { OPEN_STATUSES, PROCEDURE_TYPES, PUBLIC_STATUSES, SUPERVISED_STATUSES, WITNESS_ROOM_STATUSES } from "./enums.ts";
export { refusalFieldMessage, renderMessage } from "./errors.ts";
export { FieldError, TenderForm } from "./form-view.tsx";
export { ScoringTableSummary } from "./scoring-table-view.tsx";
export { ClarificationFormSchema, EvaluationConfigSchema, type EvaluationConfig, type FieldMessage, parseTenderForm, tenderFieldErrors, type TenderFieldErrors, tenderFormValues, type TenderFormValues } from "./form.ts";
export { getPublicNotice, listPublicNotices, NoticeQuerySchema } from "./public-notices.server.ts";
