import { Gate, Overloaded } from "./public-gate.server.ts";
import { publicRoute } from "./public-cache.server.ts";

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe("public gate", () => {
  afterEach(() => vi.useRealTimers());

  it("runs at most `limit` at once, queues the next ones in order, and sheds past the queue at once", async () => {
    const gate = new Gate(2, 2, 60_000);
    const started: number[] = [];
    const holds = [deferred(), deferred(), deferred(), deferred()];
    const runs = holds.map((h, i) =>
      gate.run(async () => {
        started.push(i);
        await h.promise;
        return i;
      }),
    );
    await Promise.resolve();
    expect(started).toEqual([0, 1]);
    expect(gate.load).toEqual({ running: 2, waiting: 2 });
    await expect(gate.run(async () => "too many")).rejects.toEqual(new Overloaded("queue-full"));

    holds[0]!.resolve();
    await runs[0];
    await Promise.resolve();
    expect(started).toEqual([0, 1, 2]);
    for (const h of holds) h.resolve();
    expect(await Promise.all(runs)).toEqual([0, 1, 2, 3]);
    expect(gate.load).toEqual({ running: 0, waiting: 0 });
  });

  it("sheds a request that waited longer than the bound, and frees its place in the queue", async () => {
    vi.useFakeTimers();
    const gate = new Gate(1, 4, 3_000);
    const hold = deferred();
    const first = gate.run(() => hold.promise);
    const waiting = gate.run(async () => "never");
    const outcome = waiting.catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(3_000);
    expect(await outcome).toEqual(new Overloaded("waited-too-long"));
    expect(gate.load).toEqual({ running: 1, waiting: 0 });
    hold.resolve();
    await first;
    expect(await gate.run(async () => "next")).toBe("next");
  });

  it("a failing run gives its place back", async () => {
    const gate = new Gate(1, 0, 1_000);
    await expect(gate.run(() => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(await gate.run(async () => 1)).toBe(1);
  });
});

describe("public routes", () => {
  it("covers the notice list, notice pages, the OCDS feed and the CRL, and nothing a user must sign in for", () => {
    expect(publicRoute("/")).toMatchObject({ audience: "anonymous", scope: "all" });
    expect(publicRoute("/tenders/0B1C2D3E-0000-4000-8000-000000000000")).toMatchObject({
      audience: "anonymous",
      scope: "t:0b1c2d3e-0000-4000-8000-000000000000",
    });
    expect(publicRoute("/ocds/releases.json")).toMatchObject({ audience: "everyone", scope: "all" });
    expect(publicRoute("/pki/issuing.crl")).toMatchObject({ audience: "everyone", scope: "pki" });
    for (const p of [
      "/tenders/0b1c2d3e-0000-4000-8000-000000000000/documents/x",
      "/tenders/not-a-uuid",
      "/login",
      "/bids/x",
      "/account",
      "/agent/tenders",
    ]) {
      expect(publicRoute(p)).toBeNull();
    }
  });
});
