import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "../generated/prisma/client.ts";
import { pgConnectionConfig } from "./db-url.ts";
import { env } from "./env.server.ts";

export type { PrismaClient };
export type Tx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];

// Two connection pools per process (docs/decisions/070): the main one, for everything a signed-in
// user does (sign-in, bid upload, the opening hall, agents' work), and a small one that only the
// anonymous public reads use (notice list and page, OCDS feed). However many visitors come, they
// queue for the public share and never take a connection the main pool's users need. The same
// generated Prisma client runs on each (no query engine binary: pg driver adapter).
let pool: pg.Pool | undefined;
let client: PrismaClient | undefined;
let publicPool: pg.Pool | undefined;
let publicClient: PrismaClient | undefined;

/** Connections of the public reads' share; public-gate.server.ts admits at most this many renders. */
export const PUBLIC_POOL_MAX = 4;
/** How long a public read waits for a connection before it is answered 503 (public-gate.server.ts). */
export const PUBLIC_POOL_WAIT_MS = 3_000;

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

function publicConnectionPool(): pg.Pool {
  if (!publicPool) {
    // Short waits: a public read that cannot get a connection soon is shed with 503 + Retry-After
    // (isPoolTimeout); no statement of a public read may run longer than 5 s.
    publicPool = new pg.Pool({
      ...pgConnectionConfig(env().DATABASE_URL),
      max: PUBLIC_POOL_MAX,
      connectionTimeoutMillis: PUBLIC_POOL_WAIT_MS,
      statement_timeout: 5_000,
      application_name: "mingbiao-public",
    });
    publicPool.on("error", (error) => console.error("database connection lost (public pool, idle, dropped):", error.message));
  }
  return publicPool;
}

/**
 * The Prisma client of the public reads (anonymous notice list, notice page, OCDS feed): read-only
 * queries, never a transaction, on their own small pool so that load on public pages never starves
 * the main pool.
 */
export function publicDb(): PrismaClient {
  publicClient ??= new PrismaClient({ adapter: new PrismaPg(publicConnectionPool()) });
  return publicClient;
}

/** The public share's pool itself (plain SQL of the public reads; tests hold it busy). */
export function publicSql(): pg.Pool {
  return publicConnectionPool();
}

/** True when `error` (or its cause chain, as Prisma wraps it) is the pool giving up waiting for a connection. */
export function isPoolTimeout(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 6; depth++) {
    const message =
      e instanceof Error ? e.message : typeof e === "object" && "message" in e ? String((e as { message: unknown }).message) : "";
    if (message.includes("timeout exceeded when trying to connect")) return true;
    e = typeof e === "object" && "cause" in e ? (e as { cause: unknown }).cause : undefined;
  }
  return false;
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
  const [c, p, pc, pp] = [client, pool, publicClient, publicPool];
  client = undefined;
  pool = undefined;
  publicClient = undefined;
  publicPool = undefined;
  if (c) await c.$disconnect();
  if (pc) await pc.$disconnect();
  if (p) await p.end();
  if (pp) await pp.end();
}
