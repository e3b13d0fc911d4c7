// What routes and other features may use of features/evaluation (lint: eslint/depcruise boundaries). Import nothing deeper.
export {
  consolidateQualification,
  reportData,
  summariseComprehensive,
  summariseLowestPrice,
  type ComprehensiveSummary,
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
