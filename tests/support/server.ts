import { randomBytes } from "node:crypto";
// A real app server (server.ts, the production build) as a child process on a free port of
// 127.0.0.1, for tests that need the HTTP stack itself: body caps, the Origin check, the fuzz
// test. Its pid is the server's own (node --import tsx, no wrapper), so its RSS can be read.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { testEnv } from "../../scripts/test-env.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export interface TestServer {
  url: string;
  port: number;
  pid: number;
  /** Resident set size of the server process, in bytes (from /proc). */
  rss(): number;
  alive(): boolean;
  /** What the server wrote to stdout and stderr so far. */
  output(): string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const address = s.address();
      const port = typeof address === "object" && address ? address.port : 0;
      s.close(() => resolve(port));
    });
  });
}

function healthy(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get({ host: "127.0.0.1", port, path: "/healthz", timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on("error", () => resolve(false));
    req.on("timeout", () => req.destroy());
  });
}

// A production server refuses the committed test secrets (crypto/secret-policy.ts). This test
// process and the server it starts share random ones, chosen once, so that sessions and CSRF
// tokens made here (tests/fixtures) are the server's too. Set before anything reads env().
const SECRET_KEYS = ["SESSION_SECRET", "MEDIA_INTERNAL_SECRET", "WITNESS_TOKEN_SECRET", "EXPERT_ID_HASH_KEY"] as const;
for (const key of SECRET_KEYS) {
  if (!process.env[key] || process.env[key] === (testEnv as Record<string, string>)[key])
    process.env[key] = randomBytes(32).toString("base64url");
}
const secrets = Object.fromEntries(SECRET_KEYS.map((key) => [key, process.env[key] as string]));

export async function startServer(extraEnv: Record<string, string> = {}): Promise<TestServer> {
  if (!fs.existsSync(path.join(root, "build/index.js")))
    throw new Error("no production build: run `npx remix build` (npm test does)");
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...testEnv,
    ...secrets,
    NODE_ENV: "production" as const,
    HOST: "127.0.0.1",
    PORT: String(port),
    PUBLIC_URL: url,
    JOBS_ENABLED: "false",
    // No heartbeat: its first beat would put the gap since the last test server's on record as a
    // platform outage in the shared database, where no test removes it (decision 091).
    HEARTBEAT_ENABLED: "false",
    ...extraEnv,
  };
  let log = "";
  const proc: ChildProcess = spawn(process.execPath, ["--import", "tsx", "server.ts"], {
    cwd: root,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const keep = (chunk: Buffer) => {
    log = (log + chunk.toString("utf8")).slice(-5_000_000);
  };
  proc.stdout?.on("data", keep);
  proc.stderr?.on("data", keep);
  const exited = new Promise<void>((resolve) => proc.once("exit", () => resolve()));
  const alive = () => proc.exitCode === null && proc.signalCode === null;
  const started = Date.now();
  while (!(await healthy(port))) {
    if (!alive()) throw new Error(`the server exited during start:\n${log}`);
    if (Date.now() - started > 90_000) {
      proc.kill("SIGKILL");
      throw new Error(`the server did not become healthy:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const pid = proc.pid!;
  return {
    url,
    port,
    pid,
    rss() {
      const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
      const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
      return kb * 1024;
    },
    alive,
    output: () => log,
    async stop() {
      if (!alive()) return;
      proc.kill("SIGTERM");
      const late = setTimeout(() => proc.kill("SIGKILL"), 15_000);
      await exited;
      clearTimeout(late);
    },
  };
}
