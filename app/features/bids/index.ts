// What routes and other features may use of features/bids (lint: eslint/depcruise boundaries). Import nothing deeper.
export { bidPageData } from "./bid-page.server.ts";
export { withdraw } from "./bids.server.ts";
export { clearPending, discardSealed, loadPending, type PendingUpload, savePending, sealBid, sealedFile, SealError, uploadSealed } from "./seal.browser.ts";
export { cleanupUploadsJob } from "./upload/cleanup-uploads.jobs.server.ts";
export { handleBidUpload } from "./upload/tus-upload.server.ts";
