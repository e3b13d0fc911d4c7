// Witness tokens: the only thing media-server trusts about a browser. The app signs one after
// its own role check (supervisor of the tender, or the agent setting up the room's devices);
// media-server checks signature, expiry and the room list. HMAC-SHA256, compact form
// `base64url(JSON payload).base64url(signature)`; see README.md "Token interface".
import { createHmac, timingSafeEqual } from "node:crypto";
import { z } from "zod";

export const witnessClaimsSchema = z.object({
  sub: z.string().min(1),
  name: z.string().min(1).max(200),
  role: z.enum(["device", "supervisor"]),
  roomIds: z.array(z.string().min(1)).min(1).max(50),
  /** Expiry, seconds since the Unix epoch. */
  exp: z.number().int().positive(),
});

export type WitnessClaims = z.infer<typeof witnessClaimsSchema>;
export type WitnessRole = WitnessClaims["role"];

export type TokenCheck =
  { ok: true; claims: WitnessClaims } | { ok: false; reason: "malformed" | "bad-signature" | "expired" | "invalid-claims" };

function sign(payload: string, secret: string): string {
  return createHmac("sha256", secret).update(payload).digest("base64url");
}

export function signWitnessToken(claims: WitnessClaims, secret: string): string {
  if (secret.length < 16) throw new Error("witness token secret must be at least 16 characters");
  const payload = Buffer.from(JSON.stringify(witnessClaimsSchema.parse(claims))).toString("base64url");
  return `${payload}.${sign(payload, secret)}`;
}

export function verifyWitnessToken(
  token: string,
  secret: string,
  nowSeconds: number = Math.floor(Date.now() / 1000),
): TokenCheck {
  const parts = token.split(".");
  if (parts.length !== 2 || !parts[0] || !parts[1]) return { ok: false, reason: "malformed" };
  const [payload, signature] = parts as [string, string];
  const expected = Buffer.from(sign(payload, secret));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    return { ok: false, reason: "bad-signature" };
  }
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
  } catch {
    return { ok: false, reason: "malformed" };
  }
  const parsed = witnessClaimsSchema.safeParse(decoded);
  if (!parsed.success) return { ok: false, reason: "invalid-claims" };
  if (parsed.data.exp <= nowSeconds) return { ok: false, reason: "expired" };
  return { ok: true, claims: parsed.data };
}

/** Tokens are short-lived: the app issues one per page load. */
export function witnessTokenExpiry(ttlSeconds = 15 * 60, nowMs = Date.now()): number {
  return Math.floor(nowMs / 1000) + ttlSeconds;
}
