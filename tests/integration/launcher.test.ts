import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { testEnv } from "../../scripts/test-env.mjs";

// scripts/start.mjs supervises each process on its own (issue 11, item 7): a media-server crash
// leaves the app serving, /healthz says media is down until the launcher has restarted it.

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, launcherLog: () => string): Promise<T> {
  for (let i = 0; i < 1200; i++) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`gave up waiting for ${what}; launcher output:\n${launcherLog()}`);
}

interface Health {
  status: string;
  checks: Record<string, string>;
}

let launcher: ChildProcess | undefined;
let dir: string;

afterAll(async () => {
  if (launcher && launcher.exitCode === null) {
    const exited = new Promise((r) => launcher!.once("exit", r));
    launcher.kill("SIGTERM");
    await exited;
  }
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("the launcher (scripts/start.mjs)", () => {
  it("restarts a crashed media server while the app keeps running and /healthz reports it down meanwhile", async () => {
    const [port, mediaPort] = [await freePort(), await freePort()];
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "mb-launcher-"));
    const settings: Record<string, string> = {
      ...testEnv,
      HOST: "127.0.0.1",
      PORT: String(port),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      MEDIA_PORT: String(mediaPort),
      MEDIA_URL: `http://127.0.0.1:${mediaPort}`,
      APP_INTERNAL_URL: `http://127.0.0.1:${port}`,
      MEDIA_WORKERS: "1",
      RECORDINGS_DIR: path.join(dir, "recordings"),
      AUDIT_SPOOL_DIR: path.join(dir, "spool"),
      JOBS_ENABLED: "false",
      // Nothing of this app's heartbeat stays in the shared database (decision 091).
      HEARTBEAT_ENABLED: "false",
    };
    const envFile = path.join(dir, "env");
    fs.writeFileSync(
      envFile,
      Object.entries(settings)
        .map(([k, v]) => `${k}=${v}`)
        .join("\n"),
    );
    let output = "";
    // Only the env file speaks: none of vitest's own environment leaks into the launcher.
    const child = spawn(process.execPath, ["scripts/start.mjs", "--env", envFile], {
      env: { NODE_ENV: "test", PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: process.env.HOME ?? "/root" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    launcher = child;
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    const pids = (name: string) =>
      [...output.matchAll(new RegExp(`${name} running \\(pid (\\d+)\\)`, "g"))].map((m) => Number(m[1]));
    const health = async (): Promise<Health> => (await fetch(`http://127.0.0.1:${port}/healthz`)).json() as Promise<Health>;
    const log = () => output;

    await until("both servers up", async () => ((await health()).status === "ok" ? true : undefined), log);
    const [appPid] = pids("app server");
    const [mediaPid] = pids("media server");
    expect(appPid).toBeGreaterThan(0);

    process.kill(mediaPid!, "SIGKILL");
    const during = await until(
      "media reported down",
      async () => {
        const h = await health();
        return h.checks.media === "down" ? h : undefined;
      },
      log,
    );
    expect(during).toEqual({ status: "down", checks: { database: "ok", redis: "ok", media: "down" } });

    await until(
      "media restarted and healthy",
      async () => (pids("media server").length === 2 && (await health()).status === "ok" ? true : undefined),
      log,
    );
    expect(output).toMatch(/media server stopped unexpectedly \(SIGKILL\); restarting it in 1 s/);
    expect(pids("media server")[1]).not.toBe(mediaPid);
    // The app was never restarted: the same process served throughout.
    expect(pids("app server")).toEqual([appPid]);
    expect(() => process.kill(appPid!, 0)).not.toThrow();
  });

  it("stops everything when a process refuses its environment: restarting cannot fix a variable", async () => {
    const envFile = path.join(dir, "bad-env");
    const port = await freePort();
    const bad = {
      ...testEnv,
      NODE_ENV: "production",
      HOST: "127.0.0.1",
      PORT: String(port),
      MEDIA_PORT: String(await freePort()),
      MEDIA_WORKERS: "1",
      JOBS_ENABLED: "false",
    };
    fs.writeFileSync(
      envFile,
      Object.entries(bad)
        .map(([k, v]) => `${k}=${v}`)
        .join("\n"),
    );
    const child = spawn(process.execPath, ["scripts/start.mjs", "--env", envFile], {
      env: { NODE_ENV: "production", PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: process.env.HOME ?? "/root" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    const code = await new Promise((r) => child.once("exit", r));
    expect(code).toBe(2);
    // The committed test secrets are public: production names them and the launcher gives up.
    expect(output).toMatch(/(SESSION_SECRET|MEDIA_INTERNAL_SECRET|WITNESS_TOKEN_SECRET): is a published example value/);
    expect(output).toMatch(/(media|app) server refused its environment \(exit 2\); fix \.env/);
    expect(output).not.toMatch(/restarting it in/);
  });
});
