// What routes and other features may use of features/pki (lint: eslint/depcruise boundaries). Import nothing deeper.
export { currentCertificate, enrolCertificates, EnrolmentSchema, platformCrls } from "./certificates.server.ts";
export { buildKeyFiles, generateEnrolmentRequest, type PendingEnrolment } from "./enrol.browser.ts";
export { platformPki, trustStore } from "./platform-pki.server.ts";
