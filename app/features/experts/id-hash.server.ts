import { createHmac } from "node:crypto";
import { env } from "../../platform/env.server.ts";

/**
 * 身份证号 → HMAC-SHA-256 under EXPERT_ID_HASH_KEY (docs/decisions/080). A plain hash of an ID
 * number is reversible by enumeration (birth date + region + serial is a small space); a keyed
 * one is not without the key, and still finds the same person applying twice.
 */
export function idNumberHash(idNumber: string): string {
  const key = env().EXPERT_ID_HASH_KEY;
  if (!key) throw new Error("EXPERT_ID_HASH_KEY is not set: run `npm run setup` to generate it");
  return createHmac("sha256", key).update(`MB-EXPERT-ID v1\n${idNumber.trim().toUpperCase()}`).digest("hex");
}
