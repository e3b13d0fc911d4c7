import { useRevalidator } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { io } from "socket.io-client";

/**
 * Live in-app notifications: a signed-in browser joins socket.io `/notify` (the session cookie
 * authenticates it, app/realtime.server.ts) and re-runs the loaders when a notification arrives,
 * so the header badge and the notifications page update without a reload.
 */
export function LiveNotifications({ enabled }: { enabled: boolean }) {
  const revalidator = useRevalidator();
  const revalidate = useRef(revalidator.revalidate);
  revalidate.current = revalidator.revalidate;
  useEffect(() => {
    if (!enabled) return;
    const socket = io("/notify", { transports: ["websocket"], withCredentials: true });
    socket.on("notification", () => revalidate.current());
    // Marks the page as listening (for tests and debugging).
    socket.on("connect", () => document.body.setAttribute("data-notify", "connected"));
    socket.on("disconnect", () => document.body.removeAttribute("data-notify"));
    return () => {
      socket.disconnect();
    };
  }, [enabled]);
  return null;
}
