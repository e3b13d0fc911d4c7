// What routes and other features may use of features/witness (lint: eslint/depcruise boundaries). Import nothing deeper.
export { WitnessPanel } from "./witness-panel.tsx";
export { assignSupervisor, endWitnessing, mediaPublicUrl, openWitnessRoom, recordingSummary, removeSupervisor, requireRoomDeviceAgent, requireSupervisor, roomIdOf, startWitnessing, supervisedTenders, witnessReason, witnessState, witnessToken } from "./witness.server.ts";
// The media server's browser client (mediasoup-client): live tiles for supervisors, the room device's publisher.
export { publishDevice, type PublishState } from "../../../media-server/client/publish-device.ts";
export { SourceTile, useWitnessSources } from "../../../media-server/client/witness-view.tsx";
