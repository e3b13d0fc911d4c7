/** The opening record (开标记录, E-Measures Art 32) as published: plain data, signed as canonical JSON. */
export interface HallRecord {
  format: "MINGBIAO-OPENING-RECORD";
  version: 1;
  platform: string;
  tender: { id: string; code: string; title: string; tenderer: string; agent: string | null };
  place: "网上开标";
  openedAt: string;
  openedAtBeijing: string;
  outcome: "opened" | "failed";
  failure?: { reason: "too-few-bids"; bidCount: number; required: number; article: "Regs Art 44" };
  bids: {
    seq: number;
    bidderName: string;
    version: number;
    receivedAt: string;
    receivedAtBeijing: string;
    outcome: string;
    outcomeLabel: string;
    items: { key: string; label: string; value: string }[];
    remarks: string;
    confirmed: boolean;
  }[];
  /** The platform's outages during the decryption window (E-Measures Art 31), when there were any. */
  outages?: {
    source: "heartbeat" | "incident";
    from: string;
    to: string;
    fromBeijing: string;
    toBeijing: string;
    description: string;
  }[];
  objections: {
    raisedBy: string;
    raisedAt: string;
    raisedAtBeijing: string;
    content: string;
    answer: string;
    answeredAt: string;
    answeredAtBeijing: string;
  }[];
  host: string | null;
  supervisors: string[];
  /** bidding-core's record (buildOpeningRecord) when every opened bid has its read-out items. */
  core: unknown;
}
