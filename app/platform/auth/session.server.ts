import { createHash, randomBytes } from "node:crypto";
import { createCookie } from "@remix-run/node";
import { db, sql } from "../db.server.ts";
import { env } from "../env.server.ts";
import * as clock from "../clock.server.ts";

const SESSION_DAYS = 7;

// HttpOnly + SameSite=Lax: scripts cannot read it and cross-site POSTs do not carry it.
export const sessionCookie = createCookie("mb_session", {
  httpOnly: true,
  sameSite: "lax",
  path: "/",
  maxAge: SESSION_DAYS * 24 * 3600,
});

function tokenHash(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export async function createSession(userId: string, meta: { ip?: string; userAgent?: string }): Promise<string> {
  const token = randomBytes(32).toString("base64url");
  await db().session.create({
    data: {
      id: tokenHash(token),
      userId,
      expiresAt: new Date(clock.nowMs() + SESSION_DAYS * 24 * 3600 * 1000),
      ip: meta.ip,
      userAgent: meta.userAgent?.slice(0, 300),
    },
  });
  return sessionCookie.serialize(token, { secure: env().COOKIE_SECURE });
}

export async function readSessionToken(request: Request): Promise<string | null> {
  const value: unknown = await sessionCookie.parse(request.headers.get("Cookie"));
  return typeof value === "string" && value.length > 0 ? value : null;
}

export interface SessionRow {
  id: string;
  email: string;
  name: string;
  role: string;
  organizationId: string | null;
  organizationName: string | null;
}

/**
 * The user of a live session with their organisation's name, in one statement (asked on nearly
 * every request): null for an unknown or expired session or a disabled account.
 */
export async function findSessionUser(token: string, now = clock.now()): Promise<SessionRow | null> {
  const { rows } = await sql().query<SessionRow>(
    `SELECT u.id, u.email, u.name, u.role::text AS role, u.organization_id AS "organizationId", o.name AS "organizationName"
       FROM session s
       JOIN app_user u ON u.id = s.user_id
       LEFT JOIN organization o ON o.id = u.organization_id
      WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.disabled_at IS NULL`,
    [tokenHash(token), now],
  );
  return rows[0] ?? null;
}

export async function destroySession(request: Request): Promise<string> {
  const token = await readSessionToken(request);
  if (token) await db().session.deleteMany({ where: { id: tokenHash(token) } });
  return sessionCookie.serialize("", { maxAge: 0, secure: env().COOKIE_SECURE });
}
