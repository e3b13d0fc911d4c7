// What routes and other features may use of features/outages (lint: eslint/depcruise boundaries). Import nothing deeper.
export {
  beat,
  IncidentFormSchema,
  outagesOverlapping,
  recentOutages,
  recordIncident,
  startHeartbeat,
  stopHeartbeat,
  type OutageView,
} from "./outages.server.ts";
