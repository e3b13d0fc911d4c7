import { defineConfig } from "vitest/config";
import path from "node:path";
import { testEnv } from "./scripts/test-env.mjs";

const alias = { "~": path.resolve(__dirname, "app") };

// Two projects: `unit` (pure, fast, no services) and `integration` (real PostgreSQL, Redis,
// Chromium, mediasoup worker). End-to-end browser tests are Playwright's (playwright.config.ts).
export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: "unit",
          globals: true,
          environment: "node",
          include: ["{app,bidding-core,crypto,media-server,scripts}/**/*.test.ts"],
          exclude: ["**/*.int.test.ts", "**/node_modules/**"],
        },
      },
      {
        resolve: { alias },
        test: {
          name: "integration",
          globals: true,
          environment: "node",
          include: ["tests/integration/**/*.test.ts", "**/*.int.test.ts"],
          exclude: ["**/node_modules/**"],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // One file at a time: integration tests share the test database and Redis.
          pool: "forks",
          poolOptions: { forks: { singleFork: true } },
          env: testEnv,
        },
      },
      {
        resolve: { alias },
        test: {
          // Fault tests (tests/faults/): each file starts its own PostgreSQL cluster, Redis and
          // app server (production build) and kills or stops them (issue 11 item 3).
          name: "faults",
          globals: true,
          environment: "node",
          include: ["tests/faults/**/*.test.ts"],
          testTimeout: 180_000,
          hookTimeout: 180_000,
          pool: "forks",
          poolOptions: { forks: { singleFork: true } },
          env: testEnv,
        },
      },
    ],
  },
});
