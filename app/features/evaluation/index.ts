// What routes and other features may use of features/evaluation (lint: eslint/depcruise boundaries). Import nothing deeper.
export {
  consolidateQualification,
  reportData,
  summariseComprehensive,
  summariseLowestEvaluatedPrice,
  summariseLowestPrice,
  type AdjustmentSheet,
  type ComprehensiveSummary,
  type LowestEvaluatedPriceSummary,
  type ConsolidatedQualification,
  type EvaluatedBid,
  type QualificationCriterion,
  type QualificationSheet,
  type ScoreSheet,
} from "./scoring-pipeline.server.ts";
export {
  DEFAULT_ALERT_THRESHOLDS,
  supervisorAlerts,
  type AlertThresholds,
  type RoomEvent,
  type SupervisorAlert,
} from "./alerts.server.ts";
// The room itself (issue 15 items 1-9; decision 104).
export { outsiderRefused, roomAccess, type RoomAccess, type RoomRole } from "./room-access.server.ts";
export {
  askForMoreTime,
  closeQualification,
  declareRecusal,
  explainOutlier,
  findCollusion,
  openBidFile,
  signInMember,
  signPledge,
  submitAdjustment,
  submitQualification,
  submitScore,
  voteChair,
  withdrawSheet,
} from "./room.server.ts";
export { closeSummary, finishIfDue, reportSha256, signReport } from "./report.server.ts";
export { roomView } from "./view.server.ts";
export { roomFeed } from "./feed.server.ts";
export { reportPdf } from "./report-file.server.ts";
export { PLEDGE_TEXT, roomStatement, roomStatementText } from "./statement.ts";
export { roomSignature } from "./room.browser.ts";
export { useRoomLive } from "./live.browser.ts";
export { roomRecipients, startRoomLive, stopRoomLive, roomLiveListening, type RoomSignal } from "./live.server.ts";
export { EvaluationRoom } from "./room-page.tsx";
export {
  answerClarification,
  askClarification,
  bidderClarifications,
  decideClarification,
  roomClarifications,
} from "./clarification.server.ts";
export { evaluationSweepJob } from "./evaluation.jobs.server.ts";
