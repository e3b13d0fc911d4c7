/**
 * What an audit entry is about (`subjectType`), one name each: entries are searched and
 * exported by these, so `"Tender"` and `"tender"` must never both appear (issue 12). The two
 * kebab-case names are the media server's (media-server/recording/manifest.ts and its worker
 * pool write them through /internal/audit). Lint refuses a string literal as `subjectType` in app/.
 */
export const AUDIT_SUBJECT = {
  Tender: "Tender",
  Bid: "Bid",
  Organization: "Organization",
  User: "User",
  AuditEntry: "AuditEntry",
  AuditCheckpoint: "AuditCheckpoint",
  Expert: "Expert",
  ExpertSpecialty: "ExpertSpecialty",
  // Remedies and node control (issue 17): also the subjects of deadline_clock rows.
  CalendarYear: "CalendarYear",
  Objection: "Objection",
  Complaint: "Complaint",
  DeadlineClock: "DeadlineClock",
  // The award (issue 17 item 3): its letters, contract, report and refunds; the subject of the sign-contract, award-report and security-refund clocks.
  Award: "Award",
  // Results (issue 17; decision 113): the candidate publicity of a tender (subject id: the tender's).
  CandidatePublicity: "CandidatePublicity",
  BidVersion: "BidVersion",
  OpeningSession: "OpeningSession",
  OpeningBid: "OpeningBid",
  // The platform's own outages (decision 091).
  PlatformOutage: "PlatformOutage",
  // Its heartbeat row (subject id "1"): a beat or a row from a wrong clock.
  PlatformHeartbeat: "PlatformHeartbeat",
  WitnessRoom: "witness-room",
  MediaWorker: "media-worker",
} as const;

export type AuditSubject = (typeof AUDIT_SUBJECT)[keyof typeof AUDIT_SUBJECT];
