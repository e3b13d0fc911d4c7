// Fault 3 (issue 11 item 3): Redis stops answering for 10 s (SIGSTOP of the test's own
// redis-server) while bids upload and bidders sign in. Uploads need no Redis; sign-ins wait for
// it and then succeed; nothing answers 500.
import { sleep, startApp, type AppServer } from "./harness.ts";
import { checkIntegrity, expectIntact, makeClients, report, startServices, stopServices } from "./setup.ts";

const services = await startServices();
const apps: AppServer[] = [];

afterAll(async () => {
  await stopServices(services, apps);
});

const OUTAGE_MS = 10_000;

async function signIn(base: string, email: string): Promise<{ status: number; session: boolean; ms: number }> {
  const { csrfPair } = await import("../support/requests.ts");
  const { cookie, token } = await csrfPair();
  const started = Date.now();
  const res = await fetch(`${base}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: cookie },
    body: new URLSearchParams({ email, password: "bid-password-123", csrf: token, redirectTo: "" }),
  });
  return { status: res.status, session: (res.headers.get("set-cookie") ?? "").includes("mb_session="), ms: Date.now() - started };
}

describe("Redis stopped for 10 s during uploads and sign-ins", () => {
  it("loses no bid and no sign-in: uploads complete with receipts, sign-ins succeed once Redis is back", async () => {
    const app = await startApp(services.env);
    apps.push(app);
    const clients = await makeClients(app, 5, 1);
    const { db } = await import("~/platform/db.server.ts");
    const emails = (
      await db().user.findMany({ where: { role: "BIDDER" }, orderBy: { createdAt: "desc" }, take: 5, select: { email: true } })
    ).map((u) => u.email);

    services.redis.pause();
    let redisBackAt = 0;
    const outage = sleep(OUTAGE_MS).then(() => {
      services.redis.resume();
      redisBackAt = Date.now();
    });
    const uploads = Promise.all(
      clients.map(async (c) => {
        const quarter = Math.floor(c.bytes.length / 4);
        for (let at = 0; at < 3 * quarter; at += quarter) await c.patch(at, at + quarter);
        const last = await c.patch(3 * quarter);
        return last.status === 200
          ? (JSON.parse(last.body) as Awaited<ReturnType<typeof c.resumeToReceipt>>)
          : c.resumeToReceipt();
      }),
    );
    const signIns = Promise.all(emails.map((email) => signIn(app.url, email)));
    const receipts = await uploads;
    const uploadsDoneWhileStopped = redisBackAt === 0;
    const signedIn = await signIns;
    await outage;
    const after = await signIn(app.url, emails[0]!);

    const integrity = await checkIntegrity(services, clients, receipts);
    report("stop-redis", {
      outageSeconds: OUTAGE_MS / 1000,
      uploadsDoneWhileRedisStopped: uploadsDoneWhileStopped,
      signIns: signedIn.length,
      signInStatuses: signedIn.map((s) => s.status),
      signInWaitMs: signedIn.map((s) => s.ms),
      signInsWithSession: signedIn.filter((s) => s.session).length,
      signInAfterwards: after.status,
      ...integrity,
    });
    expect(signedIn.every((s) => s.status === 302 && s.session)).toBe(true);
    expect(after.status).toBe(302);
    expectIntact(integrity);
  });
});
