type TestEnvKey =
  | "DATABASE_URL"
  | "MIGRATION_DATABASE_URL"
  | "REDIS_URL"
  | "SESSION_SECRET"
  | "COOKIE_SECURE"
  | "MEDIA_INTERNAL_SECRET"
  | "WITNESS_TOKEN_SECRET"
  | "EXPERT_ID_HASH_KEY"
  | "AUDIT_CHECKPOINT_EVERY_MS"
  | "AUDIT_VERIFY_EVERY_MS"
  | "PKI_DIR"
  | "BIDS_DIR"
  | "UPLOADS_DIR"
  | "FILES_DIR"
  | "DEMO_KEYS_DIR";
export declare const testEnv: Readonly<Record<TestEnvKey, string> & { NODE_ENV: "test" }>;
export declare function appRoleUrl(ownerUrl: string): string;
