// Environment of the media-server process, parsed once at start. A bad variable stops the
// process with its name (conventions: env is validated at the boundary).
import os from "node:os";
import path from "node:path";
import { z } from "zod";
import { weakSecretReason } from "../crypto/secret-policy.ts";
import { workerBinaryPath } from "./scripts/build-worker.mjs";

const port = z.coerce.number().int().min(0).max(65535);

export const mediaEnvSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    MEDIA_PORT: port.default(3100),
    MEDIA_BIND: z.string().ip().default("127.0.0.1"),
    MEDIA_ANNOUNCED_IP: z.string().ip().default("127.0.0.1"),
    MEDIA_RTC_MIN_PORT: port.default(40000),
    MEDIA_RTC_MAX_PORT: port.default(49999),
    MEDIA_WORKERS: z.coerce.number().int().min(1).max(64).default(os.cpus().length),
    MEDIA_INTERNAL_SECRET: z.string().min(16, "at least 16 characters"),
    WITNESS_TOKEN_SECRET: z.string().min(16, "at least 16 characters"),
    // Defaults to the binary cached by scripts/build-worker.mjs.
    MEDIASOUP_WORKER_BIN: z.string().min(1).default(workerBinaryPath()),
    RECORDINGS_DIR: z.string().default(path.resolve("var/recordings")),
    RECORDING_SEGMENT_SECONDS: z.coerce.number().min(1).max(3600).default(60),
    AUDIT_SPOOL_DIR: z.string().default(path.resolve("var/media-audit-spool")),
    APP_INTERNAL_URL: z.string().url().optional(),
    FFMPEG_BIN: z.string().default("ffmpeg"),
  })
  .refine((env) => env.MEDIA_RTC_MIN_PORT < env.MEDIA_RTC_MAX_PORT, {
    message: "MEDIA_RTC_MIN_PORT must be below MEDIA_RTC_MAX_PORT",
    path: ["MEDIA_RTC_MIN_PORT"],
  })
  // Production refuses published secrets (issue 11, item 4; crypto/secret-policy.ts).
  .superRefine((env, ctx) => {
    if (env.NODE_ENV !== "production") return;
    for (const name of ["MEDIA_INTERNAL_SECRET", "WITNESS_TOKEN_SECRET"] as const) {
      const reason = weakSecretReason(env[name]);
      if (reason) ctx.addIssue({ code: "custom", path: [name], message: `${reason} (NODE_ENV=production)` });
    }
  });

export type MediaEnv = z.infer<typeof mediaEnvSchema>;

export function parseMediaEnv(source: NodeJS.ProcessEnv): MediaEnv {
  const result = mediaEnvSchema.safeParse(source);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
  throw new Error(`media-server: invalid environment\n${lines.join("\n")}`);
}
