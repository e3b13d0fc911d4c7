#!/usr/bin/env node
// Starts the whole system: the media server (mediasoup workers, witness rooms, recording) and
// the app server (Remix + socket.io + bull workers), with the settings in .env. SIGINT/SIGTERM
// stop both gracefully; if either dies, the other is stopped too and the exit code says so.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

function readDotEnv() {
  const file = path.join(root, ".env");
  if (!fs.existsSync(file)) {
    console.error("✗ .env is missing: run `npm run setup` (it creates one from .env.example).");
    process.exit(1);
  }
  const out = {};
  for (const line of fs.readFileSync(file, "utf8").split("\n")) {
    const m = /^\s*([A-Z0-9_]+)\s*=\s*(.*?)\s*$/.exec(line);
    if (m) out[m[1]] = m[2].replace(/^"(.*)"$/, "$1");
  }
  return out;
}

const env = { ...readDotEnv(), ...process.env };
const tsx = path.join(root, "node_modules/.bin/tsx");
const children = [];
let stopping = false;

const dev = process.argv.includes("--dev");

function start(name, script, extraEnv) {
  // --dev: restart on source changes (and on a new Remix build, which `remix watch` writes).
  const args = dev ? ["watch", "--clear-screen=false", "--include", "build/index.js", script] : [script];
  const child = spawn(tsx, args, { cwd: root, stdio: "inherit", env: { ...env, ...extraEnv } });
  child.on("exit", (code, signal) => {
    if (stopping) return;
    console.error(`✗ ${name} stopped unexpectedly (${signal ?? `exit ${code}`}); stopping the rest.`);
    stop(1);
  });
  children.push(child);
  return child;
}

function stop(code) {
  stopping = true;
  let alive = children.filter((c) => c.exitCode === null && c.signalCode === null);
  if (alive.length === 0) process.exit(code);
  for (const c of alive) c.kill("SIGTERM");
  for (const c of alive) {
    c.on("exit", () => {
      alive = alive.filter((x) => x !== c);
      if (alive.length === 0) process.exit(code);
    });
  }
  setTimeout(() => process.exit(code), 15_000).unref();
}

if (dev) {
  const remix = spawn(path.join(root, "node_modules/.bin/remix"), ["watch"], { cwd: root, stdio: "inherit", env });
  children.push(remix);
}
if (fs.existsSync(path.join(root, "media-server/main.ts"))) start("media server", "media-server/main.ts", {});
start("app server", "server.ts", {});
process.on("SIGINT", () => stop(0));
process.on("SIGTERM", () => stop(0));
