// What routes and other features may use of features/complaints (lint: eslint/depcruise boundaries). Import nothing deeper.
export {
  actOnComplaint,
  complaintAttachment,
  ComplaintFormSchema,
  fileComplaint,
  getComplaint,
  listComplaints,
  publicComplaintDecisions,
  SupervisorActionSchema,
  type ComplaintView,
} from "./complaints.server.ts";
export { Due, RefusalNote, RemedyHistory, remedyNotificationText, type PublicRemedies } from "./remedy-ui.tsx";
export { MATTERS } from "./matters.ts";
export { idParam } from "./params.server.ts";
export { readRemedyForm } from "./remedy-form.server.ts";
