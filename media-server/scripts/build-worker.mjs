#!/usr/bin/env node
// Builds the mediasoup worker against Debian's libraries, once per mediasoup version.
// mediasoup's own postinstall downloads a prebuilt binary, pip packages and source tarballs,
// none of which this platform can reach (docs/decisions/030). Plain Node builtins only: this
// runs from the set-up script before anything else is installed.
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const MEDIASOUP_VERSION = "3.13.16";
/** Changes whenever the source patches below change, so a cached worker is rebuilt. */
export const WORKER_BUILD_ID = `${MEDIASOUP_VERSION}+mingbiao.1`;

// Fixes applied to the worker's sources before building (docs/decisions/030).
const SOURCE_PATCHES = [
  {
    file: "src/RTC/DtlsTransport.cpp",
    // The BIO callback answered 1 instead of OpenSSL's result for every "return" notification
    // except a bare BIO_CB_RETURN, which never comes alone (it is OR'ed with the operation). So
    // every BIO_ctrl() on the outgoing BIO (pending bytes, MTU exceeded, …) returned 1. Debian's
    // OpenSSL 3.0.22 then abandons a DTLS write half-way and the worker crashes on a NULL write
    // buffer at the browser's first handshake message. Hand back OpenSSL's own result.
    find: "const long resultOfcallback = (operationType == BIO_CB_RETURN) ? static_cast<long>(ret) : 1;",
    replace: "const long resultOfcallback = (operationType & BIO_CB_RETURN) ? static_cast<long>(ret) : 1;",
  },
];

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, "../..");
const standInSubprojects = path.join(here, `../toolchain/mediasoup-${MEDIASOUP_VERSION}-subprojects`);

const BUILD_PACKAGES = [
  "meson",
  "ninja-build",
  "pkg-config",
  "python3-invoke",
  "libssl-dev",
  "libuv1-dev",
  "libsrtp2-dev",
  "libusrsctp-dev",
  "libabsl-dev",
  "flatbuffers-compiler",
  "libflatbuffers-dev",
];
const RUNTIME_PACKAGES = ["libabsl20220623", "libssl3", "libuv1", "libsrtp2-1", "libusrsctp2", "libnss3", "ffmpeg"];

function log(message) {
  process.stderr.write(`[media-worker] ${message}\n`);
}

export function workerCacheDir() {
  const cacheHome = process.env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache");
  return path.join(cacheHome, "mingbiao", `mediasoup-worker-${MEDIASOUP_VERSION}`);
}

export function workerBinaryPath() {
  return path.join(workerCacheDir(), "mediasoup-worker");
}

function buildIdFile() {
  return path.join(workerCacheDir(), "build-id");
}

function isInstalled(pkg) {
  const result = spawnSync("dpkg-query", ["-W", "-f=${Status}", pkg], { encoding: "utf8" });
  return result.status === 0 && result.stdout.includes("install ok installed");
}

/** Installs the Debian packages the worker build, the worker and recording need. */
export function ensureMediaPackages() {
  const missing = [...BUILD_PACKAGES, ...RUNTIME_PACKAGES].filter((p) => !isInstalled(p));
  if (missing.length === 0) return;
  log(`installing Debian packages: ${missing.join(" ")}`);
  const asRoot = process.getuid?.() === 0 ? [] : ["sudo"];
  const run = (args) => {
    const [cmd, ...rest] = [...asRoot, ...args];
    execFileSync(cmd, rest, { stdio: "inherit", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
  };
  run(["apt-get", "update"]);
  run(["apt-get", "install", "-y", "--no-install-recommends", ...missing]);
}

function binaryRuns(binary) {
  if (!fs.existsSync(binary)) return false;
  const builtAs = fs.existsSync(buildIdFile()) ? fs.readFileSync(buildIdFile(), "utf8").trim() : "";
  if (builtAs !== WORKER_BUILD_ID) return false;
  // The worker prints its usage and exits non-zero without the IPC pipes; what matters is
  // that the dynamic loader found every Debian library (exit 127 otherwise).
  const result = spawnSync(binary, ["--version"], { encoding: "utf8", timeout: 10_000 });
  return result.error === undefined && result.status !== 127 && result.signal === null;
}

function mediasoupWorkerSource() {
  const pkg = path.join(repoRoot, "node_modules/mediasoup/package.json");
  if (!fs.existsSync(pkg)) throw new Error("node_modules/mediasoup is missing: run `npm ci` first");
  const version = JSON.parse(fs.readFileSync(pkg, "utf8")).version;
  if (version !== MEDIASOUP_VERSION) {
    throw new Error(`mediasoup ${version} installed, this build script targets ${MEDIASOUP_VERSION}`);
  }
  return path.join(repoRoot, "node_modules/mediasoup/worker");
}

function prepareSourceTree(buildRoot) {
  const src = path.join(buildRoot, "worker");
  fs.cpSync(mediasoupWorkerSource(), src, { recursive: true });
  for (const entry of fs.readdirSync(standInSubprojects)) {
    fs.cpSync(path.join(standInSubprojects, entry), path.join(src, "subprojects", entry), { recursive: true });
  }
  // Debian 12 ships meson 1.0.1; the worker uses nothing newer than 1.0.
  const mesonBuild = path.join(src, "meson.build");
  const text = fs.readFileSync(mesonBuild, "utf8").replace("meson_version: '>= 1.1.0'", "meson_version: '>= 1.0.0'");
  fs.writeFileSync(mesonBuild, text);
  for (const patch of SOURCE_PATCHES) {
    const file = path.join(src, patch.file);
    const source = fs.readFileSync(file, "utf8");
    if (!source.includes(patch.find)) throw new Error(`worker patch no longer applies to ${patch.file}`);
    fs.writeFileSync(file, source.replace(patch.find, patch.replace));
  }
  return src;
}

function compile(src, buildRoot) {
  const out = path.join(buildRoot, "out");
  const run = (cmd, args, cwd) => {
    log(`$ ${cmd} ${args.join(" ")}`);
    execFileSync(cmd, args, { cwd, stdio: ["ignore", "inherit", "inherit"] });
  };
  run("meson", ["setup", out, "--buildtype=release", "--wrap-mode=nodownload", "-Dms_disable_liburing=true"], src);
  // The generated FlatBuffers headers must exist before the worker's sources compile.
  run("ninja", ["-C", out, "fbs/FBS"], src);
  run("ninja", ["-C", out, "mediasoup-worker"], src);
  return path.join(out, "mediasoup-worker");
}

/** Returns the path of a working mediasoup worker, building it into the cache if needed. */
export function ensureMediaWorker() {
  const binary = workerBinaryPath();
  if (binaryRuns(binary)) return binary;
  ensureMediaPackages();
  log(`building mediasoup ${MEDIASOUP_VERSION} worker (about 3 minutes on 2 cores)`);
  const buildRoot = fs.mkdtempSync(path.join(os.tmpdir(), "mediasoup-worker-build-"));
  try {
    const built = compile(prepareSourceTree(buildRoot), buildRoot);
    fs.mkdirSync(workerCacheDir(), { recursive: true });
    // Copy then rename so a concurrent reader never sees a half-written binary.
    const partial = `${binary}.partial-${process.pid}`;
    fs.copyFileSync(built, partial);
    fs.chmodSync(partial, 0o755);
    fs.renameSync(partial, binary);
    fs.writeFileSync(buildIdFile(), `${WORKER_BUILD_ID}\n`);
  } finally {
    fs.rmSync(buildRoot, { recursive: true, force: true });
  }
  if (!binaryRuns(binary)) throw new Error(`built worker at ${binary} does not start`);
  log(`worker ready: ${binary}`);
  return binary;
}

/** Everything media-server needs on this machine: Debian packages and the worker binary. */
export function ensureMediaToolchain() {
  ensureMediaPackages();
  return ensureMediaWorker();
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const binary = ensureMediaToolchain();
  process.stdout.write(`MEDIASOUP_WORKER_BIN=${binary}\n`);
}
