import { defineConfig } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { testEnv } from "./scripts/test-env.mjs";

// A free port, chosen once by the main process; workers inherit it through the environment.
function freePort(): number {
  const out = execFileSync(process.execPath, [
    "-e",
    "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})",
  ]);
  return Number(out.toString().trim());
}
process.env.E2E_PORT ??= String(freePort());
process.env.E2E_MEDIA_PORT ??= String(freePort());
const port = Number(process.env.E2E_PORT);
const mediaPort = Number(process.env.E2E_MEDIA_PORT);
const baseURL = `http://127.0.0.1:${port}`;
const mediaURL = `http://127.0.0.1:${mediaPort}`;

// A production server refuses the committed test secrets (crypto/secret-policy.ts): both servers
// get random ones, chosen once here like the ports.
process.env.E2E_SESSION_SECRET ??= randomBytes(32).toString("base64url");
process.env.E2E_INTERNAL_SECRET ??= randomBytes(32).toString("base64url");
process.env.E2E_WITNESS_SECRET ??= randomBytes(32).toString("base64url");
process.env.E2E_EXPERT_ID_HASH_KEY ??= randomBytes(32).toString("base64url");
const secrets = {
  SESSION_SECRET: process.env.E2E_SESSION_SECRET,
  MEDIA_INTERNAL_SECRET: process.env.E2E_INTERNAL_SECRET,
  WITNESS_TOKEN_SECRET: process.env.E2E_WITNESS_SECRET,
  EXPERT_ID_HASH_KEY: process.env.E2E_EXPERT_ID_HASH_KEY,
};

const serverEnv = {
  ...testEnv,
  ...secrets,
  // The server runs the production build, as users get it.
  NODE_ENV: "production",
  HOST: "127.0.0.1",
  PORT: String(port),
  PUBLIC_URL: baseURL,
  MEDIA_URL: mediaURL,
  MEDIA_PUBLIC_URL: mediaURL,
  MEDIA_INTERNAL_URL: mediaURL,
};

// The media server (数字见证) as the start script runs it, on its own free port.
const mediaEnv = {
  ...testEnv,
  ...secrets,
  MEDIA_PORT: String(mediaPort),
  APP_INTERNAL_URL: baseURL,
  MEDIA_WORKERS: "1",
  RECORDINGS_DIR: "var/test/recordings",
  AUDIT_SPOOL_DIR: "var/test/media-audit-spool",
  RECORDING_SEGMENT_SECONDS: "5",
};

export default defineConfig({
  testDir: "tests/e2e",
  outputDir: "tests/.output/e2e",
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: process.env.CI ? [["list"]] : [["list"]],
  use: {
    baseURL,
    locale: "zh-CN",
    timezoneId: "Asia/Shanghai",
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      // Debian's Chromium; Playwright's own browser download is never used (no internet here).
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
        "--use-fake-device-for-media-stream",
        "--use-fake-ui-for-media-stream",
      ],
    },
  },
  webServer: [
    {
      command: "npx --no-install tsx media-server/main.ts",
      url: `${mediaURL}/healthz`,
      timeout: 60_000,
      reuseExistingServer: false,
      stdout: "ignore",
      stderr: "pipe",
      env: mediaEnv,
    },
    {
      command: "npx --no-install tsx server.ts",
      url: `${baseURL}/healthz`,
      timeout: 60_000,
      reuseExistingServer: false,
      stdout: "ignore",
      stderr: "pipe",
      env: serverEnv,
    },
  ],
});
