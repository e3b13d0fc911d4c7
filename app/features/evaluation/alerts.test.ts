import { supervisorAlerts, type RoomEvent } from "./alerts.server.ts";

const t0 = 1_900_000_000_000;
const min = 60_000;
const session = { from: t0, to: t0 + 240 * min };
const bidderIds = ["A", "B", "C"];

/** A member who reads for 20 minutes per bid and scores each differently. */
function careful(memberId: string, offset: number): RoomEvent[] {
  return bidderIds.flatMap((bidderId, i) => [
    { kind: "file.opened", memberId, bidderId, at: t0 + offset + i * 20 * min },
    { kind: "sheet.started", memberId, bidderId, at: t0 + offset + i * 20 * min + min },
    {
      kind: "sheet.submitted",
      memberId,
      bidderId,
      at: t0 + offset + (i + 1) * 20 * min,
      points: { c1: 20 + i + offset / min, c2: 10 },
    },
  ]);
}

describe("supervisor alerts (评标监督预警)", () => {
  it("a committee working normally raises nothing", () => {
    const events = [...careful("m1", 0), ...careful("m2", min), ...careful("m3", 2 * min)];
    expect(supervisorAlerts({ events, bidderIds, session })).toEqual([]);
  });

  it("flags a member who scored every bid within seconds", () => {
    const rushed: RoomEvent[] = bidderIds.flatMap((bidderId, i) => [
      { kind: "sheet.started", memberId: "m4", bidderId, at: t0 + 90 * min + i * 5_000 },
      { kind: "sheet.submitted", memberId: "m4", bidderId, at: t0 + 90 * min + i * 5_000 + 3_000, points: { c1: 25 - i, c2: 9 } },
    ]);
    expect(supervisorAlerts({ events: [...careful("m1", 0), ...rushed], bidderIds, session })).toEqual([
      { kind: "fast-scoring", memberId: "m4", bids: 3, seconds: 13 },
    ]);
  });

  it("adjustment sheets (decision 105): the same amounts from every member raise nothing; rushing them still does", () => {
    const adjusted = (memberId: string, start: number, step: number): RoomEvent[] =>
      bidderIds.map((bidderId, i) => ({
        kind: "sheet.submitted",
        memberId,
        bidderId,
        at: start + i * step,
        points: {},
        quantified: true,
      }));
    const calm = [...adjusted("m1", t0, 20 * min), ...adjusted("m2", t0 + min, 20 * min)];
    expect(supervisorAlerts({ events: calm, bidderIds, session })).toEqual([]);
    expect(supervisorAlerts({ events: [...calm, ...adjusted("m3", t0 + 90 * min, 4_000)], bidderIds, session })).toEqual([
      { kind: "fast-scoring", memberId: "m3", bids: 3, seconds: 8 },
    ]);
  });

  it("flags identical final sheets of different members for a bid (a resubmission replaces the first)", () => {
    const copy: RoomEvent = {
      kind: "sheet.submitted",
      memberId: "m2",
      bidderId: "B",
      at: t0 + 100 * min,
      points: { c2: 10, c1: 21 },
    };
    const events = [...careful("m1", 0), ...careful("m2", min), copy];
    expect(supervisorAlerts({ events, bidderIds, session })).toEqual([
      { kind: "identical-sheets", bidderId: "B", memberIds: ["m1", "m2"] },
    ]);
    const changedAgain: RoomEvent = { ...copy, at: t0 + 110 * min, points: { c1: 23, c2: 10 } };
    expect(supervisorAlerts({ events: [...events, changedAgain], bidderIds, session })).toEqual([]);
  });

  it("flags one member opening one bidder's files again and again", () => {
    const again: RoomEvent[] = Array.from({ length: 12 }, (_, i) => ({
      kind: "file.opened",
      memberId: "m3",
      bidderId: "C",
      at: t0 + 70 * min + i * min,
    }));
    const events = [...careful("m3", 0), ...again];
    expect(supervisorAlerts({ events, bidderIds, session })).toEqual([
      { kind: "repeated-opening", memberId: "m3", bidderId: "C", times: 13, othersMax: 1 },
    ]);
  });

  it("flags anything a member does outside the session", () => {
    const before: RoomEvent = { kind: "file.opened", memberId: "m1", bidderId: "A", at: t0 - 5 * min };
    const after: RoomEvent = { kind: "action", memberId: "m2", at: t0 + 300 * min, action: "report.viewed" };
    expect(supervisorAlerts({ events: [...careful("m1", 0), before, after], bidderIds, session })).toEqual([
      { kind: "outside-session", memberId: "m1", at: t0 - 5 * min, what: "file.opened" },
      { kind: "outside-session", memberId: "m2", at: t0 + 300 * min, what: "report.viewed" },
    ]);
    // While the session runs (no end yet), later events are inside it.
    expect(supervisorAlerts({ events: [after], bidderIds, session: { from: t0, to: null } })).toEqual([]);
  });
});
