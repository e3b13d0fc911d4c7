import { ingestGate, MIN_ACTIVE } from "./ingest-gate.server.ts";

const enterMinimum = () => Promise.all(Array.from({ length: MIN_ACTIVE }, () => ingestGate.enter()));

// The gate is one per process; each test leaves it empty.
const tick = () => new Promise((r) => setTimeout(r, 40));

/** Admitted bodies reading full 64 KiB pieces, as when their clients are ahead of the server. */
function fullReads(): () => void {
  const timer = setInterval(() => ingestGate.noteRead(65536), 2);
  return () => clearInterval(timer);
}

describe("ingest gate (admission of upload bodies)", () => {
  it("admits the minimum set at once, then waiters in arrival order as bodies finish while clients are ahead", async () => {
    const first = await enterMinimum();
    expect(ingestGate.load.active).toBe(MIN_ACTIVE);
    const order: number[] = [];
    const later = [5, 6].map((n) => ingestGate.enter().then((leave) => (order.push(n), leave)));
    // Admitted bodies read full pieces: their clients are ahead of the server, nobody more is let in.
    const stopReads = fullReads();
    try {
      for (let i = 0; i < 6; i++) await tick();
      expect(order).toEqual([]);
      first[0]!();
      await tick();
      expect(order).toEqual([5]);
      first[1]!();
      await tick();
      expect(order).toEqual([5, 6]);
    } finally {
      stopReads();
    }
    for (const leave of [...first.slice(2), ...(await Promise.all(later))]) leave();
    expect(ingestGate.load).toMatchObject({ active: 0, waiting: 0 });
  });

  it("lets more in while the admitted clients are slower than the server", async () => {
    const first = await enterMinimum();
    const more = [5, 6].map(() => ingestGate.enter());
    // Small pieces (a client on a real line) or nothing at all: the server has room.
    ingestGate.noteRead(1400);
    const admitted = await Promise.all(more);
    expect(ingestGate.load.active).toBe(MIN_ACTIVE + 2);
    for (const leave of [...first, ...admitted]) leave();
  });

  it("drops a waiter whose request goes away", async () => {
    const first = await enterMinimum();
    const stopReads = fullReads();
    const gone = new AbortController();
    const waiting = ingestGate.enter(gone.signal);
    await tick();
    gone.abort(new Error("client closed"));
    await expect(waiting).rejects.toThrow("client closed");
    stopReads();
    expect(ingestGate.load.waiting).toBe(0);
    for (const leave of first) leave();
    expect(ingestGate.load.active).toBe(0);
  });
});
