import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "../generated/prisma/client.ts";
import { pgConnectionConfig } from "./db-url.ts";
import { env } from "./env.server.ts";

export type { PrismaClient };
export type Tx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];

// One connection pool for the process; the one Prisma client runs on it (no query engine
// binary: pg driver adapter), and so does the little hand-written SQL of the hot paths.
let pool: pg.Pool | undefined;
let client: PrismaClient | undefined;

function connectionPool(): pg.Pool {
  if (!pool) {
    // A connection is waited for at most 10 s (Prisma's transactions had maxWait 10 s).
    pool = new pg.Pool({ ...pgConnectionConfig(env().DATABASE_URL), max: 10, connectionTimeoutMillis: 10_000 });
    // An idle connection that breaks (database restarted) is dropped from the pool; without a
    // listener the 'error' event would end the process.
    pool.on("error", (error) => console.error("database connection lost (idle, dropped from the pool):", error.message));
  }
  return pool;
}

export function db(): PrismaClient {
  client ??= new PrismaClient({ adapter: new PrismaPg(connectionPool()) });
  return client;
}

/**
 * Plain SQL on the same pool, for the few paths where Prisma's per-query cost matters: with the
 * JS query compiler each Prisma query costs ~1.7 ms of the event loop here against ~0.15 ms for
 * the same statement through pg (docs/decisions/052). Around a bid deadline the session check
 * and the bid's context and recording run hundreds of times a minute. Everything else uses
 * Prisma. Parameters only, never string-built SQL.
 */
export function sql(): pg.Pool {
  return connectionPool();
}

export type SqlClient = pg.PoolClient;

/**
 * Runs `work` in one transaction on one pooled connection (ROLLBACK on any error). No statement
 * or lock wait may take longer than 10 s (Prisma's transactions had a 10 s timeout).
 */
export async function sqlTransaction<T>(work: (client: SqlClient) => Promise<T>): Promise<T> {
  const c = await connectionPool().connect();
  let broken = false;
  // A checked-out connection that breaks (database restarted) emits 'error'; unheard, that
  // would end the process. The failing query rejects as well, so `work` sees the error.
  const onError = () => {
    broken = true;
  };
  c.on("error", onError);
  try {
    await c.query("BEGIN; SET LOCAL statement_timeout = 10000; SET LOCAL lock_timeout = 10000");
    const result = await work(c);
    await c.query("COMMIT");
    return result;
  } catch (error) {
    // A connection that cannot even roll back is closed instead of going back to the pool.
    if (!broken) {
      await c.query("ROLLBACK").catch(() => {
        broken = true;
      });
    }
    throw error;
  } finally {
    c.off("error", onError);
    c.release(broken);
  }
}

export async function disconnectDb(): Promise<void> {
  const [c, p] = [client, pool];
  client = undefined;
  pool = undefined;
  if (c) await c.$disconnect();
  if (p) await p.end();
}
