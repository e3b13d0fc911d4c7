// What routes and other features may use of features/experts (lint: eslint/depcruise boundaries). Import nothing deeper.
export {
  agentCommitteeView,
  confidentialCommitteeView,
  expertInvitations,
  fixCommitteeResult,
  loadCommittee,
  publicDraw,
  supervisorRequests,
  type CommitteeMemberForRoom,
  type PublicDraw,
} from "./committee.server.ts";
export { replaceMember, respondToInvitation, runDraw } from "./draw.server.ts";
export { expertDrawJob, expertSweepJob } from "./draw.jobs.server.ts";
export {
  committeeRequestValues,
  CommitteeRequestFormSchema,
  DeclarationSchema,
  ExpertApplicationSchema,
  ExpertEntrySchema,
  PoolDecisionSchema,
  SpecialtySchema,
} from "./forms.ts";
export { DrawVerifier } from "./draw-verifier.tsx";
export { SpecialtyChoice, specialtyLabel, type SpecialtyRow } from "./specialty-choice.tsx";
export { setExpertGateways, type ExpertGateway } from "./notifier.server.ts";
export {
  addDeclaration,
  addSpecialty,
  applyAsExpert,
  decidePool,
  enterExpert,
  isApprovedExpert,
  listPool,
  ownRecord,
  removeDeclaration,
  specialtyTree,
} from "./pool.server.ts";
export { decideCommitteeRequest, representativeChoices, submitCommitteeRequest } from "./request.server.ts";
