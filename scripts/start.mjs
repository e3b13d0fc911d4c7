#!/usr/bin/env node
// Starts the whole system: the media server (mediasoup workers, witness rooms, recording) and
// the app server (Remix + socket.io + bull workers), with the settings in .env (or --env <file>).
// Each process is supervised on its own (issue 11, item 7): when one dies it is restarted with
// exponential backoff (1 s, 2 s, 4 s … 30 s; back to 1 s after a minute up) while the other keeps
// running; the app's /healthz says "media: down" meanwhile. A process that exits with 2 (invalid
// environment) stops everything: restarting cannot fix a bad variable. SIGINT/SIGTERM stop both.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { CONFIG_ERROR_EXIT } from "./process-guard.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const dev = process.argv.includes("--dev");
const envFlag = process.argv.indexOf("--env");
const envFile = envFlag > 0 ? path.resolve(process.argv[envFlag + 1] ?? "") : path.join(root, ".env");

const BACKOFF_FIRST_MS = 1000;
const BACKOFF_MAX_MS = 30_000;
const STABLE_AFTER_MS = 60_000;

function readDotEnv() {
  if (!fs.existsSync(envFile)) {
    console.error(`✗ ${envFile} is missing: run \`npm run setup\` (it creates .env with generated secrets).`);
    process.exit(1);
  }
  const out = {};
  for (const line of fs.readFileSync(envFile, "utf8").split("\n")) {
    const m = /^\s*([A-Z0-9_]+)\s*=\s*(.*?)\s*$/.exec(line);
    if (m) out[m[1]] = m[2].replace(/^"(.*)"$/, "$1");
  }
  return out;
}

const env = { ...readDotEnv(), ...process.env };
const supervised = [];
let stopping = false;

function log(message) {
  console.log(`[start] ${message}`);
}

/** One supervised process: started again after each unexpected exit, later each time. */
function supervise(name, script) {
  const unit = { name, child: null, failures: 0, startedAt: 0, timer: null };
  const launch = () => {
    unit.timer = null;
    // --dev: tsx watch restarts on source changes (and on a new Remix build, which `remix watch`
    // writes). Otherwise node runs the script itself (tsx as a loader), so the PID is the server's.
    const [cmd, args] = dev
      ? [path.join(root, "node_modules/.bin/tsx"), ["watch", "--clear-screen=false", "--include", "build/index.js", script]]
      : [process.execPath, ["--import", "tsx", script]];
    const child = spawn(cmd, args, { cwd: root, stdio: "inherit", env });
    unit.child = child;
    unit.startedAt = Date.now();
    log(`${name} running (pid ${child.pid})`);
    child.on("exit", (code, signal) => {
      unit.child = null;
      if (stopping) return;
      if (code === CONFIG_ERROR_EXIT) {
        console.error(`✗ ${name} refused its environment (exit ${code}); fix .env and start again.`);
        stop(CONFIG_ERROR_EXIT);
        return;
      }
      if (Date.now() - unit.startedAt >= STABLE_AFTER_MS) unit.failures = 0;
      const delay = Math.min(BACKOFF_MAX_MS, BACKOFF_FIRST_MS * 2 ** unit.failures);
      unit.failures += 1;
      console.error(
        `✗ ${name} stopped unexpectedly (${signal ?? `exit ${code}`}); restarting it in ${delay / 1000} s, the rest keeps running.`,
      );
      unit.timer = setTimeout(launch, delay);
    });
  };
  supervised.push(unit);
  launch();
}

function stop(code) {
  stopping = true;
  for (const unit of supervised) if (unit.timer) clearTimeout(unit.timer);
  let alive = supervised.map((u) => u.child).filter((c) => c && c.exitCode === null && c.signalCode === null);
  if (alive.length === 0) process.exit(code);
  for (const c of alive) {
    c.on("exit", () => {
      alive = alive.filter((x) => x !== c);
      if (alive.length === 0) process.exit(code);
    });
    c.kill("SIGTERM");
  }
  setTimeout(() => process.exit(code), 15_000).unref();
}

if (dev) {
  const remix = spawn(path.join(root, "node_modules/.bin/remix"), ["watch"], { cwd: root, stdio: "inherit", env });
  supervised.push({ name: "remix watch", child: remix, timer: null });
}
if (fs.existsSync(path.join(root, "media-server/main.ts"))) supervise("media server", "media-server/main.ts");
supervise("app server", "server.ts");
process.on("SIGINT", () => stop(0));
process.on("SIGTERM", () => stop(0));
