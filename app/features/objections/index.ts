// What routes and other features may use of features/objections (lint: eslint/depcruise boundaries). Import nothing deeper.
// Candidate publicity (Regs Art 54) reuses this mechanism: features/results' raiseResultObjection (target "result").
export {
  answerObjection,
  AnswerFormSchema,
  getObjection,
  objectionAttachment,
  objectionTender,
  ObjectionFormSchema,
  objectionsOfOrg,
  openObjectionCount,
  priorObjection,
  documentsObjectionWindow,
  publicObjectionOutcomes,
  raiseDocumentObjection,
  raiseObjection,
  storeAttachment,
  tenderObjections,
  type AnswerOutcome,
  type Attachment,
  type ObjectionResult,
  type ObjectionTarget,
  type ObjectionTenderRow,
  type ObjectionView,
  type ObjectionWindow,
} from "./objections.server.ts";
export { isSuspendedBy, liftSuspension, suspendProcedure, type SuspensionCause } from "./suspension.server.ts";
