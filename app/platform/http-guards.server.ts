// Express middleware that runs before any body is parsed (server.ts): the per-route body cap
// and the cross-site Origin check. Imported by server.ts directly (not through the Remix
// build), so it imports nothing from the app.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Socket } from "node:net";

type Next = (error?: unknown) => void;

/** Forms and JSON (sign-in, sign-up, every action, /internal/audit). */
export const FORM_BODY_BYTES = 1024 * 1024;
/** /internal/audit: one audit entry from the media server. */
export const INTERNAL_BODY_BYTES = 256 * 1024;
/**
 * The multipart tender document forms (agent tender page): the PDF limit of
 * tender-upload.server.ts (50 MiB, streamed to disk there) plus room for the other fields.
 */
export const DOCUMENT_FORM_BYTES = 51 * 1024 * 1024;

/**
 * The most bytes a request to this path may carry, or null when the route enforces its own
 * limits while streaming (the tus bid uploads: BID_MAX_BYTES and the tender's envelope size).
 */
export function bodyCapFor(method: string, url: string, contentType: string | undefined): number | null {
  const pathname = url.split("?")[0] ?? "";
  if (pathname === "/uploads/bids" || pathname.startsWith("/uploads/bids/")) return null;
  if (pathname.startsWith("/internal/")) return INTERNAL_BODY_BYTES;
  if (
    method === "POST" &&
    /^\/agent\/tenders\/[^/]+\/?$/.test(pathname) &&
    (contentType ?? "").startsWith("multipart/form-data")
  ) {
    return DOCUMENT_FORM_BYTES;
  }
  return FORM_BODY_BYTES;
}

/** How long a refused client may take to read the answer and hang up before it is cut off. */
const LINGER_MS = 2000;

function tooLarge(req: IncomingMessage, res: ServerResponse, cap: number): void {
  const socket = req.socket as Socket & { destroySoon?: () => void };
  // With Connection: close Node ends the socket and destroys it as soon as the answer is
  // flushed; with unread bytes in the socket that destroy is a TCP reset, which can make the
  // client lose the answer. Instead: half-close, and cut the connection off after LINGER_MS
  // (or when the client hangs up). Nothing more is read meanwhile.
  socket.destroySoon = () => {
    socket.pause();
    socket.end();
    const timer = setTimeout(() => socket.destroy(), LINGER_MS);
    timer.unref();
    socket.once("close", () => clearTimeout(timer));
  };
  if (res.headersSent) {
    socket.destroySoon();
    return;
  }
  const body = `Request body too large (limit ${cap} bytes).\n`;
  res.writeHead(413, {
    "Content-Type": "text/plain; charset=utf-8",
    "Content-Length": String(Buffer.byteLength(body)),
    Connection: "close",
  });
  res.end(body);
}

/**
 * Refuses a body over the route's cap with 413 before anything reads it, by its Content-Length:
 * at once, the body stays unread and the connection is closed. Bodies without a length are
 * counted by `countChunkedBody` as the route reads them.
 */
export function bodyLimit(capFor: typeof bodyCapFor = bodyCapFor) {
  return (req: IncomingMessage, res: ServerResponse, next: Next): void => {
    const cap = capFor(req.method ?? "GET", req.url ?? "/", req.headers["content-type"]);
    const lengthHeader = req.headers["content-length"];
    if (cap === null || lengthHeader === undefined) return next();
    // Node's parser has already refused a Content-Length that is not a number (400).
    if (Number(lengthHeader) > cap) return tooLarge(req, res, cap);
    next();
  };
}

/**
 * A body without Content-Length (chunked) is counted as the route reads it and cut off with a
 * 413 at the cap. Call it in the same tick as the handler that reads the body: the counter only
 * listens, it never changes the flow of the stream, and sees every chunk the handler sees.
 */
export function countChunkedBody(req: IncomingMessage, res: ServerResponse, capFor: typeof bodyCapFor = bodyCapFor): void {
  if (req.headers["content-length"] !== undefined || req.headers["transfer-encoding"] === undefined) return;
  const cap = capFor(req.method ?? "GET", req.url ?? "/", req.headers["content-type"]);
  if (cap === null) return;
  let seen = 0;
  const count = (chunk: Buffer) => {
    seen += chunk.length;
    if (seen <= cap) return;
    req.off("data", count);
    req.pause();
    tooLarge(req, res, cap);
  };
  req.on("data", count);
}

function originHost(origin: string): string | null {
  try {
    return new URL(origin).host;
  } catch {
    return null;
  }
}

/**
 * Defence in depth against cross-site form posts: a browser always sends Origin on POST; when
 * it names another site (or is opaque: "null") the request is refused before any action runs; a
 * malformed one is a 400. Service calls to /internal/ carry no Origin and are authenticated by bearer secret.
 */
export function sameOrigin() {
  return (req: IncomingMessage, res: ServerResponse, next: Next): void => {
    if (req.method === "GET" || req.method === "HEAD" || req.method === "OPTIONS") return next();
    const origin = req.headers.origin;
    if (!origin) return next();
    // An opaque origin (a sandboxed frame, a privacy redirect) is never this site's own form.
    const host = origin === "null" ? "null" : originHost(origin);
    if (host === null) {
      res.writeHead(400, { "Content-Type": "text/plain; charset=utf-8" });
      res.end("Malformed Origin header.\n");
      return;
    }
    if (host !== req.headers.host) {
      res.writeHead(403, { "Content-Type": "text/plain; charset=utf-8" });
      res.end("Cross-site request refused.\n");
      return;
    }
    next();
  };
}
