// What routes and other features may use of features/results (lint: eslint/depcruise boundaries). Import nothing deeper.

// Public results
export { publicHistory, type HistoryNotice } from "./public-history.server.ts";
export { buildHistory, type HistoryEntry } from "./public-history.ts";
export { PublicHistory } from "./public-history-view.tsx";
export {
  listPublicResults,
  RESULTS_PAGE_SIZE,
  resultsListSql,
  ResultsQuerySchema,
  type ResultNotice,
} from "./public-results.server.ts";
export { RESULT_KINDS, type ResultKind } from "./public-results.ts";
// Award
export {
  agentAwardView,
  AwardFormSchema,
  confirmAward,
  declineCandidate,
  DeclineFormSchema,
  publishedCandidates,
  retenderAfterDeclines,
  type AgentAwardView,
  type Awarded,
  type PublishedCandidate,
} from "./award.server.ts";
export { letterDownload, lettersOfBidder, submittedBidders, type LetterFile } from "./letters.server.ts";
export { renderLetterPdf, signedLetterPdf, type LetterContent, type LetterKind } from "./letter-pdf.server.ts";
export {
  ContractFormSchema,
  parseAmount,
  recordContract,
  recordRefund,
  recordReport,
  RefundFormSchema,
} from "./after-award.server.ts";
export { resultNotice, type ResultNotice as AwardResultNotice } from "./result-notice.server.ts";
// Candidate publicity
export {
  candidateNoticePublished,
  openPublishClocks,
  publicCandidateNotice,
  publicityDraft,
  publishCandidates,
  PublishFormSchema,
  raiseResultObjection,
  resultObjectionTarget,
  resultObjectionWindow,
  type PublicCandidateNotice,
  type PublicityDraft,
  type PublishedPublicity,
  type PublishForm,
} from "./publicity.server.ts";
export { MAX_CANDIDATES, publicityContent, type PublicityContent } from "./publicity-content.ts";
export { CandidateTables } from "./publicity-view.tsx";
export { resultsSweepJob } from "./results.jobs.server.ts";
