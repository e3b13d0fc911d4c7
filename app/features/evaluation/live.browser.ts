// The room's page, live (decision 107): joins socket.io `/notify` (the session cookie
// authenticates it) and re-reads the page's loader whenever the server says this room changed.
// The signal carries only the tender and the actions; what the page shows is the loader's, by
// role. A (re)connect re-reads too, so a reload or a dropped connection catches up; a slow
// re-read remains as the fallback for a signal the server could not send. Signals that arrive
// while a re-read is under way wait for it and are answered by one more: a busy room never
// interrupts its own re-reads (Remix would restart them) and never starves the page.
import { useRevalidator } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { io } from "socket.io-client";

/** The fallback re-read while the page is open (the socket normally makes it unnecessary). */
export const ROOM_FALLBACK_MS = 30_000;

export function useRoomLive(tenderId: string): void {
  const revalidator = useRevalidator();
  const current = useRef(revalidator);
  current.current = revalidator;
  const pending = useRef(false);
  const reread = useRef(() => {
    if (current.current.state === "idle") current.current.revalidate();
    else pending.current = true;
  });
  useEffect(() => {
    if (revalidator.state === "idle" && pending.current) {
      pending.current = false;
      revalidator.revalidate();
    }
  }, [revalidator, revalidator.state]);
  useEffect(() => {
    const socket = io("/notify", { transports: ["websocket"], withCredentials: true });
    socket.on("evaluation", (p: { tenderId?: string }) => {
      if (p.tenderId === tenderId) reread.current();
    });
    socket.on("connect", () => {
      document.body.setAttribute("data-room-live", "on");
      reread.current();
    });
    socket.on("disconnect", () => document.body.removeAttribute("data-room-live"));
    const timer = setInterval(() => reread.current(), ROOM_FALLBACK_MS);
    return () => {
      clearInterval(timer);
      socket.disconnect();
      document.body.removeAttribute("data-room-live");
    };
  }, [tenderId]);
}
