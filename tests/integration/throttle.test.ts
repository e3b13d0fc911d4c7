// Sign-in and sign-up throttling on real Redis: atomic counters, a growing delay per account
// (never a lock-out), a hard limit per address, and in-process counters when Redis is down.
import { randomUUID } from "node:crypto";
import Redis from "ioredis";
import { action as signIn } from "~/routes/login.tsx";
import { action as signUp } from "~/routes/signup.tsx";
import {
  ACCOUNT_FREE_FAILURES,
  ACCOUNT_MAX_DELAY_S,
  IP_MAX_FAILURES,
  SIGNUP_MAX_PER_IP,
  accountDelaySeconds,
  createRedisThrottle,
  type Throttle,
} from "~/features/accounts/sign-in-throttle.server.ts";
import { disconnectDb } from "~/platform/db.server.ts";
import { closeRedis } from "~/platform/redis.server.ts";
import { csrfPair, ORIGIN, respond } from "../support/requests.ts";

const clients: Redis[] = [];
afterAll(async () => {
  for (const c of clients) c.disconnect();
  await closeRedis();
  await disconnectDb();
});

function live(): Throttle {
  const client = new Redis(process.env.REDIS_URL!, { maxRetriesPerRequest: 1 });
  clients.push(client);
  return createRedisThrottle(() => client);
}

function dead(): Throttle {
  // Nothing listens on port 9: every command fails.
  const client = new Redis("redis://127.0.0.1:9/0", { maxRetriesPerRequest: 1, retryStrategy: () => 200 });
  client.on("error", () => {});
  clients.push(client);
  return createRedisThrottle(() => client);
}

const email = () => `t-${randomUUID()}@example.cn`;
const ip = () => `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
const at = (base: Date, seconds: number) => new Date(base.getTime() + seconds * 1000);

describe.each([
  ["Redis", live],
  ["in-process counters (Redis down)", dead],
])("sign-in throttle on %s", (_name, make) => {
  it("lets the first failures through, then asks for an exponentially growing wait capped at the maximum, never a lock", async () => {
    const t = make();
    const who = { email: email(), ip: ip() };
    const start = new Date();
    for (let i = 0; i < ACCOUNT_FREE_FAILURES - 1; i++) {
      expect(await t.checkSignIn(who, at(start, i))).toEqual({ ok: true });
      await t.recordSignInFailure(who, at(start, i));
    }
    // The failure that starts the delay.
    await t.recordSignInFailure(who, at(start, 10));
    const refused = await t.checkSignIn({ ...who, ip: ip() }, at(start, 10));
    expect(refused).toEqual({ ok: false, reason: "account", retryAfterSeconds: accountDelaySeconds(ACCOUNT_FREE_FAILURES) });
    expect(await t.checkSignIn(who, at(start, 10 + accountDelaySeconds(ACCOUNT_FREE_FAILURES)))).toEqual({ ok: true });
    // Many more failures: the wait stops growing at the cap, and passes.
    for (let i = 0; i < 30; i++) await t.recordSignInFailure(who, at(start, 20));
    const capped = await t.checkSignIn(who, at(start, 20));
    expect(capped).toEqual({ ok: false, reason: "account", retryAfterSeconds: ACCOUNT_MAX_DELAY_S });
    expect(await t.checkSignIn(who, at(start, 20 + ACCOUNT_MAX_DELAY_S))).toEqual({ ok: true });
    // A correct password forgives the account's failures.
    await t.recordSignInSuccess(who);
    expect(await t.checkSignIn(who, at(start, 21))).toEqual({ ok: true });
  });

  it("stops an address after too many failures across accounts; other addresses are unaffected", async () => {
    const t = make();
    const address = ip();
    const now = new Date();
    await Promise.all(Array.from({ length: IP_MAX_FAILURES }, () => t.recordSignInFailure({ email: email(), ip: address }, now)));
    const refused = await t.checkSignIn({ email: email(), ip: address }, now);
    expect(refused.ok === false && refused.reason).toBe("ip");
    expect(await t.checkSignIn({ email: email(), ip: ip() }, now)).toEqual({ ok: true });
  });

  it("counts concurrent failures exactly (atomic counters)", async () => {
    const t = make();
    const who = { email: email(), ip: ip() };
    const now = new Date();
    const n = ACCOUNT_FREE_FAILURES + 3;
    await Promise.all(Array.from({ length: n }, () => t.recordSignInFailure(who, now)));
    expect(await t.checkSignIn(who, now)).toEqual({ ok: false, reason: "account", retryAfterSeconds: accountDelaySeconds(n) });
  });

  it("limits sign-ups per address", async () => {
    const t = make();
    const address = ip();
    for (let i = 0; i < SIGNUP_MAX_PER_IP; i++) expect(await t.admitSignUp(address)).toEqual({ ok: true });
    const refused = await t.admitSignUp(address);
    expect(refused.ok === false && refused.reason).toBe("ip");
    expect(await t.admitSignUp(ip())).toEqual({ ok: true });
  });
});

function form(path: string, fields: Record<string, string>, cookie: string, address: string): Request {
  return new Request(`${ORIGIN}${path}`, {
    method: "POST",
    body: new URLSearchParams(fields),
    headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: cookie, "x-mb-remote-addr": address },
  });
}
const args = (request: Request) => ({ request, params: {}, context: {} });

describe("the sign-in and sign-up forms", () => {
  it("answer 429 with Retry-After once an account has failed too often, and sign in after the wait", async () => {
    const { cookie, token } = await csrfPair();
    const address = ip();
    const bidder = "bidder2@demo.mingbiao.cn";
    const attempt = (password: string) =>
      respond(() => signIn(args(form("/login", { email: bidder, password, csrf: token }, cookie, address))));
    for (let i = 0; i < ACCOUNT_FREE_FAILURES; i++) expect((await attempt("wrong-password")).status).toBe(400);
    const refused = await attempt("MingBiao-demo-2026");
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("Retry-After"))).toBeGreaterThanOrEqual(1);
    expect(((await refused.json()) as { formError: string }).formError).toBe("auth.throttledAccount");
    // Not a lock: the real bidder gets in once the short delay has passed (the counters are
    // cleared here instead of waiting for it).
    const redis = new Redis(process.env.REDIS_URL!);
    clients.push(redis);
    await redis.del(`mb:throttle:signin:account:${bidder}`);
    expect((await attempt("MingBiao-demo-2026")).status).toBe(302);
  });

  it("refuses the sign-up form from an address past its limit with 429", async () => {
    const { cookie, token } = await csrfPair();
    const address = ip();
    const post = () => respond(() => signUp(args(form("/signup", { csrf: token }, cookie, address))));
    for (let i = 0; i < SIGNUP_MAX_PER_IP; i++) expect((await post()).status).toBe(400);
    const refused = await post();
    expect(refused.status).toBe(429);
    expect(((await refused.json()) as { formError: string }).formError).toBe("auth.throttledSignUp");
  });
});
