/**
 * The server's one clock (issue 11: "code takes `now` from one place").
 *
 * Every server module that needs the current time asks here, never `new Date()` or `Date.now()`
 * directly: deadlines, arrival times, audit entries, session expiry, jobs. Server time is the
 * only clock the procedure trusts (Regs Art 36; the opening hall's countdown is server time);
 * browsers' clocks are never used for a decision.
 *
 * Tests that need a fixed or moved clock replace it with `setClockForTests` and put it back with
 * `resetClockForTests`; production code has no way to move it.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  nowMs(): number;
}

const systemClock: Clock = { nowMs: () => Date.now() };

let current: Clock = systemClock;

/** The current time as a Date. */
export function now(): Date {
  return new Date(current.nowMs());
}

/** The current time in milliseconds since the Unix epoch. */
export function nowMs(): number {
  return current.nowMs();
}

/** Replace the clock (tests only; refused in production). */
export function setClockForTests(clock: Clock | Date | number): void {
  if (process.env.NODE_ENV === "production") {
    throw new Error("the clock cannot be moved in production");
  }
  if (clock instanceof Date) {
    const fixed = clock.getTime();
    current = { nowMs: () => fixed };
  } else if (typeof clock === "number") {
    current = { nowMs: () => clock };
  } else {
    current = clock;
  }
}

/** Put the system clock back. */
export function resetClockForTests(): void {
  current = systemClock;
}
