import { isLoopbackHost, weakSecretReason } from "../../crypto/index.node.ts";
import { z } from "zod";

// Parsed once per process; a missing or malformed variable stops the process with its name.
const BaseSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  HOST: z.string().default("127.0.0.1"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DATABASE_URL: z
    .string()
    .url()
    .refine((v) => /^postgres(ql)?:\/\//.test(v), "must be a postgresql:// URL"),
  REDIS_URL: z
    .string()
    .url()
    .refine((v) => v.startsWith("redis://"), "must be a redis:// URL"),
  SESSION_SECRET: z.string().min(32, "must be at least 32 characters"),
  // Cookies get the Secure flag unless explicitly served over plain HTTP (local demo, tests).
  COOKIE_SECURE: z
    .enum(["true", "false"])
    .default("true")
    .transform((v) => v === "true"),
  // Where browsers reach the platform; written into certificates' CRL distribution points.
  PUBLIC_URL: z.string().url().default("http://127.0.0.1:3000"),
  // The platform CA, signer and TSA keys (created on first start; an HSM in production).
  PKI_DIR: z.string().default("var/pki"),
  // Sealed bid envelopes (ciphertext only), and incomplete resumable uploads.
  BIDS_DIR: z.string().default("var/bids"),
  UPLOADS_DIR: z.string().default("var/uploads"),
  BID_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(2 * 1024 * 1024 * 1024),
  // 数字见证 (the media server, its own process): its health URL (unset: /healthz does not ask it),
  // where browsers reach it (signaling, playback) and where this process reaches its internal API.
  MEDIA_URL: z.string().url().optional(),
  MEDIA_PUBLIC_URL: z.string().url().default("http://127.0.0.1:3100"),
  MEDIA_INTERNAL_URL: z.string().url().default("http://127.0.0.1:3100"),
  // Bearer of the internal API both ways; required by the witness feature when it is used.
  MEDIA_INTERNAL_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  // Signs the short-lived tokens browsers present to the media server's signaling.
  WITNESS_TOKEN_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  // Keys the HMAC under which experts' ID numbers are stored (docs/decisions/080). Changing it
  // orphans every stored hash: generate once, keep with the database backups.
  EXPERT_ID_HASH_KEY: z.string().min(32, "must be at least 32 characters").optional(),
  // Behind a reverse proxy: take the client address from X-Forwarded-For (express "trust proxy").
  TRUST_PROXY: z
    .enum(["true", "false"])
    .default("false")
    .transform((v) => v === "true"),
  JOBS_ENABLED: z
    .enum(["true", "false"])
    .default("true")
    .transform((v) => v === "true"),
  // This process writes the platform heartbeat (outages from its gaps, decision 091). Only a
  // process whose clock is not the real one (a test server under libfaketime) turns it off.
  HEARTBEAT_ENABLED: z
    .enum(["true", "false"])
    .default("true")
    .transform((v) => v === "true"),
  AUDIT_CHECKPOINT_EVERY_MS: z.coerce
    .number()
    .int()
    .min(1000)
    .default(15 * 60 * 1000),
  // How often the whole audit log is re-verified; a break is audited and sent to every admin once.
  AUDIT_VERIFY_EVERY_MS: z.coerce
    .number()
    .int()
    .min(1000)
    .default(60 * 60 * 1000),
  // Uploaded tender documents, stored by content hash (docs/decisions/040).
  FILES_DIR: z.string().min(1).default("var/files"),
  // OCDS ocid prefix: ocds-<prefix>-<tender id> (docs/decisions/042).
  OCDS_PREFIX: z
    .string()
    .regex(/^[a-z0-9]{1,20}$/, "must be lowercase letters and digits")
    .default("mingbiao"),
});

const SECRETS = ["SESSION_SECRET", "MEDIA_INTERNAL_SECRET", "WITNESS_TOKEN_SECRET", "EXPERT_ID_HASH_KEY"] as const;

/**
 * Production refuses published secrets and cookies without Secure (issue 11, item 4). Plain-HTTP
 * cookies stay allowed only while the platform is reachable on loopback alone (the demo on
 * http://127.0.0.1:3000), where no network can see them.
 */
const EnvSchema = BaseSchema.superRefine((e, ctx) => {
  if (e.NODE_ENV !== "production") return;
  if (e.EXPERT_ID_HASH_KEY === undefined) {
    ctx.addIssue({
      code: "custom",
      path: ["EXPERT_ID_HASH_KEY"],
      message: "is required with NODE_ENV=production; run `npm run setup` to generate one",
    });
  }
  for (const name of SECRETS) {
    const value = e[name];
    const reason = value === undefined ? null : weakSecretReason(value);
    if (reason) ctx.addIssue({ code: "custom", path: [name], message: `${reason} (NODE_ENV=production)` });
  }
  if (!e.COOKIE_SECURE && !(isLoopbackHost(e.HOST) && isLoopbackHost(new URL(e.PUBLIC_URL).hostname))) {
    ctx.addIssue({
      code: "custom",
      path: ["COOKIE_SECURE"],
      message: `false is refused with NODE_ENV=production unless HOST and PUBLIC_URL are loopback only (HOST=${e.HOST}, PUBLIC_URL=${e.PUBLIC_URL}); serve over HTTPS and set COOKIE_SECURE=true`,
    });
  }
});

export type Env = z.infer<typeof EnvSchema>;

/** Every variable the app process reads (`.env.example` names each; env.server.test.ts checks it). */
export const ENV_KEYS = Object.keys(BaseSchema.shape) as (keyof Env)[];

export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = EnvSchema.safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid environment (see .env.example):\n${lines.join("\n")}`);
  }
  return result.data;
}

let cached: Env | undefined;

/**
 * The app process's settings: the one schema above, parsed from `process.env` at start
 * (server.ts, then startServices) and cached. `.env.example` names every variable.
 */
export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}
