import { action as signUp } from "~/routes/signup.tsx";
import { action as signIn } from "~/routes/login.tsx";
import { action as signOut } from "~/routes/logout.tsx";
import { getUser, requireUser } from "~/platform/auth/auth.server.ts";
import { db, disconnectDb } from "~/platform/db.server.ts";
import { closeRedis } from "~/platform/redis.server.ts";
import { cookieFrom, csrfPair, formRequest, ORIGIN, respond } from "../support/requests.ts";
import { randomCreditCode, uniqueEmail } from "../support/ids.ts";

afterAll(async () => {
  await closeRedis();
  await disconnectDb();
});

function signUpFields(overrides: Record<string, string> = {}) {
  return {
    organizationName: "测试建设有限公司",
    creditCode: randomCreditCode(),
    name: "测试员",
    email: uniqueEmail("bidder"),
    phone: "13900139000",
    password: "a-long-enough-password",
    passwordConfirm: "a-long-enough-password",
    ...overrides,
  };
}

const args = (request: Request) => ({ request, params: {}, context: {} });

describe("bidder accounts", () => {
  it("refuses a form without the CSRF token (403) and stores nothing", async () => {
    const fields = signUpFields();
    const res = await respond(() => signUp(args(formRequest("/signup", fields))));
    expect(res.status).toBe(403);
    expect(await db().user.count({ where: { email: fields.email } })).toBe(0);
  });

  it("answers invalid input with 400 and field messages", async () => {
    const { cookie, token } = await csrfPair();
    const res = await respond(() =>
      signUp(args(formRequest("/signup", { ...signUpFields({ phone: "12345" }), csrf: token }, cookie))),
    );
    expect(res.status).toBe(400);
    const body = (await res.json()) as { fieldErrors: Record<string, string> };
    expect(body.fieldErrors.phone).toBe("validation.phone");
  });

  it("registers a bidder, signs it in, audits it, and refuses a second sign-up of the same organisation", async () => {
    const { cookie, token } = await csrfPair();
    const fields = signUpFields();
    const res = await respond(() => signUp(args(formRequest("/signup", { ...fields, csrf: token }, cookie))));
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/account");
    const session = cookieFrom(res, "mb_session");
    const user = await getUser(new Request(`${ORIGIN}/account`, { headers: { Cookie: session } }));
    expect(user).toMatchObject({ email: fields.email, role: "BIDDER", organizationName: fields.organizationName });
    const audit = await db().auditEntry.findFirst({
      where: { action: "account.bidder_registered", subjectId: user!.organizationId! },
    });
    expect(audit).not.toBeNull();

    const again = await respond(() =>
      signUp(args(formRequest("/signup", { ...signUpFields({ creditCode: fields.creditCode }), csrf: token }, cookie))),
    );
    expect(again.status).toBe(409);
    expect(((await again.json()) as { fieldErrors: Record<string, string> }).fieldErrors.creditCode).toBe("auth.creditCodeTaken");
  });

  it("counts an expired session or a disabled account as signed out", async () => {
    const { cookie, token } = await csrfPair();
    const fields = signUpFields();
    const res = await respond(() => signUp(args(formRequest("/signup", { ...fields, csrf: token }, cookie))));
    const session = cookieFrom(res, "mb_session");
    const asked = () => getUser(new Request(`${ORIGIN}/account`, { headers: { Cookie: session } }));
    const user = await asked();
    expect(user).toMatchObject({ email: fields.email });
    await db().user.update({ where: { id: user!.id }, data: { disabledAt: new Date() } });
    expect(await asked()).toBeNull();
    await db().user.update({ where: { id: user!.id }, data: { disabledAt: null } });
    expect(await asked()).toMatchObject({ email: fields.email });
    await db().session.updateMany({ where: { userId: user!.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await asked()).toBeNull();
  });

  it("signs in with the right password only, and signing out ends the session", async () => {
    const { cookie, token } = await csrfPair();
    const fields = signUpFields();
    await respond(() => signUp(args(formRequest("/signup", { ...fields, csrf: token }, cookie))));

    const wrong = await respond(() =>
      signIn(args(formRequest("/login", { email: fields.email, password: "not-the-password", csrf: token }, cookie))),
    );
    expect(wrong.status).toBe(400);

    const ok = await respond(() =>
      signIn(
        args(
          formRequest(
            "/login",
            { email: fields.email.toUpperCase(), password: fields.password, redirectTo: "//evil.example", csrf: token },
            cookie,
          ),
        ),
      ),
    );
    expect(ok.status).toBe(302);
    expect(ok.headers.get("Location")).toBe("/account");
    const session = cookieFrom(ok, "mb_session");
    const withSession = `${cookie}; ${session}`;
    expect(await getUser(new Request(`${ORIGIN}/`, { headers: { Cookie: withSession } }))).not.toBeNull();

    const out = await respond(() => signOut(args(formRequest("/logout", { csrf: token }, withSession))));
    expect(out.status).toBe(302);
    expect(await getUser(new Request(`${ORIGIN}/`, { headers: { Cookie: withSession } }))).toBeNull();
  });

  it("locks an account after repeated wrong passwords", async () => {
    const { cookie, token } = await csrfPair();
    const fields = signUpFields();
    await respond(() => signUp(args(formRequest("/signup", { ...fields, csrf: token }, cookie))));
    for (let i = 0; i < 8; i++) {
      await respond(() =>
        signIn(args(formRequest("/login", { email: fields.email, password: `wrong-${i}`, csrf: token }, cookie))),
      );
    }
    const locked = await respond(() =>
      signIn(args(formRequest("/login", { email: fields.email, password: fields.password, csrf: token }, cookie))),
    );
    expect(locked.status).toBe(429);
  });

  it("role checks: anonymous users are sent to sign-in, other roles get 403", async () => {
    const anon = await respond(() => requireUser(new Request(`${ORIGIN}/agent/tenders?x=1`), ["AGENT"]));
    expect(anon.status).toBe(302);
    expect(anon.headers.get("Location")).toBe("/login?redirectTo=%2Fagent%2Ftenders%3Fx%3D1");

    const { cookie, token } = await csrfPair();
    const res = await respond(() => signUp(args(formRequest("/signup", { ...signUpFields(), csrf: token }, cookie))));
    const session = cookieFrom(res, "mb_session");
    const forbidden = await respond(() => requireUser(new Request(`${ORIGIN}/x`, { headers: { Cookie: session } }), ["AGENT"]));
    expect(forbidden.status).toBe(403);
  });
});
