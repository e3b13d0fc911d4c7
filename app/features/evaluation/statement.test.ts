import { PLEDGE_TEXT, roomStatementText, signable } from "./statement.ts";

describe("what a member signs in the room", () => {
  it("is the canonical JSON of the act, the tender, the member and the body, whatever the key order", () => {
    const a = roomStatementText("score", "t1", "m1", { bidderId: "b1", points: { c2: 10, c1: 20 } });
    const b = roomStatementText("score", "t1", "m1", { points: { c1: 20, c2: 10 }, bidderId: "b1" });
    expect(a).toBe(b);
    expect(a).toBe('{"act":"score","body":{"bidderId":"b1","points":{"c1":20,"c2":10}},"memberUserId":"m1","tenderId":"t1"}');
  });

  it("signs decimal points as their decimal strings (canonical JSON takes integers only), so 12.5 and 12.50 agree", () => {
    expect(signable({ p: 12.5, q: 3, r: [0.25, 1n] })).toEqual({ p: "12.5", q: 3, r: ["0.25", "1"] });
    expect(roomStatementText("score", "t", "m", { c1: 12.5 })).toBe(roomStatementText("score", "t", "m", { c1: 12.5 }));
  });

  it("differs when anything signed differs (another member, another act, another body)", () => {
    const base = roomStatementText("pledge", "t", "m1", { text: PLEDGE_TEXT });
    expect(roomStatementText("pledge", "t", "m2", { text: PLEDGE_TEXT })).not.toBe(base);
    expect(roomStatementText("sign-in", "t", "m1", { text: PLEDGE_TEXT })).not.toBe(base);
    expect(roomStatementText("pledge", "t", "m1", { text: `${PLEDGE_TEXT} ` })).not.toBe(base);
  });
});
