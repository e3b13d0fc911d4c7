/**
 * bidding-core: the procurement law of MingBiao as pure functions. No I/O, no clock, no
 * randomness: callers pass `now` and seeds. See README.md.
 */
export * from "./errors";
export * from "./money";
export * from "./random";
export * from "./calendar";
export * from "./calendar-notice";
export * from "./clocks";
export * from "./procedure-rules";
export * from "./deadlines";
export * from "./lifecycle";
export * from "./status-sets";
export * from "./bids";
export * from "./award";
export * from "./opening";
export * from "./outages";
export * from "./committee";
export * from "./avoidance";
export * from "./expert-draw";
export * from "./committee-request";
export * from "./evaluation/rounding";
export * from "./evaluation/qualification";
export * from "./evaluation/aggregate";
export * from "./evaluation/outliers";
export * from "./evaluation/price-score";
export * from "./evaluation/comprehensive";
export * from "./evaluation/lowest-price";
export * from "./evaluation/adjustments";
export * from "./evaluation/room-rules";
export * from "./evaluation/scoring-table";
export * from "./ranking";
export * from "./collusion";
export * from "./confidentiality";
