// What routes and other features may use of features/audit (lint: eslint/depcruise boundaries). Import nothing deeper.
export { AUDIT_LOG_NAME, auditCheckpointJob } from "./checkpoint.jobs.server.ts";
export {
  auditVerifyJob,
  reportAuditBreak,
  verifyAuditLog,
  type AuditBreak,
  type AuditVerification,
} from "./verify.jobs.server.ts";
export { exportAudit } from "./export.server.ts";
