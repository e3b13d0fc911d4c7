// What routes and other features may use of features/escrow (lint: eslint/depcruise boundaries). Import nothing deeper.
export { ensureTenderEscrow, escrowReady, prepareTenderEscrow } from "./escrow.server.ts";
