// What routes and other features may use of features/results (lint: eslint/depcruise boundaries). Import nothing deeper.

// Public results
export { publicHistory, type HistoryNotice } from "./public-history.server.ts";
export { buildHistory, type HistoryEntry } from "./public-history.ts";
export { PublicHistory } from "./public-history-view.tsx";
export {
  listPublicResults,
  RESULTS_PAGE_SIZE,
  resultsListSql,
  ResultsQuerySchema,
  type ResultNotice,
} from "./public-results.server.ts";
export { RESULT_KINDS, type ResultKind } from "./public-results.ts";
