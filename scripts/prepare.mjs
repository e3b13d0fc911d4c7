#!/usr/bin/env node
// Prepares this checkout to run: system packages, PostgreSQL and Redis, npm dependencies,
// Prisma client and migrations, demo data, the Remix build and the mediasoup worker.
//   node scripts/prepare.mjs          development database (mingbiao), no demo data
//   node scripts/prepare.mjs --demo   the same plus the demo data: users with a public password
//   node scripts/prepare.mjs --test   a fresh test database (mingbiao_test), demo data, Chromium
// The first run writes .env with freshly generated secrets (.env.example holds none).
// Plain Node built-ins only until `npm ci` has run. Idempotent: a second run is quick.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { completeDotEnv, parseDotEnv } from "./dotenv.mjs";
import { testEnv } from "./test-env.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const mode = process.argv.includes("--test") ? "test" : process.argv.includes("--demo") ? "demo" : "dev";
const started = Date.now();

function step(message) {
  const s = ((Date.now() - started) / 1000).toFixed(1).padStart(5);
  process.stdout.write(`[setup ${s}s] ${message}\n`);
}

function fail(message) {
  process.stderr.write(`\n✗ ${message}\n\n`);
  process.exit(1);
}

function run(cmd, args, options = {}) {
  const result = spawnSync(cmd, args, { cwd: root, stdio: "inherit", ...options, env: { ...process.env, ...options.env } });
  if (result.status !== 0) fail(`${cmd} ${args.join(" ")} failed (exit ${result.status ?? result.signal})`);
}

function readDotEnv() {
  const file = path.join(root, ".env");
  if (!fs.existsSync(file)) return {};
  const out = {};
  for (const line of fs.readFileSync(file, "utf8").split("\n")) {
    const m = /^\s*([A-Z0-9_]+)\s*=\s*(.*)\s*$/.exec(line);
    if (m && !m[2].startsWith("#")) out[m[1]] = m[2].replace(/^"(.*)"$/, "$1");
  }
  return out;
}

/** Creates .env from .env.example with random secrets, or repairs an older one (dotenv.mjs). */
function ensureDotEnv() {
  const file = path.join(root, ".env");
  const existed = fs.existsSync(file);
  const source = fs.readFileSync(existed ? file : path.join(root, ".env.example"), "utf8");
  const { text, changed } = completeDotEnv(source, existed ? parseDotEnv(source) : {});
  if (!existed || changed.length > 0) {
    fs.writeFileSync(file, text, { mode: 0o600 });
    step(existed ? `updated .env: ${changed.join(", ")}` : "created .env from .env.example with generated secrets");
  }
}

function pick(source, keys) {
  return Object.fromEntries(keys.filter((k) => source[k]).map((k) => [k, source[k]]));
}

function dpkgInstalled(pkg) {
  const r = spawnSync("dpkg-query", ["-W", "-f=${Status}", pkg], { encoding: "utf8" });
  return r.status === 0 && r.stdout.includes("install ok installed");
}

function aptInstall(packages) {
  const missing = packages.filter((p) => !dpkgInstalled(p));
  if (missing.length === 0) return;
  step(`installing Debian packages: ${missing.join(" ")}`);
  const sudo = process.getuid?.() === 0 ? [] : ["sudo"];
  const env = { DEBIAN_FRONTEND: "noninteractive" };
  const [cmd, ...pre] = [...sudo, "apt-get"];
  run(cmd, [...pre, "update", "-qq"], { env });
  run(cmd, [...pre, "install", "-y", "-qq", "--no-install-recommends", ...missing], { env });
}

function canConnect(host, port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, timeout: 1500 });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("timeout", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", () => resolve(false));
  });
}

async function waitFor(host, port, seconds) {
  for (let i = 0; i < seconds * 2; i++) {
    if (await canConnect(host, port)) return true;
    await new Promise((r) => setTimeout(r, 500));
  }
  return false;
}

function isLocal(host) {
  return ["127.0.0.1", "localhost", "::1"].includes(host);
}

async function ensurePostgres(url) {
  const { hostname: host, port } = new URL(url);
  const p = Number(port || 5432);
  if (await canConnect(host, p)) return;
  const clusters = fs.existsSync("/etc/postgresql") ? fs.readdirSync("/etc/postgresql") : [];
  if (isLocal(host) && clusters.length > 0 && fs.existsSync("/usr/bin/pg_ctlcluster")) {
    step(`PostgreSQL is installed but not running: starting cluster ${clusters[0]}/main`);
    spawnSync("pg_ctlcluster", ["--skip-systemctl-redirect", clusters[0], "main", "start"], { stdio: "inherit" });
    if (await waitFor(host, p, 20)) return;
  }
  fail(
    `PostgreSQL is not reachable at ${host}:${p}.\n` +
      `  On Debian 12:  apt-get install -y postgresql && pg_ctlcluster --skip-systemctl-redirect 15 main start\n` +
      `  The set-up expects user 'postgres' with trust (or password in DATABASE_URL) on 127.0.0.1.\n` +
      `  Or point DATABASE_URL (in .env) at a running server.`,
  );
}

async function ensureRedis(url) {
  const { hostname: host, port } = new URL(url);
  const p = Number(port || 6379);
  if (await canConnect(host, p)) return;
  if (isLocal(host) && fs.existsSync("/usr/bin/redis-server")) {
    step("Redis is installed but not running: starting redis-server");
    const args = fs.existsSync("/etc/redis/redis.conf")
      ? ["/etc/redis/redis.conf", "--daemonize", "yes", "--port", String(p)]
      : ["--daemonize", "yes", "--bind", "127.0.0.1", "--port", String(p)];
    spawnSync("redis-server", args, { stdio: "inherit" });
    if (await waitFor(host, p, 15)) return;
  }
  fail(
    `Redis is not reachable at ${host}:${p}.\n` +
      `  On Debian 12:  apt-get install -y redis-server && redis-server /etc/redis/redis.conf --daemonize yes\n` +
      `  Or point REDIS_URL (in .env) at a running server.`,
  );
}

function npmDependencies() {
  const lock = path.join(root, "package-lock.json");
  const marker = path.join(root, "node_modules/.package-lock.json");
  const stale = !fs.existsSync(marker) || fs.statSync(marker).mtimeMs < fs.statSync(lock).mtimeMs;
  if (stale) {
    step("installing npm dependencies (npm ci; install scripts are off, see docs/decisions/001)");
    run("npm", ["ci", "--no-audit", "--no-fund"]);
  }
  step("applying patches (patch-package)");
  run("npx", ["--no-install", "patch-package", "--error-on-fail"]);
}

function prismaEnv(databaseUrl) {
  // The CLI would try to download native engines unless these point somewhere; with the JS
  // engine and the pg adapter (prisma.config.ts) they are never loaded.
  return {
    DATABASE_URL: databaseUrl,
    PRISMA_SCHEMA_ENGINE_BINARY: "/dev/null",
    PRISMA_QUERY_ENGINE_LIBRARY: "/dev/null",
    PRISMA_HIDE_UPDATE_MESSAGE: "1",
  };
}

async function prepareDatabase(databaseUrl, { recreate }) {
  const pg = (await import("pg")).default;
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.slice(1));
  if (!/^[a-z0-9_]+$/i.test(name)) fail(`database name '${name}' in DATABASE_URL must be letters, digits and _`);
  url.pathname = "/postgres";
  const admin = new pg.Client({ connectionString: url.toString() });
  await admin.connect();
  try {
    const exists = (await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [name])).rowCount > 0;
    if (exists && recreate) {
      step(`recreating test database ${name}`);
      await admin.query(`DROP DATABASE "${name}" WITH (FORCE)`);
    }
    if (!exists || recreate) await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  step("applying migrations (prisma migrate deploy)");
  run("npx", ["--no-install", "prisma", "migrate", "deploy"], { env: prismaEnv(databaseUrl) });
}

/** The app's role must be able to sign in, or every request would fail later and less clearly. */
async function checkAppRole(appUrl) {
  const pg = (await import("pg")).default;
  const client = new pg.Client({ connectionString: appUrl });
  try {
    await client.connect();
    await client.query("SELECT 1 FROM app_user LIMIT 1");
  } catch (error) {
    fail(
      `the app cannot use the database as ${new URL(appUrl).username}: ${error.message}\n` +
        `  DATABASE_URL is the app's own role (created by the migrations, docs/decisions/053); with\n` +
        `  password authentication set one (ALTER ROLE mingbiao_app PASSWORD '…') and put it in DATABASE_URL.`,
    );
  } finally {
    await client.end().catch(() => undefined);
  }
  step(`the app connects as ${new URL(appUrl).username} (no TRUNCATE, cannot disable the audit triggers)`);
}

/** Test runs start from an empty Redis database of their own (db 1 by default), never db 0. */
async function flushTestRedis(redisUrl) {
  const dbIndex = Number(new URL(redisUrl).pathname.slice(1) || 0);
  if (dbIndex === 0) fail("TEST_REDIS_URL must name a Redis database other than 0, e.g. redis://127.0.0.1:6379/1");
  const { default: Redis } = await import("ioredis");
  const client = new Redis(redisUrl, { lazyConnect: true });
  await client.connect();
  await client.flushdb();
  await client.quit();
  step(`emptied test Redis database ${dbIndex}`);
}

async function main() {
  const major = Number(process.versions.node.split(".")[0]);
  if (major !== 20) fail(`Node 20 is required (this is ${process.version}).`);

  if (mode !== "test") ensureDotEnv();
  // The environment the app will run with: .env for the demo, the shared test settings for tests.
  const appEnv =
    mode === "test"
      ? { ...testEnv }
      : { ...readDotEnv(), ...pick(process.env, ["DATABASE_URL", "MIGRATION_DATABASE_URL", "REDIS_URL"]) };
  // Migrations and the seed run as the owner; the app connects as its own role (decision 053).
  const databaseUrl = appEnv.MIGRATION_DATABASE_URL ?? appEnv.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/mingbiao";
  const redisUrl = appEnv.REDIS_URL ?? "redis://127.0.0.1:6379/0";

  step("checking PostgreSQL and Redis");
  await ensurePostgres(databaseUrl);
  await ensureRedis(redisUrl);

  npmDependencies();
  if (mode === "test") await flushTestRedis(redisUrl);

  const media = path.join(root, "media-server/scripts/build-worker.mjs");
  if (fs.existsSync(media)) {
    step("media toolchain: Debian packages and the mediasoup worker (built once, then cached)");
    const { ensureMediaToolchain } = await import(media);
    const worker = ensureMediaToolchain();
    step(`mediasoup worker: ${worker}`);
  }
  // CJK fonts: the signed PDFs (opening record, reports) embed them. Tests also need Chromium,
  // faketime (the unit suite runs again with the clock a year ahead, scripts/moved-clock.mjs) and
  // poppler-utils (pdfsig / pdftotext check the PDFs as an outsider would).
  aptInstall(mode === "test" ? ["fonts-noto-cjk", "chromium", "faketime", "poppler-utils"] : ["fonts-noto-cjk"]);

  step("generating the Prisma client");
  run("npx", ["--no-install", "prisma", "generate"], { env: prismaEnv(databaseUrl) });
  await prepareDatabase(databaseUrl, { recreate: mode === "test" });
  if (mode === "test") {
    // Files that belonged to the previous test database go with it (the platform PKI stays).
    for (const key of ["BIDS_DIR", "UPLOADS_DIR", "FILES_DIR", "DEMO_KEYS_DIR"]) {
      fs.rmSync(path.resolve(root, testEnv[key]), { recursive: true, force: true });
    }
    // The end-to-end media server's recordings (playwright.config.ts RECORDINGS_DIR).
    fs.rmSync(path.resolve(root, "var/test/recordings"), { recursive: true, force: true });
  }
  if (appEnv.DATABASE_URL && appEnv.DATABASE_URL !== databaseUrl) await checkAppRole(appEnv.DATABASE_URL);
  // Users with a public password only where asked for: the demo and the tests.
  if (mode === "demo" || mode === "test") {
    step("loading demo data (prisma/seed.ts)");
    run("npx", ["--no-install", "tsx", "prisma/seed.ts"], { env: { ...appEnv, DATABASE_URL: databaseUrl, REDIS_URL: redisUrl } });
  } else {
    step("no demo data (`npm run demo` loads the demo users and tenders)");
  }

  step("building the app (remix build)");
  run("npx", ["--no-install", "remix", "build"], { env: { NODE_ENV: "production" } });
  step(`ready (${mode === "test" ? "test database " : ""}${new URL(databaseUrl).pathname.slice(1)})`);
}

main().catch((error) => fail(error?.stack ?? String(error)));
