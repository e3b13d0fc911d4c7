// What routes and other features may use of features/results (lint: eslint/depcruise boundaries). Import nothing deeper.
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
export { resultNotice, type ResultNotice } from "./result-notice.server.ts";
