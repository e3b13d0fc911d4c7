/**
 * Which shared secrets may not run a production process (issue 11, item 4). The set-up
 * generates random secrets into `.env` (32 random bytes, base64url); anything that is public —
 * the old `.env.example` defaults, the fixed test and bench values committed in this repository —
 * or too short or too uniform to be random is refused when NODE_ENV=production.
 */
export const KNOWN_PUBLIC_SECRETS: readonly string[] = [
  // .env.example before the set-up generated secrets.
  "change-me-this-is-only-for-the-local-demo-000",
  "change-me-internal-secret-for-the-local-demo",
  "change-me-witness-token-secret-for-the-local-demo",
  // scripts/test-env.mjs and tests/bench (committed, so known to everyone).
  "test-session-secret-0123456789-0123456789",
  "test-internal-secret-0123456789-0123456789",
  "test-witness-token-secret-0123456789-012345",
  "test-expert-id-hash-key-0123456789-0123456",
  "bench-session-secret-0123456789-0123456789",
  "bench-internal-secret-0123456789-0123456789",
];

export const MIN_SECRET_LENGTH = 32;

/** Why `value` is not fit to be a production secret, or null when it is. */
export function weakSecretReason(value: string): string | null {
  if (KNOWN_PUBLIC_SECRETS.includes(value) || /change-?me/i.test(value)) {
    return "is a published example value; run `npm run setup` to generate one (or set 32+ random characters)";
  }
  if (value.length < MIN_SECRET_LENGTH) return `must be at least ${MIN_SECRET_LENGTH} random characters in production`;
  if (new Set(value).size < 10) return "does not look random (too few distinct characters); generate one with `npm run setup`";
  return null;
}

const LOOPBACK = new Set(["127.0.0.1", "localhost", "::1", "[::1]"]);

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK.has(host.toLowerCase()) || /^127\.\d+\.\d+\.\d+$/.test(host);
}
