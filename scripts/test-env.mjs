// The one definition of the test environment: used by the set-up (seed for the test database),
// vitest's integration project and Playwright's server. Override the services with
// TEST_DATABASE_URL / TEST_REDIS_URL.
export const testEnv = {
  NODE_ENV: "test",
  DATABASE_URL: process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/mingbiao_test",
  REDIS_URL: process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379/1",
  SESSION_SECRET: "test-session-secret-0123456789-0123456789",
  COOKIE_SECURE: "false",
  MEDIA_INTERNAL_SECRET: "test-internal-secret-0123456789-0123456789",
  WITNESS_TOKEN_SECRET: "test-witness-token-secret-0123456789-012345",
  AUDIT_CHECKPOINT_EVERY_MS: "3600000",
  PKI_DIR: "var/test/pki",
  BIDS_DIR: "var/test/bids",
  UPLOADS_DIR: "var/test/uploads",
  FILES_DIR: "var/test/files",
  DEMO_KEYS_DIR: "var/test/demo-keys",
};
