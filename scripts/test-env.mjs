// The one definition of the test environment: used by the set-up (seed for the test database),
// vitest's integration project and Playwright's server. Override the services with
// TEST_DATABASE_URL / TEST_REDIS_URL. The secrets are fixed and public, so crypto/secret-policy.ts
// refuses them with NODE_ENV=production (Playwright's production server gets random ones).

/** The same database as `ownerUrl`, reached as the app's own role (docs/decisions/053). */
export function appRoleUrl(ownerUrl) {
  const url = new URL(ownerUrl);
  url.username = "mingbiao_app";
  url.password = "";
  return url.toString();
}

const owner = process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/mingbiao_test";

export const testEnv = {
  NODE_ENV: "test",
  DATABASE_URL: appRoleUrl(owner),
  // The owner: migrations, the seed, and the tests that play a rogue administrator.
  MIGRATION_DATABASE_URL: owner,
  REDIS_URL: process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379/1",
  SESSION_SECRET: "test-session-secret-0123456789-0123456789",
  COOKIE_SECURE: "false",
  MEDIA_INTERNAL_SECRET: "test-internal-secret-0123456789-0123456789",
  WITNESS_TOKEN_SECRET: "test-witness-token-secret-0123456789-012345",
  EXPERT_ID_HASH_KEY: "test-expert-id-hash-key-0123456789-0123456",
  AUDIT_CHECKPOINT_EVERY_MS: "3600000",
  AUDIT_VERIFY_EVERY_MS: "3600000",
  PKI_DIR: "var/test/pki",
  BIDS_DIR: "var/test/bids",
  UPLOADS_DIR: "var/test/uploads",
  FILES_DIR: "var/test/files",
  DEMO_KEYS_DIR: "var/test/demo-keys",
};
