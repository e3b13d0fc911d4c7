// What routes and other features may use of features/bids (lint: eslint/depcruise boundaries). Import nothing deeper.
export { bidPageData } from "./bid-page.server.ts";
export { withdraw } from "./bids.server.ts";
export {
  awaitReceipt,
  clearPending,
  discardSealed,
  loadPending,
  type PendingUpload,
  receiptInAnswer,
  type ReceiptWait,
  savePending,
  sealBid,
  sealedFile,
  SealError,
  uploadSealed,
} from "./seal.browser.ts";
export { cleanupUploadsJob } from "./upload/cleanup-uploads.jobs.server.ts";
export { finaliseOnce, handleBidUpload, recoverUploads, uploadReceipt } from "./upload/tus-upload.server.ts";
