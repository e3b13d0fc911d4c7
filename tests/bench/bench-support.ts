// What the benchmarks share: commands run in the repository, the schema applied to a bench's own
// database, a bench's own Redis database emptied, knobs, ports, the build and child processes.
// Each bench has its own database and Redis database: bench:submit mingbiao_bench and db 3,
// bench:public mingbiao_bench_public and db 4, bench:opening mingbiao_bench_opening and db 5.
import { execFileSync, spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export function run(cmd: string, args: string[], env: Record<string, string> = {}): void {
  const r = spawnSync(cmd, args, { cwd: root, env: { ...process.env, ...env }, encoding: "utf8" });
  if (r.status !== 0)
    throw new Error(`${cmd} ${args.join(" ")} failed (exit ${r.status ?? r.signal}):\n${r.stdout}\n${r.stderr}`);
}

/** Applies the committed migrations (as the set-up does: no engine downloads). */
export function migrateDeploy(databaseUrl: string): void {
  run("npx", ["--no-install", "prisma", "migrate", "deploy"], {
    DATABASE_URL: databaseUrl,
    PRISMA_SCHEMA_ENGINE_BINARY: "/dev/null",
    PRISMA_QUERY_ENGINE_LIBRARY: "/dev/null",
    PRISMA_HIDE_UPDATE_MESSAGE: "1",
  });
}

export async function flushRedis(redisUrl: string): Promise<void> {
  const Redis = (await import("ioredis")).default;
  const r = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await r.connect();
  await r.flushdb();
  await r.quit();
}

// ---------------------------------------------------------------------------------------------
// Knobs, ports, the build, the bench's own database and child processes (shared by bench:submit
// and bench:opening, which start the app's real server as the e2e and fault harnesses do).

export function positiveInt(name: string, fallback: number): number {
  const v = process.env[name] === undefined ? fallback : Number(process.env[name]);
  if (!Number.isInteger(v) || v < 1) throw new Error(`${name} must be a positive integer`);
  return v;
}

export function positiveNumber(name: string, fallback: number): number {
  const v = process.env[name] === undefined ? fallback : Number(process.env[name]);
  if (!Number.isFinite(v) || v <= 0) throw new Error(`${name} must be a positive number`);
  return v;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

export function round(n: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

/** `openssl speed -elapsed` (wall-clock, 16 KB blocks) in MB/s, as bench:crypto measures it. */
export function opensslMbPerSecond(algorithm: string): number {
  const args = ["speed", "-elapsed", "-evp", algorithm, "-bytes", "16384", "-seconds", "3"];
  const out = execFileSync("/usr/bin/openssl", args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
  const match = new RegExp(`^${algorithm}\\s+([\\d.]+)k`, "im").exec(out);
  if (!match?.[1]) throw new Error(`cannot read openssl speed output:\n${out}`);
  return (Number(match[1]) * 1000) / 1_000_000;
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    newest = Math.max(newest, fs.statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

/** Builds the app when build/ is missing or older than app/ (serialised with other builds). */
export function ensureBuild(log: (message: string) => void): void {
  const index = path.join(root, "build/index.js");
  const stale = !fs.existsSync(index) || fs.statSync(index).mtimeMs < newestMtime(path.join(root, "app"));
  if (!stale) return;
  log("build/ is missing or older than app/: npx remix build");
  run("flock", ["/tmp/mingbiao-build.lock", "npx", "--no-install", "remix", "build"]);
}

export interface Child {
  proc: ChildProcess;
  exited: Promise<void>;
}

/**
 * One bench run's resources: its temp dir, its clean-ups (undone in reverse at the end, on
 * abort and on SIGINT/SIGTERM), its log lines, its own database and its child processes.
 */
export class BenchRun {
  readonly tmp: string;
  readonly cleanups: { name: string; run: () => Promise<void> | void }[] = [];
  private readonly started = Date.now();
  private cleaned = false;

  constructor(readonly name: string) {
    this.tmp = fs.mkdtempSync(path.join(os.tmpdir(), `mingbiao-bench-${name}-`));
    this.cleanups.push({ name: "temp dir", run: () => fs.rmSync(this.tmp, { recursive: true, force: true }) });
    process.on("SIGINT", () => void this.abort("interrupted", 130));
    process.on("SIGTERM", () => void this.abort("terminated", 143));
  }

  log = (message: string): void => {
    process.stderr.write(`[bench:${this.name} ${((Date.now() - this.started) / 1000).toFixed(1).padStart(6)}s] ${message}\n`);
  };

  cleanup = async (): Promise<void> => {
    if (this.cleaned) return;
    this.cleaned = true;
    for (const c of this.cleanups.reverse()) {
      try {
        await c.run();
      } catch (error) {
        this.log(`clean-up '${c.name}' failed: ${(error as Error).message}`);
      }
    }
  };

  abort = async (message: string, code = 1): Promise<never> => {
    process.stderr.write(`\n✗ bench:${this.name}: ${message}\n`);
    await this.cleanup();
    process.exit(code);
  };

  /** Drops, creates and migrates the bench's own database; dropped again at the end. */
  async prepareDatabase(dbName: string, adminUrl = "postgresql://postgres@127.0.0.1:5432/postgres"): Promise<string> {
    const pg = (await import("pg")).default;
    const drop = async () => {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
      } finally {
        await c.end();
      }
    };
    await drop();
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE "${dbName}"`);
    } finally {
      await admin.end();
    }
    this.cleanups.push({ name: "drop database", run: drop });
    const url = new URL(adminUrl);
    url.pathname = `/${dbName}`;
    migrateDeploy(url.toString());
    return url.toString();
  }

  /** A child process in the repository, its output to `logFile`, stopped by its PID at the end. */
  startChild(name: string, cmd: string, args: string[], env: Record<string, string>, logFile: string): Child {
    const out = fs.openSync(logFile, "a");
    const proc = spawn(cmd, args, { cwd: root, env: { ...process.env, ...env }, stdio: ["ignore", out, out] });
    fs.closeSync(out);
    const exited = new Promise<void>((resolve) => proc.once("exit", () => resolve()));
    this.cleanups.push({ name: `stop ${name}`, run: () => stopChild(proc, exited) });
    return { proc, exited };
  }
}

export async function stopChild(proc: ChildProcess, exited: Promise<void>): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null || proc.pid === undefined) return;
  process.kill(proc.pid, "SIGTERM");
  const timer = new Promise<"late">((r) => setTimeout(() => r("late"), 15_000).unref());
  if ((await Promise.race([exited.then(() => "ok" as const), timer])) === "late" && proc.exitCode === null) {
    process.kill(proc.pid, "SIGKILL");
    await exited;
  }
}

/** Waits for the server's /healthz (90 s at most); fails with the end of its log. */
export async function waitHealthy(port: number, child: Child, logFile: string): Promise<void> {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.proc.exitCode !== null) break;
    const status = await new Promise<number>((resolve) => {
      const req = http.get({ host: "127.0.0.1", port, path: "/healthz", timeout: 2000 }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on("error", () => resolve(0));
      req.on("timeout", () => req.destroy());
    });
    if (status === 200) return;
    await new Promise((r) => setTimeout(r, 300));
  }
  const tail = fs.existsSync(logFile) ? fs.readFileSync(logFile, "utf8").split("\n").slice(-30).join("\n") : "";
  throw new Error(`the server did not become healthy on port ${port}:\n${tail}`);
}
