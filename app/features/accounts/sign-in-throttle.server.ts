import { redis } from "../../platform/redis.server.ts";

const WINDOW_SECONDS = 15 * 60;
const MAX_FAILURES = 8;

function key(email: string): string {
  return `mb:signin-fail:${email}`;
}

/** Too many failed sign-ins for this account in the window: refuse before checking the password. */
export async function signInLocked(email: string): Promise<boolean> {
  const count = Number((await redis().get(key(email))) ?? 0);
  return count >= MAX_FAILURES;
}

export async function recordSignInFailure(email: string): Promise<void> {
  const k = key(email);
  const count = await redis().incr(k);
  if (count === 1) await redis().expire(k, WINDOW_SECONDS);
}

export async function clearSignInFailures(email: string): Promise<void> {
  await redis().del(key(email));
}
