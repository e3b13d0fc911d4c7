import type { Server, Socket } from "socket.io";
import { findSessionUser, sessionCookie } from "./auth/session.server.ts";

let ioServer: Server | undefined;

/**
 * Socket.io namespace `/notify`: a signed-in user's browser joins `user:<id>` and receives
 * in-app notifications (e.g. a clarification to every document holder). The session cookie
 * authenticates the handshake; anonymous connections are refused.
 */
export function attachRealtime(io: Server): void {
  ioServer = io;
  const notify = io.of("/notify");
  notify.use((socket, next) => {
    authenticate(socket)
      .then((userId) => {
        if (!userId) return next(new Error("unauthorised"));
        socket.data.userId = userId;
        return next();
      })
      .catch(() => next(new Error("unauthorised")));
  });
  notify.on("connection", (socket) => {
    void socket.join(`user:${String(socket.data.userId)}`);
  });
}

async function authenticate(socket: Socket): Promise<string | null> {
  const token: unknown = await sessionCookie.parse(socket.handshake.headers.cookie ?? null);
  // The same check as every page's: a live session of an account that is not disabled.
  return typeof token === "string" ? ((await findSessionUser(token))?.id ?? null) : null;
}

export function notifyUser(userId: string, event: string, payload: Record<string, unknown>): void {
  ioServer?.of("/notify").to(`user:${userId}`).emit(event, payload);
}
