import { describe, expect, it } from "vitest";
import { decryptionOutcome } from "./opening";
import {
  checkIncident,
  HEARTBEAT_CLOCK_TOLERANCE_MS,
  HEARTBEAT_INTERVAL_MS,
  heartbeatStep,
  OUTAGE_GAP_MS,
  outageFromHeartbeatGap,
  overlapsWindow,
  sealedBidCause,
  type SealedBidFacts,
} from "./outages";

// A fixed instant: these rules take every time as an argument.
const T = new Date("2026-03-02T02:00:00Z");
const at = (ms: number) => new Date(T.getTime() + ms);

describe("E-Measures Art 31: the platform's outages", () => {
  it("a heartbeat gap longer than the threshold is an outage from the last beat to this one", () => {
    expect(OUTAGE_GAP_MS).toBeGreaterThan(HEARTBEAT_INTERVAL_MS * 2);
    expect(outageFromHeartbeatGap(T, at(OUTAGE_GAP_MS + 1))).toEqual({ from: T, to: at(OUTAGE_GAP_MS + 1) });
    expect(outageFromHeartbeatGap(T, at(OUTAGE_GAP_MS))).toBeNull();
    expect(outageFromHeartbeatGap(T, at(HEARTBEAT_INTERVAL_MS))).toBeNull();
    expect(outageFromHeartbeatGap(null, T)).toBeNull();
    expect(outageFromHeartbeatGap(T, at(2_000), 1_000)).toEqual({ from: T, to: at(2_000) });
  });

  it("a beat moves the row forward only, and neither a beat nor a row far from the database's clock is trusted", () => {
    expect(HEARTBEAT_CLOCK_TOLERANCE_MS).toBeGreaterThan(OUTAGE_GAP_MS);
    // The database's clock is T throughout.
    expect(heartbeatStep(null, T, T)).toEqual({ kind: "first" });
    expect(heartbeatStep(at(-5_000), T, T)).toEqual({ kind: "forward", outage: null });
    expect(heartbeatStep(at(-OUTAGE_GAP_MS - 1), T, T)).toEqual({
      kind: "forward",
      outage: { from: at(-OUTAGE_GAP_MS - 1), to: T },
    });
    // Another process beat a little later: the row keeps the later beat, no outage ending before it starts.
    expect(heartbeatStep(at(2_000), T, T)).toEqual({ kind: "behind" });
    expect(heartbeatStep(T, T, T)).toEqual({ kind: "behind" });
    // A faked or moved clock (24 days ahead, an hour behind): nothing recorded, whatever the row.
    const ahead = at(24 * 24 * 3600_000);
    expect(heartbeatStep(at(-3600_000), ahead, T)).toEqual({ kind: "clock-error", skewMs: 24 * 24 * 3600_000 });
    expect(heartbeatStep(null, ahead, T)).toMatchObject({ kind: "clock-error" });
    expect(heartbeatStep(T, at(-3600_000), T)).toEqual({ kind: "clock-error", skewMs: -3600_000 });
    expect(heartbeatStep(null, at(HEARTBEAT_CLOCK_TOLERANCE_MS), T)).toEqual({ kind: "first" });
    // A row a faked clock left weeks ahead: not trusted, so the real beats are not ignored.
    expect(heartbeatStep(ahead, T, T)).toEqual({ kind: "row-untrusted", aheadMs: 24 * 24 * 3600_000 });
    expect(heartbeatStep(at(HEARTBEAT_CLOCK_TOLERANCE_MS + 1), T, T)).toMatchObject({ kind: "row-untrusted" });
    expect(heartbeatStep(at(HEARTBEAT_CLOCK_TOLERANCE_MS), T, T)).toEqual({ kind: "behind" });
  });

  it("an outage overlaps a window when they share an instant; touching ends do not", () => {
    const window = { from: T, to: at(30 * 60_000) };
    expect(overlapsWindow({ from: at(-60_000), to: at(1) }, window)).toBe(true);
    expect(overlapsWindow({ from: at(10 * 60_000), to: at(11 * 60_000) }, window)).toBe(true);
    expect(overlapsWindow({ from: at(-60_000), to: at(60 * 60_000) }, window)).toBe(true);
    expect(overlapsWindow({ from: at(30 * 60_000 - 1), to: at(31 * 60_000) }, window)).toBe(true);
    expect(overlapsWindow({ from: at(-60_000), to: T }, window)).toBe(false);
    expect(overlapsWindow({ from: at(30 * 60_000), to: at(31 * 60_000) }, window)).toBe(false);
    expect(overlapsWindow({ from: at(-2 * 3600_000), to: at(-3600_000) }, window)).toBe(false);
  });

  it("an incident must end after it starts and not after now", () => {
    expect(checkIncident({ from: T, to: at(60_000) }, at(120_000))).toEqual({ ok: true, value: { from: T, to: at(60_000) } });
    expect(checkIncident({ from: T, to: at(60_000) }, at(60_000)).ok).toBe(true);
    const backwards = checkIncident({ from: at(60_000), to: T }, at(120_000));
    expect(backwards).toMatchObject({ ok: false, error: { code: "OUTAGE.END_BEFORE_START", article: "E-Measures Art 31" } });
    expect(checkIncident({ from: T, to: T }, at(1)).ok).toBe(false);
    expect(checkIncident({ from: T, to: at(60_000) }, at(59_999))).toMatchObject({
      ok: false,
      error: { code: "OUTAGE.IN_FUTURE" },
    });
    expect(checkIncident({ from: new Date("nonsense"), to: T }, at(1))).toMatchObject({
      ok: false,
      error: { code: "OUTAGE.INVALID_TIME" },
    });
  });

  it("a bid still sealed after a window with an outage is the platform's cause: 撤回, losses may be claimed", () => {
    const base: SealedBidFacts = { signedIn: true, attempts: 0, lastFailure: null, outageDuringWindow: false };
    expect(sealedBidCause(base)).toEqual({ by: "bidder", detail: "not-decrypted" });
    expect(sealedBidCause({ ...base, signedIn: false })).toEqual({ by: "bidder", detail: "absent" });
    expect(sealedBidCause({ ...base, attempts: 2 })).toEqual({ by: "bidder", detail: "wrong-key" });
    expect(sealedBidCause({ ...base, lastFailure: "platform" })).toEqual({ by: "other", detail: "platform-failure" });
    for (const facts of [base, { ...base, signedIn: false }, { ...base, attempts: 3 }]) {
      const cause = sealedBidCause({ ...facts, outageDuringWindow: true });
      expect(cause).toEqual({ by: "other", detail: "platform-outage" });
      expect(decryptionOutcome({ kind: "failed", causedBy: cause.by, detail: cause.detail })).toEqual({
        status: "withdrawn",
        mayClaimDirectLosses: true,
        detail: "platform-outage",
      });
    }
  });
});
