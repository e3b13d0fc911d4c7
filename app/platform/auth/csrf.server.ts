import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { createCookie } from "@remix-run/node";
import { env } from "../env.server.ts";

// Signed double-submit token: a random value in an HttpOnly cookie, and HMAC(secret, value) in
// every form. A cross-site page can neither read the cookie nor compute the HMAC.
const csrfCookie = createCookie("mb_csrf", { httpOnly: true, sameSite: "lax", path: "/" });

export const CSRF_FIELD = "csrf";

function sign(value: string): string {
  return createHmac("sha256", env().SESSION_SECRET).update(value).digest("base64url");
}

/** Token for the page's forms; returns a Set-Cookie header when the visitor has no cookie yet. */
export async function csrfToken(request: Request): Promise<{ token: string; setCookie?: string }> {
  const existing: unknown = await csrfCookie.parse(request.headers.get("Cookie"));
  if (typeof existing === "string" && existing.length >= 16) return { token: sign(existing) };
  const value = randomBytes(24).toString("base64url");
  const setCookie = await csrfCookie.serialize(value, { secure: env().COOKIE_SECURE });
  return { token: sign(value), setCookie };
}

/** Throws a 403 response when the submitted token does not match the visitor's cookie. */
export async function requireCsrf(request: Request, form: FormData): Promise<void> {
  const cookieValue: unknown = await csrfCookie.parse(request.headers.get("Cookie"));
  const submitted = form.get(CSRF_FIELD);
  if (typeof cookieValue !== "string" || typeof submitted !== "string") throw csrfFailure();
  const expected = Buffer.from(sign(cookieValue));
  const actual = Buffer.from(submitted);
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) throw csrfFailure();
}

function csrfFailure(): Response {
  return new Response("The form has expired. Reload the page and submit it again.", {
    status: 403,
    statusText: "CSRF token mismatch",
  });
}
