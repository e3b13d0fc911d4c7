import { timingSafeEqual } from "node:crypto";
import { env } from "../env.server.ts";

/** Service-to-service calls (the media server) carry `Authorization: Bearer <MEDIA_INTERNAL_SECRET>`. */
export function requireInternalCaller(request: Request): void {
  const secret = env().MEDIA_INTERNAL_SECRET;
  const header = request.headers.get("authorization") ?? "";
  const presented = header.startsWith("Bearer ") ? header.slice(7) : "";
  const a = Buffer.from(presented);
  const b = Buffer.from(secret ?? "");
  if (!secret || a.length !== b.length || !timingSafeEqual(a, b)) {
    throw new Response("Unauthorised", { status: 401 });
  }
}
