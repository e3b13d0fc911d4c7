// What routes and other features may use of features/results (lint: eslint/depcruise boundaries). Import nothing deeper.
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
