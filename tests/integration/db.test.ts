import { disconnectDb, sql, sqlTransaction } from "~/platform/db.server.ts";

afterAll(async () => {
  await disconnectDb();
});

// sqlTransaction carries the bid path's recording. A connection that breaks in the middle (the
// database restarted, a backend killed) must fail that one transaction, not the process, and the
// pool must go on with fresh connections.
describe("plain SQL transactions on the shared pool", () => {
  it("fails the transaction whose connection is killed, and the next one works", async () => {
    const uncaught: unknown[] = [];
    const listener = (error: unknown) => uncaught.push(error);
    process.on("uncaughtException", listener);
    try {
      await expect(
        sqlTransaction(async (c) => {
          const { rows } = await c.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
          // Another connection ends this one, as an administrator or a failover would.
          await sql().query("SELECT pg_terminate_backend($1)", [rows[0]?.pid]);
          await c.query("SELECT pg_sleep(0.05)");
        }),
      ).rejects.toThrow();
      await new Promise((r) => setTimeout(r, 100));
      expect(uncaught).toEqual([]);
      expect(await sqlTransaction(async (c) => (await c.query<{ one: number }>("SELECT 1 AS one")).rows[0]?.one)).toBe(1);
    } finally {
      process.off("uncaughtException", listener);
    }
  });

  it("bounds every statement and lock wait inside it, as Prisma's transaction timeout did", async () => {
    const settings = await sqlTransaction(async (c) => {
      const lock = await c.query<{ lock_timeout: string }>("SHOW lock_timeout");
      const statement = await c.query<{ statement_timeout: string }>("SHOW statement_timeout");
      return [lock.rows[0]?.lock_timeout, statement.rows[0]?.statement_timeout];
    });
    expect(settings).toEqual(["10s", "10s"]);
    // SET LOCAL: the connection goes back to the pool without them.
    expect((await sql().query<{ lock_timeout: string }>("SHOW lock_timeout")).rows[0]?.lock_timeout).toBe("0");
  });
});
