#!/usr/bin/env node
// Runs a command with the wall clock moved (default: a year ahead) by libfaketime, so that no
// test can depend on today's date: a fixed date compared with a certificate, token or deadline
// made "now" fails here long before it fails on the calendar (issue 11, conventions: Time).
//   node scripts/moved-clock.mjs [--offset +365d] <command> [args...]
// The monotonic clock is left alone (timers and timeouts behave). The script first checks that
// the clock really moved in a child process and refuses to run the command otherwise, so the
// moved-clock run can never silently be an ordinary one.
import { spawnSync } from "node:child_process";
import fs from "node:fs";

const args = process.argv.slice(2);
let offset = process.env.MOVED_CLOCK_OFFSET ?? "+365d";
if (args[0] === "--offset") {
  offset = args[1] ?? "";
  args.splice(0, 2);
}
const m = /^([+-])(\d+)d$/.exec(offset);
if (!m) fail(`offset must be like +365d or -30d, not '${offset}'`);
if (args.length === 0) fail("usage: node scripts/moved-clock.mjs [--offset +365d] <command> [args...]");

const candidates = [
  "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1",
  "/usr/lib/aarch64-linux-gnu/faketime/libfaketime.so.1",
  "/usr/lib/faketime/libfaketime.so.1",
];
const lib = candidates.find((p) => fs.existsSync(p));
if (!lib)
  fail(
    "libfaketime is not installed: on Debian `apt-get install faketime` (the test set-up, `node scripts/prepare.mjs --test`, installs it)",
  );

const env = {
  ...process.env,
  LD_PRELOAD: [lib, process.env.LD_PRELOAD].filter(Boolean).join(":"),
  FAKETIME: offset,
  FAKETIME_DONT_FAKE_MONOTONIC: "1",
  FAKETIME_DONT_RESET: "1",
};

// The clock must really be moved in a child, or this run would prove nothing.
const days = Number(m[2]) * (m[1] === "-" ? -1 : 1);
const probe = spawnSync(process.execPath, ["-e", "process.stdout.write(String(Date.now()))"], { env, encoding: "utf8" });
const moved = (Number(probe.stdout) - Date.now()) / 86_400_000;
if (!(Math.abs(moved - days) < 1))
  fail(`the clock did not move in a child process (moved ${moved.toFixed(2)} days, wanted ${days}); check libfaketime at ${lib}`);
process.stdout.write(`[moved clock] ${offset}: the command sees ${new Date(Number(probe.stdout)).toISOString()}\n`);

const result = spawnSync(args[0], args.slice(1), { stdio: "inherit", env });
process.exit(result.status ?? 1);

function fail(message) {
  process.stderr.write(`moved-clock: ${message}\n`);
  process.exit(2);
}
