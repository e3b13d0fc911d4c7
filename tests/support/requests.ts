// Helpers to call Remix loaders/actions directly with real Request objects, the way the
// server does, including the CSRF cookie + token pair a browser would carry.
import { randomInt } from "node:crypto";
import { csrfToken } from "~/platform/auth/csrf.server.ts";

export const ORIGIN = "http://127.0.0.1:3999";

export async function csrfPair(): Promise<{ cookie: string; token: string }> {
  const first = await csrfToken(new Request(`${ORIGIN}/`));
  if (!first.setCookie) throw new Error("expected a fresh CSRF cookie");
  const cookie = first.setCookie.split(";")[0] ?? "";
  const { token } = await csrfToken(new Request(`${ORIGIN}/`, { headers: { Cookie: cookie } }));
  return { cookie, token };
}

/**
 * A client address as server.ts sets it, a random private one for each request, so that the
 * per-address sign-in and sign-up limits never join unrelated tests into one client.
 */
export function someClientAddress(): string {
  return `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;
}

export function formRequest(path: string, fields: Record<string, string>, cookie = "", address = someClientAddress()): Request {
  const body = new URLSearchParams(fields);
  return new Request(`${ORIGIN}${path}`, {
    method: "POST",
    body,
    headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: cookie, "x-mb-remote-addr": address },
  });
}

/** Runs a Remix action or loader and returns its Response, whether it returned or threw one. */
export async function respond(fn: () => Promise<unknown>): Promise<Response> {
  try {
    const result = await fn();
    if (result instanceof Response) return result;
    throw new Error(`expected a Response, got ${typeof result}`);
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

export function cookieFrom(response: Response, name: string): string {
  const header = response.headers.get("Set-Cookie") ?? "";
  const match = new RegExp(`${name}=[^;]*`).exec(header);
  if (!match) throw new Error(`no ${name} cookie in ${header}`);
  return match[0];
}
