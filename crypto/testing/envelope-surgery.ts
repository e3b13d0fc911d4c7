import { concatBytes, readU32be } from "../bytes.ts";
import { MAGIC, recordFrame, type RecordType } from "../envelope/format.ts";

/** Split an envelope into records and put it back together, for tamper tests. */
export interface RawRecord {
  type: number;
  body: Uint8Array;
}

export function splitRecords(envelope: Uint8Array): RawRecord[] {
  const records: RawRecord[] = [];
  let offset = MAGIC.length;
  while (offset < envelope.length) {
    const type = envelope[offset] as number;
    const length = readU32be(envelope, offset + 1);
    records.push({ type, body: envelope.slice(offset + 5, offset + 5 + length) });
    offset += 5 + length;
  }
  return records;
}

export function joinRecords(records: readonly RawRecord[]): Uint8Array {
  return concatBytes([MAGIC, ...records.flatMap((r) => [recordFrame(r.type as RecordType, r.body.length), r.body])]);
}
