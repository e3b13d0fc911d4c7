// Browser-safe parts of the public results list (the filter's values).
export const RESULT_KINDS = ["publicity", "awarded"] as const;
export type ResultKind = (typeof RESULT_KINDS)[number];
