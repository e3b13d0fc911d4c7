// Bad input against a running server (production build): random form posts to every action
// route (anonymous, signed in, with and without CSRF), random tus headers on /uploads/bids and
// random socket.io payloads on /notify. Nothing may answer 5xx and the process must live.
// Bounded: FUZZ_RUNS requests in all (10 000 by default). The seed is printed; replay a failure
// with FUZZ_SEED=<seed>.
import { randomBytes, randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { io as connect, type Socket } from "socket.io-client";
import { db, disconnectDb } from "~/platform/db.server.ts";
import { closeRedis, redis } from "~/platform/redis.server.ts";
import { makeActor, makeOrg, type Actor } from "../fixtures/publication.ts";
import { startServer, type TestServer } from "../support/server.ts";

const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);
const SEED = Number(process.env.FUZZ_SEED ?? randomBytes(4).readUInt32LE(0));
const CONCURRENCY = 6;
/** A soft bound on time as well (a loaded machine sends fewer); the count sent is printed. */
const BUDGET_MS = Number(process.env.FUZZ_SECONDS ?? 150) * 1000;
/** Every finding of a failed run, with the server's log. */
const FINDINGS = "tests/.output/fuzz-findings.json";

/** mulberry32: small, seeded, good enough to pick inputs. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)] as T;
  return { next, int, pick, chance: (p: number) => next() < p };
}
type Rng = ReturnType<typeof prng>;

const FIELDS = [
  "intent",
  "csrf",
  "lng",
  "redirectTo",
  "tenderId",
  "userId",
  "id",
  "email",
  "password",
  "passwordConfirm",
  "name",
  "phone",
  "organizationName",
  "creditCode",
  "title",
  "body",
  "affectsPreparation",
  "file",
  "files",
  "status",
  "type",
  "q",
  "code",
  "procedureType",
  "mandatory",
  "tendererOrgId",
  "region",
  "description",
  "estimatedPrice",
  "bidSecurity",
  "bidValidityDays",
  "docsIssueAt",
  "docsAvailableUntil",
  "bidDeadline",
  "qualifications",
  "readOutLabel",
  "readOutKind",
  "lotCode",
  "lotName",
  "lotPrice",
  "lotSecurity",
  "evaluationMethod",
  "weightTechnical",
  "weightCommercial",
  "weightPrice",
  "benchmark",
  "coefficient",
  "criterionPart",
  "criterionName",
  "criterionPoints",
  "criterionGuidance",
  "adjustmentFactor",
  "adjustmentRule",
  "signingCsr",
  "encryptionCsr",
  "csr",
  "eventId",
  "action",
  "subject",
  "data",
  "__proto__",
  "constructor",
  "",
];
const INTENTS = [
  "save",
  "publish",
  "upload",
  "clarify",
  "remove",
  "assign",
  "start",
  "end",
  "withdraw",
  "read",
  "read-all",
  "delete",
  "",
  "x".repeat(300),
];
const STRINGS = [
  "",
  " ",
  "0",
  "-1",
  "1e309",
  "NaN",
  "null",
  "undefined",
  "true",
  "on",
  "2026-13-45T25:61",
  "2027-01-01T09:00",
  "9".repeat(40),
  "-99999999999999999999",
  "1.5",
  "0x10",
  "<script>alert(1)</script>",
  "' OR 1=1 --",
  "%00",
  "\u0000",
  "\ud800",
  "../../etc/passwd",
  "评标专家",
  "🙂".repeat(50),
  "a@b",
  "admin@demo.mingbiao.cn",
  "91310000MA1FL0000X",
  "//evil.example",
  "/\\evil",
  "{}",
  "[]",
  '{"a":',
  "x".repeat(5000),
  "LOWEST_EVALUATED_PRICE",
  "COMPREHENSIVE",
  "WORKS",
  "BIDDER",
  "zh-CN",
  "en",
  "fr",
  "-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----",
];

function randomString(rng: Rng, ids: string[]): string {
  const r = rng.int(10);
  if (r < 5) return rng.pick(STRINGS);
  if (r < 7) return rng.pick(ids);
  if (r < 8) return rng.pick(INTENTS);
  const length = rng.int(rng.chance(0.1) ? 3000 : 40);
  let s = "";
  for (let i = 0; i < length; i++) s += String.fromCharCode(rng.chance(0.8) ? 32 + rng.int(95) : rng.int(0x3000));
  return s;
}

function randomJson(rng: Rng, ids: string[], depth = 0): unknown {
  const r = rng.int(depth > 2 ? 4 : 7);
  if (r === 0) return randomString(rng, ids);
  if (r === 1) return rng.int(2 ** 31) - 2 ** 30;
  if (r === 2) return rng.chance(0.5);
  if (r === 3) return null;
  if (r === 4) return Array.from({ length: rng.int(5) }, () => randomJson(rng, ids, depth + 1));
  const o: Record<string, unknown> = {};
  for (let i = rng.int(6); i > 0; i--) o[rng.pick(FIELDS)] = randomJson(rng, ids, depth + 1);
  return o;
}

interface Context {
  base: string;
  actors: Actor[];
  tenderIds: string[];
  ids: string[];
}

interface Probe {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: BodyInit;
  describe: string;
}

function actionPath(rng: Rng, ctx: Context): string {
  const id = rng.chance(0.7) ? rng.pick(ctx.tenderIds) : rng.pick([randomUUID(), "x", "%E0%A4%A", "..", "a".repeat(300), "%00"]);
  const path = rng.pick([
    "/login",
    "/signup",
    "/logout",
    "/locale",
    "/notifications",
    "/pki/enrol",
    "/admin/supervision",
    "/agent/tenders/new",
    `/agent/tenders/${id}`,
    `/agent/tenders/${id}/witness`,
    `/bids/${id}`,
    "/internal/audit",
    `/tenders/${id}`,
    "/",
    "/account",
    `/witness/${id}`,
    `/witness/${id}/device`,
    `/witness/${id}/recording`,
    "/centre/devices",
    "/ocds/releases.json",
    "/no/such/route",
  ]);
  const query = rng.pick([
    "",
    "",
    "",
    "?index",
    `?_data=${rng.pick(["root", "routes/login", "routes/agent.tenders.$tenderId", "nope", ""])}`,
    "?redirectTo=//evil",
    "?%zz",
  ]);
  return path + query;
}

function formProbe(rng: Rng, ctx: Context): Probe {
  const actor = rng.chance(0.7) ? rng.pick(ctx.actors) : undefined;
  const path = actionPath(rng, ctx);
  const headers: Record<string, string> = {};
  // Logging out would end the shared sessions the rest of the run relies on.
  if (actor && !path.startsWith("/logout"))
    headers.Cookie = rng.chance(0.9) ? actor.cookie : `${actor.cookie}; mb_session=${randomString(rng, ctx.ids)}`;
  const csrf = actor && rng.chance(0.7) ? actor.csrf : randomString(rng, ctx.ids);
  if (rng.chance(0.1)) headers.Origin = rng.pick([ctx.base, "https://evil.example", "http://[::1", "%%", "null"]);
  if (path.startsWith("/internal/") && rng.chance(0.5))
    headers.Authorization = `Bearer ${rng.chance(0.5) ? process.env.MEDIA_INTERNAL_SECRET : randomString(rng, ctx.ids)}`;
  const fields: [string, string][] = Array.from({ length: rng.int(10) }, () => [rng.pick(FIELDS), randomString(rng, ctx.ids)]);
  fields.push(["csrf", csrf]);
  if (rng.chance(0.6)) fields.push(["intent", rng.pick(INTENTS)]);
  const kind = rng.int(10);
  let body: BodyInit;
  let describe: string;
  if (kind < 5) {
    body = new URLSearchParams(fields);
    headers["Content-Type"] = "application/x-www-form-urlencoded";
    describe = `form ${body.toString().slice(0, 300)}`;
  } else if (kind < 7) {
    const form = new FormData();
    for (const [k, v] of fields) form.append(k, v);
    if (rng.chance(0.6)) {
      const head = rng.chance(0.5) ? "%PDF-1.4\n" : "";
      form.append(
        rng.pick(["file", "files", "signingCsr"]),
        new Blob([head, randomBytes(rng.int(4096))]),
        rng.pick(["a.pdf", "", "../x.pdf", "评标.pdf", "x".repeat(300)]),
      );
    }
    body = form;
    describe = `multipart ${fields
      .map(([k, v]) => `${k}=${v.slice(0, 40)}`)
      .join("&")
      .slice(0, 300)}`;
  } else if (kind < 9) {
    const json = JSON.stringify(randomJson(rng, ctx.ids));
    body = json;
    headers["Content-Type"] = "application/json";
    describe = `json ${json.slice(0, 300)}`;
  } else {
    body = randomBytes(rng.int(2048));
    headers["Content-Type"] = rng.pick([
      "text/plain",
      "multipart/form-data",
      "multipart/form-data; boundary=x",
      "application/x-www-form-urlencoded; charset=gbk",
      "application/octet-stream",
      "*/*",
      ";;;",
    ]);
    describe = `raw bytes as ${headers["Content-Type"]}`;
  }
  const method = rng.chance(0.9) ? "POST" : rng.pick(["PUT", "PATCH", "DELETE"]);
  return { method, path, headers, body, describe };
}

function tusProbe(rng: Rng, ctx: Context, bidder: Actor): Probe {
  const id = rng.pick([
    "",
    `/${randomUUID()}`,
    `/${randomBytes(16).toString("hex")}`,
    "/..%2F..%2Fetc",
    "/%E0%A4%A",
    "/x/y",
    `/${"a".repeat(300)}`,
  ]);
  const headers: Record<string, string> = {};
  if (rng.chance(0.6)) headers.Cookie = bidder.cookie;
  else if (rng.chance(0.5)) headers.Cookie = rng.pick(ctx.actors).cookie;
  if (rng.chance(0.8)) headers["Tus-Resumable"] = rng.pick(["1.0.0", "1.0.0", "0.2.2", "", "x"]);
  const num = () =>
    rng.pick(["0", "1", "100", "-1", "1e3", "9".repeat(30), "abc", "", String(rng.int(10_000_000)), "2147483648"]);
  if (rng.chance(0.5)) headers["Upload-Length"] = num();
  if (rng.chance(0.4)) headers["Upload-Offset"] = num();
  if (rng.chance(0.2)) headers["Upload-Defer-Length"] = rng.pick(["1", "0", "x"]);
  if (rng.chance(0.2)) headers["Upload-Concat"] = rng.pick(["partial", "final;/uploads/bids/a /uploads/bids/b", "final;", "x"]);
  if (rng.chance(0.2)) headers["X-HTTP-Method-Override"] = rng.pick(["PATCH", "DELETE", "HEAD", "POST", "GET", "x"]);
  if (rng.chance(0.5)) headers["Content-Type"] = rng.pick(["application/offset+octet-stream", "text/plain", "application/json"]);
  if (rng.chance(0.6)) {
    const pairs = Array.from({ length: rng.int(5) }, () => {
      const key = rng.pick(["tenderId", "filename", "deviceFingerprint", "documentMeta", "userId", "", "é", "a b"]);
      const value = rng.pick([rng.pick(ctx.tenderIds), randomUUID(), "f".repeat(64), '{"x":1}', randomString(rng, ctx.ids)]);
      return rng.chance(0.9) ? `${key} ${Buffer.from(value).toString("base64")}` : `${key} ${value}`;
    });
    headers["Upload-Metadata"] = pairs.join(rng.pick([",", ", ", ",,", ";"]));
  }
  const method = rng.pick(["POST", "POST", "PATCH", "PATCH", "HEAD", "DELETE", "OPTIONS", "GET", "PUT"]);
  const body =
    method === "POST" || method === "PATCH" || method === "PUT"
      ? rng.chance(0.5)
        ? randomBytes(rng.int(2048))
        : undefined
      : undefined;
  return {
    method,
    path: `/uploads/bids${id}`,
    headers,
    body,
    describe: `tus ${method} ${JSON.stringify(headers).slice(0, 400)}`,
  };
}

let server: TestServer;
let ctx: Context;
let bidder: Actor;

beforeAll(async () => {
  server = await startServer({ MEDIA_INTERNAL_URL: "http://127.0.0.1:9" });
  const agent = await makeActor("AGENT", "AGENT");
  bidder = await makeActor("BIDDER", "BIDDER");
  const admin = await makeActor("ADMIN", "PLATFORM");
  const supervisor = await makeActor("SUPERVISOR", "SUPERVISION");
  const expert = await makeActor("EXPERT", "EXPERT_EMPLOYER");
  const tenderer = await makeOrg("TENDERER");
  const tender = (status: "DRAFT" | "PUBLISHED") =>
    db().tender.create({
      data: {
        code: `FZ-${randomBytes(4).toString("hex")}`,
        title: "随机输入测试项目",
        procedureType: "WORKS",
        status,
        estimatedPriceCents: 100_000_00n,
        tendererOrgId: tenderer.id,
        agentOrgId: agent.organizationId,
        createdById: agent.userId,
      },
      select: { id: true },
    });
  const tenderIds = [(await tender("DRAFT")).id, (await tender("PUBLISHED")).id];
  const actors = [agent, bidder, admin, supervisor, expert];
  ctx = {
    base: server.url,
    actors,
    tenderIds,
    ids: [...tenderIds, ...actors.map((a) => a.userId), ...actors.map((a) => a.organizationId), tenderer.id],
  };
});

afterAll(async () => {
  await server?.stop();
  // Out of the public notice list again (the end-to-end tests look for the demo tenders there).
  if (ctx) await db().tender.updateMany({ where: { id: { in: ctx.tenderIds } }, data: { status: "DRAFT" } });
  // The run's failed sign-ins and sign-ups all came from 127.0.0.1: forget them, or the
  // end-to-end tests that follow (same address, same Redis) would find it throttled.
  let cursor = "0";
  do {
    const [next, keys] = await redis().scan(cursor, "MATCH", "mb:throttle:*", "COUNT", 1000);
    if (keys.length > 0) await redis().del(...keys);
    cursor = next;
  } while (cursor !== "0");
  await closeRedis();
  await disconnectDb();
});

interface Finding {
  status: number | string;
  describe: string;
  path: string;
  body: string;
}

/** What an HTTP client can put in a header at all (bytes, no NUL, CR or LF). */
function headerSafe(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, v.replace(/[^\t\x20-\x7e\x80-\xff]/g, "").trim()]));
}

async function send(probe: Probe, findings: Finding[]): Promise<void> {
  try {
    const res = await fetch(`${ctx.base}${probe.path}`, {
      method: probe.method,
      headers: headerSafe(probe.headers),
      body: probe.body,
      redirect: "manual",
      signal: AbortSignal.timeout(30_000),
    });
    const text = probe.method === "HEAD" ? "" : await res.text();
    if (res.status >= 500) {
      findings.push({
        status: res.status,
        describe: `${JSON.stringify(headerSafe(probe.headers))} ${probe.describe}`,
        path: `${probe.method} ${probe.path}`,
        body: `${JSON.stringify([...res.headers])} ${text.slice(0, 300)}`,
      });
    }
  } catch (error) {
    // A refused connection or a reset means the server died or hung up on a valid request.
    findings.push({
      status: String((error as Error).cause ?? error),
      describe: probe.describe,
      path: `${probe.method} ${probe.path}`,
      body: "",
    });
  }
}

const RESERVED = new Set(["connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener"]);

async function socketRound(rng: Rng, count: number, findings: Finding[]): Promise<number> {
  const cookie = rng.chance(0.8) ? rng.pick(ctx.actors).cookie : `mb_session=${randomString(rng, ctx.ids)}`;
  const socket: Socket = connect(`${ctx.base}/notify`, {
    transports: [rng.pick(["websocket", "polling"])],
    extraHeaders: { Cookie: cookie },
    reconnection: false,
    timeout: 10_000,
  });
  await new Promise<void>((resolve) => {
    socket.once("connect", () => resolve());
    socket.once("connect_error", () => resolve());
  });
  for (let i = 0; i < count; i++) {
    // (The client itself refuses its reserved names: connect, disconnect, disconnecting, …)
    const event = rng.pick([
      "notification",
      "join",
      "leave",
      "message",
      "error",
      "ping",
      randomString(rng, ctx.ids).slice(0, 50) || "x",
    ]);
    if (RESERVED.has(event)) continue;
    if (socket.connected) socket.emit(event, randomJson(rng, ctx.ids), rng.chance(0.3) ? randomBytes(rng.int(1024)) : undefined);
  }
  await new Promise((r) => setTimeout(r, 20));
  socket.disconnect();
  if (!server.alive()) findings.push({ status: "died", describe: "socket.io payloads", path: "/notify", body: "" });
  return count;
}

describe("random bad input against a running server", () => {
  it(`answers ${RUNS} random requests without a 5xx and stays up (seed printed)`, { timeout: BUDGET_MS + 90_000 }, async () => {
    console.log(`fuzz: FUZZ_SEED=${SEED} FUZZ_RUNS=${RUNS}`);
    const rng = prng(SEED);
    const findings: Finding[] = [];
    const socketShare = Math.floor(RUNS * 0.1);
    const tusShare = Math.floor(RUNS * 0.2);
    const probes: Probe[] = [];
    for (let i = 0; i < tusShare; i++) probes.push(tusProbe(rng, ctx, bidder));
    for (let i = probes.length; i < RUNS - socketShare; i++) probes.push(formProbe(rng, ctx));
    // Interleaved, so that uploads, forms and sessions mix as they would in use.
    for (let i = probes.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [probes[i], probes[j]] = [probes[j]!, probes[i]!];
    }
    const started = Date.now();
    const inTime = () => Date.now() - started < BUDGET_MS;
    // Socket payloads first: they are quick, and so always part of the run.
    let sockets = 0;
    while (sockets < socketShare && server.alive() && inTime())
      sockets += await socketRound(rng, Math.min(50, socketShare - sockets), findings);
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < probes.length && server.alive() && inTime()) await send(probes[next++]!, findings);
      }),
    );
    console.log(
      `fuzz: ${next} HTTP requests and ${sockets} socket.io events in ${Math.round((Date.now() - started) / 1000)} s, ${findings.length} findings`,
    );
    expect(next + sockets).toBeGreaterThan(0);
    if (findings.length > 0) {
      fs.mkdirSync(path.dirname(FINDINGS), { recursive: true });
      fs.writeFileSync(FINDINGS, JSON.stringify({ seed: SEED, findings, log: server.output() }, null, 1));
    }
    expect(server.alive(), server.output().slice(-3000)).toBe(true);
    expect(
      findings.slice(0, 20),
      `seed ${SEED}: ${findings.length} findings (all in ${FINDINGS}); server log:\n${server.output().slice(-3000)}`,
    ).toEqual([]);
  });
});
