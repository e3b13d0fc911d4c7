// Signing in must keep working when Redis is down: the throttle falls back to in-process
// counters (and still throttles). Nothing listens on port 9.
import { action as signIn } from "~/routes/login.tsx";
import { disconnectDb } from "~/platform/db.server.ts";
import { closeRedis } from "~/platform/redis.server.ts";
import { ACCOUNT_FREE_FAILURES } from "~/features/accounts/sign-in-throttle.server.ts";
import { csrfPair, ORIGIN, respond } from "../support/requests.ts";

const realRedisUrl = process.env.REDIS_URL;
process.env.REDIS_URL = "redis://127.0.0.1:9/0";

afterAll(async () => {
  await closeRedis();
  await disconnectDb();
  process.env.REDIS_URL = realRedisUrl;
});

function attempt(email: string, password: string, cookie: string, token: string) {
  const request = new Request(`${ORIGIN}/login`, {
    method: "POST",
    body: new URLSearchParams({ email, password, csrf: token }),
    headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: cookie, "x-mb-remote-addr": "10.9.9.9" },
  });
  return respond(() => signIn({ request, params: {}, context: {} }));
}

describe("sign-in with Redis down", () => {
  it("signs a user in, and still delays an account that keeps failing", async () => {
    const { cookie, token } = await csrfPair();
    const ok = await attempt("bidder3@demo.mingbiao.cn", "MingBiao-demo-2026", cookie, token);
    expect(ok.status).toBe(302);
    expect(ok.headers.get("Set-Cookie")).toMatch(/mb_session=/);
    for (let i = 0; i < ACCOUNT_FREE_FAILURES; i++)
      expect((await attempt("expert1@demo.mingbiao.cn", "wrong", cookie, token)).status).toBe(400);
    expect((await attempt("expert1@demo.mingbiao.cn", "MingBiao-demo-2026", cookie, token)).status).toBe(429);
  });
});
