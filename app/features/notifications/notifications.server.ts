import { z } from "zod";
import { db } from "../../platform/db.server.ts";
import * as clock from "../../platform/clock.server.ts";

/** In-app notifications of the signed-in user (rows written by the features that notify). */

export async function unreadCount(userId: string): Promise<number> {
  return db().notification.count({ where: { userId, readAt: null } });
}

/** Parameters a notification's body carries as JSON (older/free-text bodies come back as text). */
const ParamsSchema = z.record(z.union([z.string(), z.number(), z.boolean()]));

export async function listNotifications(userId: string, take = 100) {
  const rows = await db().notification.findMany({
    where: { userId },
    orderBy: { createdAt: "desc" },
    take,
    select: { id: true, kind: true, title: true, body: true, link: true, createdAt: true, readAt: true },
  });
  return rows.map((r) => {
    let params: Record<string, string | number | boolean> | null = null;
    try {
      const parsed = ParamsSchema.safeParse(JSON.parse(r.body));
      if (parsed.success) params = parsed.data;
    } catch {
      params = null;
    }
    return {
      id: r.id,
      kind: r.kind,
      title: r.title,
      body: params ? null : r.body,
      params,
      link: r.link,
      createdAt: r.createdAt.toISOString(),
      read: r.readAt !== null,
    };
  });
}

export const MarkReadSchema = z.union([
  z.object({ intent: z.literal("read"), id: z.string().uuid() }),
  z.object({ intent: z.literal("read-all") }),
]);

/** Marks one or all of the user's notifications read; another user's ids are never touched. */
export async function markRead(userId: string, input: z.infer<typeof MarkReadSchema>, now = clock.now()): Promise<number> {
  const where = input.intent === "read" ? { id: input.id, userId, readAt: null } : { userId, readAt: null };
  const { count } = await db().notification.updateMany({ where, data: { readAt: now } });
  return count;
}
