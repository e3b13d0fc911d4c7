// What routes and other features may use of features/ocds (lint: eslint/depcruise boundaries). Import nothing deeper.
export { FeedQuerySchema, releaseFeed } from "./feed.server.ts";
