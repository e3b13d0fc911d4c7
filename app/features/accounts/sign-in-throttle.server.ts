import type Redis from "ioredis";
import { redis } from "../../platform/redis.server.ts";
import * as clock from "../../platform/clock.server.ts";

/**
 * Sign-in and sign-up throttling. Per account: failed sign-ins buy an exponentially growing
 * delay before the next attempt, never a lock-out, so a competitor who knows a bidder's email
 * cannot shut it out before a deadline (at worst it waits ACCOUNT_MAX_DELAY_S between
 * attempts). Per client address: a hard limit on failures and on sign-ups in a window.
 * Counters live in Redis, changed atomically by Lua scripts; when Redis does not answer the
 * same rules run on in-process counters, so signing in keeps working (per process only).
 */
export const ACCOUNT_WINDOW_S = 15 * 60;
/** Failures of one account that cost nothing; each one after that doubles the delay. */
export const ACCOUNT_FREE_FAILURES = 5;
export const ACCOUNT_MAX_DELAY_S = 60;
export const IP_WINDOW_S = 15 * 60;
export const IP_MAX_FAILURES = 50;
export const SIGNUP_WINDOW_S = 60 * 60;
export const SIGNUP_MAX_PER_IP = 10;
/** How long a Redis call may take before the in-process counters answer instead. */
const REDIS_TIMEOUT_MS = 500;

export type ThrottleDecision = { ok: true } | { ok: false; reason: "account" | "ip"; retryAfterSeconds: number };

/** A failure counter with the time of the last failure, its window started by the first. */
interface Counter {
  n: number;
  last: number;
  /** Time of expiry (ms). */
  until: number;
}

/** Where counters live: Redis (shared by every process) or this process's memory. */
interface CounterStore {
  /** Adds one and records `now` as the last hit; the window is (re)started for `slide` keys. */
  hit(key: string, windowS: number, now: number, slide: boolean): Promise<Counter>;
  read(key: string, now: number): Promise<Counter | null>;
  clear(key: string): Promise<void>;
  /** False while the store is known to be unreachable (then it is not even tried). */
  available(): boolean;
}

// Atomic: the increment, the time of the last hit and the expiry change together.
const HIT_SCRIPT = `
local n = redis.call('HINCRBY', KEYS[1], 'n', 1)
redis.call('HSET', KEYS[1], 'last', ARGV[2])
if n == 1 or ARGV[3] == '1' then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return {n, redis.call('PTTL', KEYS[1])}
`;

function redisStore(client: () => Redis): CounterStore {
  return {
    async hit(key, windowS, now, slide) {
      const [n, ttl] = (await client().eval(HIT_SCRIPT, 1, key, String(windowS * 1000), String(now), slide ? "1" : "0")) as [
        number,
        number,
      ];
      return { n, last: now, until: now + Math.max(ttl, 0) };
    },
    async read(key, now) {
      const replies = (await client().multi().hget(key, "n").hget(key, "last").pttl(key).exec()) ?? [];
      const [n, last, ttl] = replies.map(([error, value]) => {
        if (error) throw error;
        return value;
      }) as [string | null, string | null, number];
      if (n === null || n === undefined) return null;
      return { n: Number(n), last: Number(last ?? 0), until: now + Math.max(Number(ttl), 0) };
    },
    async clear(key) {
      await client().del(key);
    },
    available: () => !["reconnecting", "close", "end"].includes(client().status),
  };
}

const MEMORY_MAX_KEYS = 100_000;

export function memoryStore(): CounterStore {
  const counters = new Map<string, Counter>();
  const live = (key: string, now: number) => {
    const c = counters.get(key);
    if (c && c.until <= now) {
      counters.delete(key);
      return undefined;
    }
    return c;
  };
  return {
    async hit(key, windowS, now, slide) {
      const c = live(key, now);
      const next = c
        ? { n: c.n + 1, last: now, until: slide ? now + windowS * 1000 : c.until }
        : { n: 1, last: now, until: now + windowS * 1000 };
      counters.delete(key);
      counters.set(key, next);
      // Bounded: the oldest counters go first (Map keeps insertion order).
      while (counters.size > MEMORY_MAX_KEYS) counters.delete(counters.keys().next().value as string);
      return next;
    },
    async read(key, now) {
      return live(key, now) ?? null;
    },
    async clear(key) {
      counters.delete(key);
    },
    available: () => true,
  };
}

function timeout(ms: number): Promise<never> {
  return new Promise((_, reject) => setTimeout(() => reject(new Error("redis timeout")), ms).unref());
}

/** Redis first; the in-process store when Redis fails or is slow (logged once per outage). */
function fallbackStore(primary: CounterStore, secondary: CounterStore): CounterStore {
  let down = false;
  const run = async <T>(fn: (s: CounterStore) => Promise<T>): Promise<T> => {
    try {
      if (!primary.available()) throw new Error("not connected");
      const value = await Promise.race([fn(primary), timeout(REDIS_TIMEOUT_MS)]);
      if (down) console.warn("throttle: Redis answers again; using shared counters");
      down = false;
      return value;
    } catch (error) {
      if (!down) console.warn(`throttle: Redis unavailable (${(error as Error).message}); using in-process counters`);
      down = true;
      return fn(secondary);
    }
  };
  return {
    hit: (...args) => run((s) => s.hit(...args)),
    read: (key, now) => run((s) => s.read(key, now)),
    clear: (key) => run((s) => s.clear(key)),
    available: () => true,
  };
}

/** Seconds an account must wait after its n-th failure in the window. */
export function accountDelaySeconds(failures: number): number {
  if (failures < ACCOUNT_FREE_FAILURES) return 0;
  return Math.min(2 ** (failures - ACCOUNT_FREE_FAILURES), ACCOUNT_MAX_DELAY_S);
}

/** IPv4-mapped IPv6 addresses count as their IPv4 address. */
function ipKey(ip: string | undefined): string {
  const raw = (ip ?? "").trim() || "unknown";
  return raw.startsWith("::ffff:") && raw.includes(".") ? raw.slice(7) : raw.toLowerCase();
}

export interface Throttle {
  checkSignIn(who: { email: string; ip: string | undefined }, now?: Date): Promise<ThrottleDecision>;
  recordSignInFailure(who: { email: string; ip: string | undefined }, now?: Date): Promise<void>;
  /** A correct password: the account's failures are forgiven (the address's are not). */
  recordSignInSuccess(who: { email: string }): Promise<void>;
  /** Counts a sign-up attempt from this address and says whether it may go ahead. */
  admitSignUp(ip: string | undefined, now?: Date): Promise<ThrottleDecision>;
}

export function createThrottle(store: CounterStore): Throttle {
  const account = (email: string) => `mb:throttle:signin:account:${email.toLowerCase()}`;
  const address = (ip: string | undefined) => `mb:throttle:signin:ip:${ipKey(ip)}`;
  const signup = (ip: string | undefined) => `mb:throttle:signup:ip:${ipKey(ip)}`;
  const secondsUntil = (ms: number, now: number) => Math.max(1, Math.ceil((ms - now) / 1000));
  return {
    async checkSignIn({ email, ip }, now = clock.now()) {
      const t = now.getTime();
      const [byIp, byAccount] = await Promise.all([store.read(address(ip), t), store.read(account(email), t)]);
      if (byIp && byIp.n >= IP_MAX_FAILURES) return { ok: false, reason: "ip", retryAfterSeconds: secondsUntil(byIp.until, t) };
      if (byAccount) {
        const allowedAt = byAccount.last + accountDelaySeconds(byAccount.n) * 1000;
        if (allowedAt > t) return { ok: false, reason: "account", retryAfterSeconds: secondsUntil(allowedAt, t) };
      }
      return { ok: true };
    },
    async recordSignInFailure({ email, ip }, now = clock.now()) {
      const t = now.getTime();
      await Promise.all([store.hit(address(ip), IP_WINDOW_S, t, false), store.hit(account(email), ACCOUNT_WINDOW_S, t, true)]);
    },
    async recordSignInSuccess({ email }) {
      await store.clear(account(email));
    },
    async admitSignUp(ip, now = clock.now()) {
      const t = now.getTime();
      const c = await store.hit(signup(ip), SIGNUP_WINDOW_S, t, false);
      if (c.n > SIGNUP_MAX_PER_IP) return { ok: false, reason: "ip", retryAfterSeconds: secondsUntil(c.until, t) };
      return { ok: true };
    },
  };
}

/** A throttle on the given Redis client, falling back to in-process counters. */
export function createRedisThrottle(client: () => Redis): Throttle {
  return createThrottle(fallbackStore(redisStore(client), memoryStore()));
}

let shared: Throttle | undefined;

/** The process's throttle (the shared Redis connection). */
export function throttle(): Throttle {
  shared ??= createRedisThrottle(redis);
  return shared;
}
