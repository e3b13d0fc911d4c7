import { defineConfig } from "vitest/config";
import path from "node:path";

const alias = { "~": path.resolve(__dirname, "app") };
const testDatabaseUrl =
  process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/mingbiao_test";
const testRedisUrl = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379/1";

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
          env: {
            NODE_ENV: "test",
            DATABASE_URL: testDatabaseUrl,
            REDIS_URL: testRedisUrl,
            SESSION_SECRET: "integration-test-session-secret-0123456789",
            COOKIE_SECURE: "false",
            MEDIA_INTERNAL_SECRET: "integration-test-internal-secret-0123456789",
            AUDIT_CHECKPOINT_EVERY_MS: "3600000",
            PKI_DIR: "var/test-pki",
            BIDS_DIR: "var/test-bids",
            UPLOADS_DIR: "var/test-uploads",
          },
        },
      },
    ],
  },
});
