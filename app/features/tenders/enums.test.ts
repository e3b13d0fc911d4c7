import { OPEN_STATUSES, PUBLIC_STATUSES, storedStatuses, SUPERVISED_STATUSES, WITNESS_ROOM_STATUSES } from "./enums.ts";

describe("the app's status lists are bidding-core's, in the stored spelling", () => {
  it("are the lists the app wrote inline before", () => {
    expect([...OPEN_STATUSES]).toEqual(["PUBLISHED", "CLARIFICATION"]);
    expect([...WITNESS_ROOM_STATUSES]).toEqual([
      "PUBLISHED",
      "CLARIFICATION",
      "BIDDING_CLOSED",
      "OPENING",
      "OPENED",
      "EVALUATING",
      "PUBLICITY",
    ]);
    expect([...PUBLIC_STATUSES]).toEqual([
      "PUBLISHED",
      "CLARIFICATION",
      "BIDDING_CLOSED",
      "OPENING",
      "OPENED",
      "FAILED",
      "EVALUATING",
      "PUBLICITY",
      "AWARDED",
      "SUSPENDED",
      "CANCELLED",
      "RETENDERED",
    ]);
    // notIn: ["DRAFT", "CANCELLED"]
    expect([...SUPERVISED_STATUSES].sort()).toEqual(PUBLIC_STATUSES.filter((s) => s !== "CANCELLED").sort());
    expect(storedStatuses(["bidding-closed"] as const)).toEqual(["BIDDING_CLOSED"]);
  });
});
