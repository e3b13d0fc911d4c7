import { createHash } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { gzipSync } from "node:zlib";
import type Redis from "ioredis";
import { createRedis, redis } from "./redis.server.ts";
import { Overloaded, publicGate, RETRY_AFTER_SECONDS } from "./public-gate.server.ts";
import * as clock from "./clock.server.ts";

/**
 * The public cache (docs/decisions/070): whole responses of the public pages and feeds, kept for
 * anonymous visitors in a shared Redis cache (several app nodes share it) with a one-second copy in
 * this process, validated by generation counters that a change to a tender bumps
 * (`invalidatePublicTender`, called by publication, clarification and status changes after their
 * transaction commits). Every answer carries ETag / Last-Modified and a short Cache-Control;
 * conditional requests get 304. Signed-in visitors of the pages are never served from it and
 * their answers say `private`. Renders go through the public gate, which sheds overload with 503.
 */

interface PublicRoute {
  /** "anonymous": the page shows who is signed in, so only visitors without a session share it. */
  audience: "anonymous" | "everyone";
  /** The generation whose bump makes the cached answer stale. */
  scope: string;
  cacheControl: string;
  ttlSeconds: number;
}

// The notice page is the legal notice: a clarification must show within a second, so caches must
// ask again every time (a 304 from here costs little). Lists and feeds may be a few seconds late.
export const CACHE_CONTROL = {
  notice: "public, max-age=0, must-revalidate",
  list: "public, max-age=2, stale-while-revalidate=10",
  feed: "public, max-age=30, stale-while-revalidate=120",
  crl: "public, max-age=300, stale-while-revalidate=3600",
  signedIn: "private, no-cache",
} as const;

const NOTICE_PATH = /^\/tenders\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

export function publicRoute(pathname: string): PublicRoute | null {
  if (pathname === "/" || pathname === "/results")
    return { audience: "anonymous", scope: "all", cacheControl: CACHE_CONTROL.list, ttlSeconds: 60 };
  const notice = NOTICE_PATH.exec(pathname);
  if (notice?.[1])
    return { audience: "anonymous", scope: `t:${notice[1].toLowerCase()}`, cacheControl: CACHE_CONTROL.notice, ttlSeconds: 60 };
  if (pathname === "/ocds/releases.json")
    return { audience: "everyone", scope: "all", cacheControl: CACHE_CONTROL.feed, ttlSeconds: 60 };
  if (pathname === "/pki/issuing.crl")
    return { audience: "everyone", scope: "pki", cacheControl: CACHE_CONTROL.crl, ttlSeconds: 300 };
  return null;
}

interface Entry {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  gzip: Buffer | null;
  etag: string;
  storedAt: number;
  gen: string;
}

const PREFIX = "mb:pc:";
const CHANNEL = `${PREFIX}invalidated`;
const LOCAL_MS = 1_000;
const LOCAL_MAX = 1_000;
const REDIS_WAIT_MS = 250;
const MAX_URL = 2_000;
const genKey = (scope: string) => `${PREFIX}g:${scope}`;

// ---- the process's copy: at most a second old, emptied at once by any invalidation ----------------
const local = new Map<string, { entry: Entry; until: number }>();
// Bumped by every invalidation: a render that began before one is not kept here.
let epoch = 0;

function clearLocal(): void {
  local.clear();
  epoch++;
}

function localGet(key: string, now: number): Entry | null {
  const hit = local.get(key);
  if (!hit) return null;
  if (hit.until > now) return hit.entry;
  local.delete(key);
  return null;
}

function localPut(key: string, entry: Entry, since: number): void {
  if (since !== epoch) return;
  if (local.size >= LOCAL_MAX) local.delete(local.keys().next().value as string);
  local.set(key, { entry, until: clock.nowMs() + LOCAL_MS });
}

// ---- the shared copy in Redis ---------------------------------------------------------------------
let subscriber: Redis | undefined;

/** Every node empties its own copy when any node invalidates (Redis pub/sub). */
function listen(): void {
  if (subscriber) return;
  subscriber = createRedis({ maxRetriesPerRequest: null });
  subscriber.on("error", (error: Error) => console.error("public cache: invalidation channel:", error.message));
  subscriber.on("message", () => clearLocal());
  subscriber.on("end", () => (subscriber = undefined));
  subscriber.subscribe(CHANNEL).catch((error: Error) => console.error("public cache: cannot subscribe:", error.message));
}

function withinRedisWait<T>(work: Promise<T>): Promise<T | null> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(null), REDIS_WAIT_MS);
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: Error) => {
        clearTimeout(timer);
        console.error("public cache: redis:", error.message);
        resolve(null);
      },
    );
  });
}

/** The shared entry if it is of the scope's current generation; the current generation either way. */
async function sharedGet(key: string, scope: string): Promise<{ entry: Entry | null; gen: string | null }> {
  const got = await withinRedisWait(redis().mget(`${PREFIX}e:${key}`, genKey(scope)));
  if (!got) return { entry: null, gen: null };
  const [raw, current] = got;
  const gen = current ?? "0";
  if (!raw) return { entry: null, gen };
  let stored: Omit<Entry, "body" | "gzip"> & { body: string; gzip: string | null };
  try {
    stored = JSON.parse(raw) as typeof stored;
  } catch {
    return { entry: null, gen };
  }
  if (stored.gen !== gen) return { entry: null, gen };
  return {
    entry: { ...stored, body: Buffer.from(stored.body, "base64"), gzip: stored.gzip ? Buffer.from(stored.gzip, "base64") : null },
    gen,
  };
}

function sharedPut(key: string, entry: Entry, ttlSeconds: number): void {
  const value = JSON.stringify({ ...entry, body: entry.body.toString("base64"), gzip: entry.gzip?.toString("base64") ?? null });
  void withinRedisWait(redis().set(`${PREFIX}e:${key}`, value, "EX", ttlSeconds));
}

/**
 * Makes every cached public answer that shows this tender stale, on every node, before it
 * returns: its notice page, the notice lists and the OCDS feed. Call it after the change commits
 * (a render that read the old rows then is not kept). A Redis failure is logged; the shared
 * entries then expire within their TTL (60 s), and this node's copy is emptied regardless.
 */
export async function invalidatePublicTender(tenderId: string): Promise<void> {
  await bump(["all", `t:${tenderId.toLowerCase()}`]);
}

/** The issuing CA's CRL changed (a certificate was revoked). */
export async function invalidatePublicCrl(): Promise<void> {
  await bump(["pki"]);
}

async function bump(scopes: string[]): Promise<void> {
  clearLocal();
  const multi = redis().multi();
  for (const scope of scopes) multi.incr(genKey(scope));
  multi.publish(CHANNEL, scopes.join(" "));
  try {
    await multi.exec();
  } catch (error) {
    console.error("public cache: invalidation failed, shared entries expire within their TTL:", (error as Error).message);
  }
  clearLocal();
}

// ---- HTTP ------------------------------------------------------------------------------------------
type Next = (error?: unknown) => void;

function cookieValue(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k === name) return v.join("=");
  }
  return null;
}

/** What, besides the URL, changes an anonymous page: the language cookie, normalised. */
function variantOf(req: IncomingMessage): string {
  const raw = cookieValue(req.headers.cookie, "mb_lng");
  if (!raw) return "-";
  try {
    const value: unknown = JSON.parse(Buffer.from(decodeURIComponent(raw), "base64").toString("utf8"));
    return typeof value === "string" && /^[A-Za-z-]{2,10}$/.test(value) ? value : "-";
  } catch {
    return "-";
  }
}

function signedIn(req: IncomingMessage): boolean {
  return Boolean(cookieValue(req.headers.cookie, "mb_session"));
}

function notModified(req: IncomingMessage, entry: Entry): boolean {
  const inm = req.headers["if-none-match"];
  if (inm) return inm.split(",").some((tag) => tag.trim().replace(/^W\//, "") === entry.etag || tag.trim() === "*");
  const ims = req.headers["if-modified-since"];
  if (!ims) return false;
  const since = Date.parse(ims);
  return Number.isFinite(since) && Math.floor(entry.storedAt / 1000) * 1000 <= since;
}

function acceptsGzip(req: IncomingMessage): boolean {
  return /\bgzip\b/.test(String(req.headers["accept-encoding"] ?? ""));
}

function send(req: IncomingMessage, res: ServerResponse, entry: Entry, route: PublicRoute, state: string): void {
  res.statusCode = entry.status;
  for (const [name, value] of Object.entries(entry.headers)) res.setHeader(name, value);
  res.setHeader("ETag", entry.etag);
  res.setHeader("Last-Modified", new Date(entry.storedAt).toUTCString());
  res.setHeader("Cache-Control", route.cacheControl);
  res.setHeader("Vary", route.audience === "anonymous" ? "Cookie, Accept-Encoding" : "Accept-Encoding");
  res.setHeader("X-Public-Cache", state);
  if (notModified(req, entry)) {
    res.statusCode = 304;
    res.removeHeader("Content-Type");
    res.end();
    return;
  }
  const gzip = entry.gzip && acceptsGzip(req) ? entry.gzip : null;
  if (gzip) res.setHeader("Content-Encoding", "gzip");
  const body = gzip ?? entry.body;
  res.setHeader("Content-Length", body.length);
  res.end(req.method === "HEAD" ? undefined : body);
}

function shed(res: ServerResponse): void {
  res.statusCode = 503;
  res.setHeader("Retry-After", String(RETRY_AFTER_SECONDS));
  res.setHeader("Cache-Control", "no-store");
  res.setHeader("Content-Type", "text/plain; charset=utf-8");
  res.end("访问人数较多，请稍后再试。Too many visitors right now; please try again in a moment.\n");
}

interface Captured {
  status: number;
  body: Buffer;
  /** The visitor went away before the app finished: nothing is kept. */
  aborted?: boolean;
}

/** Holds back what the app writes, so the whole answer can be hashed, kept and sent at once. */
function capture(res: ServerResponse): { done: Promise<Captured>; release: (body?: Buffer) => void } {
  const chunks: Buffer[] = [];
  const write = res.write.bind(res);
  const end = res.end.bind(res);
  const toBuffer = (chunk: unknown, encoding: unknown) =>
    Buffer.isBuffer(chunk)
      ? chunk
      : typeof chunk === "string"
        ? Buffer.from(chunk, (typeof encoding === "string" ? encoding : "utf8") as BufferEncoding)
        : Buffer.from(chunk as Uint8Array);
  let resolve!: (c: Captured) => void;
  const done = new Promise<Captured>((r) => (resolve = r));
  res.write = ((chunk: unknown, encoding?: unknown, cb?: unknown) => {
    if (chunk !== undefined && chunk !== null) chunks.push(toBuffer(chunk, encoding));
    const callback = typeof encoding === "function" ? encoding : cb;
    if (typeof callback === "function") process.nextTick(callback as () => void);
    return true;
  }) as typeof res.write;
  res.end = ((chunk?: unknown, encoding?: unknown) => {
    if (chunk !== undefined && chunk !== null && typeof chunk !== "function") chunks.push(toBuffer(chunk, encoding));
    resolve({ status: res.statusCode, body: Buffer.concat(chunks) });
    return res;
  }) as typeof res.end;
  // A visitor who leaves mid-render must not hold a place in the gate for ever.
  res.once("close", () => resolve({ status: res.statusCode, body: Buffer.concat(chunks), aborted: true }));
  const release = (body?: Buffer) => {
    res.write = write;
    res.end = end;
    if (body) end(body);
  };
  return { done, release };
}

const NOT_KEPT = new Set([
  "set-cookie",
  "content-length",
  "content-encoding",
  "transfer-encoding",
  "connection",
  "keep-alive",
  "date",
  "etag",
  "last-modified",
  "cache-control",
  "vary",
]);

function entryOf(res: ServerResponse, captured: Captured, gen: string): Entry | null {
  if (captured.aborted || captured.status !== 200 || res.getHeader("set-cookie") !== undefined) return null;
  const cc = String(res.getHeader("cache-control") ?? "");
  if (/private|no-store/.test(cc)) return null;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(res.getHeaders())) {
    if (!NOT_KEPT.has(name) && value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : String(value);
  }
  const etag = `"${createHash("sha256").update(captured.body).digest("base64url").slice(0, 27)}"`;
  const gzip = captured.body.length >= 1024 ? gzipSync(captured.body, { level: 6 }) : null;
  return { status: 200, headers, body: captured.body, gzip, etag, storedAt: clock.nowMs(), gen };
}

// One render per key at a time in this process; visitors asking meanwhile wait for its answer.
const filling = new Map<string, Promise<Entry | null>>();

/** Renders through the gate; keeps and returns the answer when it may be shared. */
async function render(
  req: IncomingMessage,
  res: ServerResponse,
  next: Next,
  route: PublicRoute,
  share: { key: string; gen: string; since: number } | null,
): Promise<Entry | null> {
  const held = capture(res);
  let captured: Captured;
  try {
    captured = await publicGate().run(async () => {
      next();
      return held.done;
    });
  } catch (error) {
    held.release();
    if (!(error instanceof Overloaded)) throw error;
    shed(res);
    return null;
  }
  // The visitor left: the app may still be writing, into the capture, which stays in place.
  if (captured.aborted) return null;
  const entry = share && req.method === "GET" ? entryOf(res, captured, share.gen) : null;
  if (entry && share) {
    for (const name of res.getHeaderNames()) res.removeHeader(name);
    held.release();
    localPut(share.key, entry, share.since);
    sharedPut(share.key, entry, route.ttlSeconds);
    send(req, res, entry, route, "MISS");
    return entry;
  }
  if (captured.status === 503 && !res.getHeader("retry-after")) res.setHeader("Retry-After", String(RETRY_AFTER_SECONDS));
  if (route.audience === "anonymous" && signedIn(req)) {
    res.setHeader("Cache-Control", CACHE_CONTROL.signedIn);
    res.setHeader("Vary", "Cookie");
  } else if (captured.status !== 200) {
    res.setHeader("Cache-Control", "no-store");
  }
  held.release(captured.body);
  return null;
}

/** Express/connect middleware in front of the Remix handler (server.ts). */
export function publicCache(req: IncomingMessage, res: ServerResponse, next: Next): void {
  if (req.method !== "GET" && req.method !== "HEAD") return next();
  const url = req.url ?? "/";
  const route = publicRoute(url.split("?")[0] ?? "/");
  if (!route) return next();
  serve(req, res, next, route, url).catch(next);
}

async function serve(req: IncomingMessage, res: ServerResponse, next: Next, route: PublicRoute, url: string): Promise<void> {
  if ((route.audience === "anonymous" && signedIn(req)) || url.length > MAX_URL) {
    await render(req, res, next, route, null);
    return;
  }
  listen();
  const key = createHash("sha1")
    .update(`${route.audience === "anonymous" ? variantOf(req) : "*"}|${url}`)
    .digest("base64url");
  const since = epoch;
  const near = localGet(key, clock.nowMs());
  if (near) return send(req, res, near, route, "HIT");
  const pending = filling.get(key);
  if (pending) {
    const entry = await pending;
    if (entry) return send(req, res, entry, route, "HIT");
    await render(req, res, next, route, null);
    return;
  }
  const fill = (async () => {
    const shared = await sharedGet(key, route.scope);
    if (shared.entry) {
      localPut(key, shared.entry, since);
      send(req, res, shared.entry, route, "HIT");
      return shared.entry;
    }
    return render(req, res, next, route, { key, gen: shared.gen ?? "?", since });
  })();
  filling.set(key, fill);
  try {
    await fill;
  } finally {
    filling.delete(key);
  }
}
