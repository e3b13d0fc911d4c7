// What routes and other features may use of features/witness (lint: eslint/depcruise boundaries). Import nothing deeper.
export { WitnessPanel } from "./witness-panel.tsx";
export {
  assignSupervisor,
  closeEvaluationWitness,
  mediaPublicUrl,
  openEvaluationWitness,
  openWitnessRoom,
  recordingSummary,
  removeSupervisor,
  requireRoomDevice,
  requireSupervisor,
  ROOM_DEVICE_ROLES,
  roomDeviceTenders,
  roomIdOf,
  supervisedTenders,
  witnessReason,
  witnessState,
  witnessToken,
} from "./witness.server.ts";
// The media server's browser client (mediasoup-client): live tiles for supervisors, the room device's publisher.
export { publishDevice, type PublishState } from "../../../media-server/client/publish-device.ts";
export { SourceTile, useWitnessSources } from "../../../media-server/client/witness-view.tsx";
// The evidence timeline (证据时间轴) of a recording's playback.
export { EvidenceTimeline } from "./evidence-timeline.tsx";
export { evidenceTimeline } from "./timeline.server.ts";
