/** What a complaint may be about (bidding-core ComplaintMatter), for the form and its schema. */
export const MATTERS = ["tender-documents", "opening", "result", "other"] as const;
