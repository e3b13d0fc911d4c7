// Services of one fault test, all its own: a private PostgreSQL cluster (a copy of the prepared
// test database), a private Redis, and the app server (production build, `tsx server.ts`) as a
// child process that can be killed by PID. The machine's shared PostgreSQL and Redis are never
// stopped (other test runs use them).
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { testEnv } from "../../scripts/test-env.mjs";

// A production server refuses the committed test secrets (crypto/secret-policy.ts): this process
// and the servers it starts share random ones, chosen once, before anything reads env().
const SECRET_KEYS = ["SESSION_SECRET", "MEDIA_INTERNAL_SECRET", "WITNESS_TOKEN_SECRET", "EXPERT_ID_HASH_KEY"] as const;
for (const key of SECRET_KEYS) {
  if (!process.env[key] || process.env[key] === (testEnv as Record<string, string>)[key])
    process.env[key] = randomBytes(32).toString("base64url");
}
const secrets = Object.fromEntries(SECRET_KEYS.map((key) => [key, process.env[key] as string]));

const PG_BIN = process.env.PG_BIN ?? "/usr/lib/postgresql/15/bin";

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it is true; a condition, not a timing: fails only after `tries` polls. */
export async function until(what: string, check: () => boolean | Promise<boolean>, tries = 600, every = 100): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (await check()) return;
    await sleep(every);
  }
  throw new Error(`gave up waiting for: ${what}`);
}

/** Runs as the postgres user when this process is root (initdb refuses root). */
function asPostgres(cmd: string, args: string[]): string {
  const root = process.getuid?.() === 0;
  return execFileSync(root ? "runuser" : cmd, root ? ["-u", "postgres", "--", cmd, ...args] : args, {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
}

export interface Postgres {
  url: string;
  restart(): void;
  stop(): void;
}

/** A throw-away cluster on a free port with a copy of the prepared test database (a few seconds). */
export async function startPostgres(): Promise<Postgres> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mb-faults-pg-"));
  fs.chmodSync(dir, 0o777);
  if (process.getuid?.() === 0) execFileSync("chown", ["postgres", dir]);
  const port = await freePort();
  const data = path.join(dir, "data");
  asPostgres(path.join(PG_BIN, "initdb"), ["-D", data, "-A", "trust", "-U", "postgres", "--no-sync"]);
  const pgCtl = (...args: string[]) => asPostgres(path.join(PG_BIN, "pg_ctl"), ["-D", data, "-w", ...args]);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100`;
  pgCtl("-o", options, "-l", path.join(dir, "log"), "start");
  // Copied as the owner (the app's own role may not read _prisma_migrations), without owners and
  // grants: the throw-away cluster has no mingbiao_app role, and its server connects as postgres.
  const source = new URL(testEnv.MIGRATION_DATABASE_URL);
  const src = ["-h", source.hostname, "-p", source.port || "5432", "-U", source.username || "postgres"];
  try {
    execFileSync("createdb", ["-h", "127.0.0.1", "-p", String(port), "-U", "postgres", "faults"]);
    const dump = execFileSync("pg_dump", [...src, "--no-owner", "--no-privileges", source.pathname.slice(1)], {
      maxBuffer: 1 << 30,
    });
    execFileSync("psql", ["-q", "-h", "127.0.0.1", "-p", String(port), "-U", "postgres", "-v", "ON_ERROR_STOP=1", "faults"], {
      input: dump,
      stdio: ["pipe", "ignore", "pipe"],
    });
  } catch (error) {
    // A failed copy must not leave the cluster running: nothing else would stop it.
    pgCtl("-m", "immediate", "stop");
    fs.rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/faults`,
    restart: () => pgCtl("-m", "fast", "-o", options, "-l", path.join(dir, "log"), "restart"),
    stop: () => {
      try {
        pgCtl("-m", "immediate", "stop");
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

export interface Redis {
  url: string;
  pause(): void;
  resume(): void;
  stop(): void;
}

/** A private redis-server (no persistence) on a free port. */
export async function startRedis(): Promise<Redis> {
  const port = await freePort();
  const child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], {
    stdio: "ignore",
  });
  await until("redis up", () => {
    try {
      return execFileSync("redis-cli", ["-p", String(port), "ping"], { encoding: "utf8" }).trim() === "PONG";
    } catch {
      return false;
    }
  });
  return {
    url: `redis://127.0.0.1:${port}/0`,
    pause: () => process.kill(child.pid!, "SIGSTOP"),
    resume: () => process.kill(child.pid!, "SIGCONT"),
    stop: () => {
      process.kill(child.pid!, "SIGCONT");
      child.kill("SIGKILL");
    },
  };
}

export interface AppServer {
  url: string;
  pid: number;
  log: string[];
  kill9(): Promise<void>;
  stop(): Promise<void>;
}

export interface FaultEnv {
  databaseUrl: string;
  redisUrl: string;
  uploadsDir: string;
  bidsDir: string;
}

/** The environment the app server and this test process share (sessions, PKI, storage). */
export function faultEnv(e: FaultEnv): Record<string, string> {
  return {
    ...testEnv,
    ...secrets,
    DATABASE_URL: e.databaseUrl,
    REDIS_URL: e.redisUrl,
    UPLOADS_DIR: e.uploadsDir,
    BIDS_DIR: e.bidsDir,
  };
}

/** Starts `tsx server.ts` (the production build) and resolves once it listens. */
export async function startApp(e: FaultEnv, port?: number): Promise<AppServer> {
  const listen = port ?? (await freePort());
  const url = `http://127.0.0.1:${listen}`;
  // tsx as a loader in this one process (its CLI would run the server in a child of its own,
  // which a SIGKILL of the CLI would leave running).
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "server.ts"], {
    env: {
      ...process.env,
      ...faultEnv(e),
      NODE_ENV: "production",
      HOST: "127.0.0.1",
      PORT: String(listen),
      PUBLIC_URL: url,
      MEDIA_URL: "http://127.0.0.1:9",
      MEDIA_PUBLIC_URL: "http://127.0.0.1:9",
      MEDIA_INTERNAL_URL: "http://127.0.0.1:9",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const log: string[] = [];
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  for (const stream of [child.stdout, child.stderr]) stream?.on("data", (b: Buffer) => log.push(b.toString()));
  await until(
    "app server listening",
    () => {
      if (child.exitCode !== null) throw new Error(`app server exited: ${log.join("")}`);
      return log.some((l) => l.includes("MingBiao listening"));
    },
    1200,
  );
  return {
    url,
    pid: child.pid!,
    log,
    async kill9() {
      process.kill(child.pid!, "SIGKILL");
      await exited;
    },
    async stop() {
      if (child.exitCode !== null) return;
      child.kill("SIGTERM");
      await exited;
    },
  };
}
