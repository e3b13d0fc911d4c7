import { redirect } from "@remix-run/node";
import type { Role } from "../../generated/prisma/enums.ts";
import { findSessionUser, readSessionToken } from "./session.server.ts";

export interface SessionUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  organizationId: string | null;
  organizationName: string | null;
}

/** The signed-in user, or null for the public. Disabled accounts count as signed out. */
export async function getUser(request: Request): Promise<SessionUser | null> {
  const token = await readSessionToken(request);
  if (!token) return null;
  const row = await findSessionUser(token);
  if (!row) return null;
  return { ...row, role: row.role as Role };
}

/**
 * The one place where roles are checked. Not signed in: redirect to sign-in (and back after).
 * Signed in with another role: 403.
 */
export async function requireUser(request: Request, roles?: readonly Role[]): Promise<SessionUser> {
  const user = await getUser(request);
  if (!user) {
    const url = new URL(request.url);
    const back = `${url.pathname}${url.search}`;
    throw redirect(`/login?redirectTo=${encodeURIComponent(back)}`);
  }
  if (roles && !roles.includes(user.role)) {
    throw new Response("Forbidden", { status: 403, statusText: "Forbidden" });
  }
  return user;
}

/** Only same-site relative paths may be redirected to after sign-in (no open redirect). */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = "/"): string {
  if (typeof to !== "string" || !to.startsWith("/") || to.startsWith("//") || to.startsWith("/\\")) {
    return fallback;
  }
  return to;
}
