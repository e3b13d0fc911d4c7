// .env handling of the set-up, as pure functions (scripts/dotenv.test.ts).
import { randomBytes } from "node:crypto";
import { appRoleUrl } from "./test-env.mjs";

// Shared secrets the set-up generates; crypto/secret-policy.ts refuses published ones in production.
export const SECRET_KEYS = ["SESSION_SECRET", "MEDIA_INTERNAL_SECRET", "WITNESS_TOKEN_SECRET", "EXPERT_ID_HASH_KEY"];

export function parseDotEnv(text) {
  const out = {};
  for (const line of text.split("\n")) {
    const m = /^\s*([A-Z0-9_]+)\s*=\s*(.*?)\s*$/.exec(line);
    if (m && !m[2].startsWith("#")) out[m[1]] = m[2].replace(/^"(.*)"$/, "$1");
  }
  return out;
}

function setVar(text, key, value) {
  const re = new RegExp(`^\\s*${key}\\s*=.*$`, "m");
  return re.test(text) ? text.replace(re, () => `${key}=${value}`) : `${text.trimEnd()}\n${key}=${value}\n`;
}

/**
 * `text` (a .env, or .env.example for a new one) with every missing, short or example secret
 * replaced by 32 random bytes; an older .env whose DATABASE_URL connected as the owner gets that
 * URL as MIGRATION_DATABASE_URL and the app's own role as DATABASE_URL (docs/decisions/053).
 */
export function completeDotEnv(text, current, random = () => randomBytes(32).toString("base64url")) {
  const changed = [];
  for (const key of SECRET_KEYS) {
    const value = current[key] ?? "";
    if (value.length >= 32 && !/change-?me/i.test(value)) continue;
    text = setVar(text, key, random());
    changed.push(key);
  }
  if (current.DATABASE_URL && !current.MIGRATION_DATABASE_URL) {
    text = setVar(text, "MIGRATION_DATABASE_URL", current.DATABASE_URL);
    // A URL with a password is someone's own set-up: keep it rather than guess the app role's.
    if (!new URL(current.DATABASE_URL).password) text = setVar(text, "DATABASE_URL", appRoleUrl(current.DATABASE_URL));
    changed.push("DATABASE_URL → MIGRATION_DATABASE_URL");
  }
  return { text, changed };
}
