// What routes and other features may use of features/complaints (lint: eslint/depcruise boundaries). Import nothing deeper.
export { actOnComplaint, complaintAttachment, ComplaintFormSchema, fileComplaint, getComplaint, listComplaints, MATTERS, publicComplaintDecisions, SupervisorActionSchema, type ComplaintRefusal, type ComplaintView } from "./complaints.server.ts";
