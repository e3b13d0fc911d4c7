// What routes and other features may use of features/opening (lint: eslint/depcruise boundaries). Import nothing deeper.
export { hallAccess, type HallAccess, type HallRole, type OpeningRefusal, type OpeningResult } from "./access.server.ts";
export {
  confirmReadOut,
  DecryptSchema,
  envelopeHeader,
  ObjectionSchema,
  raiseObjection,
  signIn,
  SignInSchema,
  submitContentKey,
} from "./bidder.server.ts";
export { openedBidsForCommittee, type OpenedBidForCommittee } from "./committee.server.ts";
export { custodianShare, HallError, signInSignature, unwrapBidKey } from "./hall.browser.ts";
export { EscrowShareSchema, remedyState, submitEscrowShare } from "./remedy.server.ts";
export { openingSweepJob } from "./opening.jobs.server.ts";
export { buildHallRecord, type HallRecord, recordBytes } from "./record.server.ts";
export { startOpening, sweepOpenings } from "./session.server.ts";
export {
  AnswerSchema,
  answerObjection,
  closeOpening,
  endDecryptionWindow,
  openDecryptionWindow,
  publishBidderList,
} from "./steps.server.ts";
export { hallView, type HallView, recordPdf, signedRecord } from "./view.server.ts";
export { BidderPanel, BidTable, Countdown, HostPanel, LiveHall, Objections, RecordLinks, RemedyPanel } from "./hall-parts.tsx";
export { checkHeader, CheckResultSchema, recordDecryptionCheck } from "./check.server.ts";
export { DecryptionCheck } from "./decryption-check.tsx";
