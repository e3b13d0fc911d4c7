// Benchmark: the public pages and feeds under load (issue 16, decision 070), against the real
// server, with the same server's static asset as the baseline in the same run.
//   npx tsx tests/bench/public.bench.ts        (npm run bench:public)
// 1. Seeds BENCH_TENDERS (10 000) published tenders (and a clarification on every tenth) into its
//    own database, starts `server.ts` (production build) on a free port.
//    Every awarded one (a tenth) has its candidate publicity and result notice, half of those a
//    contract (decision 118).
// 2. autocannon, BENCH_CONNECTIONS (200) connections for BENCH_DURATION_S (15) s on each of: `/`,
//    a filtered `/?q=…`, a notice page, an OCDS page deep in the feed, `/results`, and a static asset.
// 3. Grows the database to BENCH_PLAN_TENDERS (100 000) and prints EXPLAIN ANALYZE's plan type and
//    time for the statements behind those pages (BENCH_PLANS=0 skips it).
// Own database (mingbiao_bench_public), Redis BENCH_REDIS_URL (default db 4, flushed at the start),
// own temp dirs; everything is removed at the end (BENCH_KEEP_LOG=<file> keeps the server log).
// non2xx counts answers that were not 2xx and requests not answered (autocannon errors, incl.
// its 10 s timeouts); the per-page log line splits them by status code. The last line is JSON.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { flushRedis, migrateDeploy, run } from "./bench-support.ts";
import autocannon from "autocannon";
import pg from "pg";
import { noticeListSql } from "../../app/features/tenders/public-notices.server.ts";
import { FeedQuerySchema, feedPageSql } from "../../app/features/ocds/feed.server.ts";
import { resultsListSql, ResultsQuerySchema } from "../../app/features/results/public-results.server.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const started = Date.now();
const TENDERS = positiveInt("BENCH_TENDERS", 10_000);
const PLAN_TENDERS = positiveInt("BENCH_PLAN_TENDERS", 100_000);
const CONNECTIONS = positiveInt("BENCH_CONNECTIONS", 200);
const DURATION_S = positiveInt("BENCH_DURATION_S", 15);
const PLANS = process.env.BENCH_PLANS !== "0";
const DB_NAME = "mingbiao_bench_public";
const DB_URL = `postgresql://postgres@127.0.0.1:5432/${DB_NAME}`;
const ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres";
const REDIS_URL = process.env.BENCH_REDIS_URL ?? "redis://127.0.0.1:6379/4";
const SEARCH = "道路工程";

function positiveInt(name: string, fallback: number): number {
  const v = process.env[name] === undefined ? fallback : Number(process.env[name]);
  if (!Number.isInteger(v) || v < 1) throw new Error(`${name} must be a positive integer`);
  return v;
}

function log(message: string): void {
  process.stderr.write(`[bench:public ${((Date.now() - started) / 1000).toFixed(1).padStart(6)}s] ${message}\n`);
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "mingbiao-bench-public-"));
const cleanups: (() => Promise<void> | void)[] = [() => fs.rmSync(tmp, { recursive: true, force: true })];
async function cleanup(): Promise<void> {
  for (const c of cleanups.splice(0).reverse())
    await Promise.resolve(c()).catch((e: Error) => log(`clean-up failed: ${e.message}`));
}
process.on("SIGINT", () => void cleanup().then(() => process.exit(130)));
process.on("SIGTERM", () => void cleanup().then(() => process.exit(143)));

const serverEnv: Record<string, string> = {
  NODE_ENV: "production",
  HOST: "127.0.0.1",
  DATABASE_URL: DB_URL,
  REDIS_URL,
  // A production server refuses published example secrets (crypto/secret-policy.ts).
  SESSION_SECRET: randomBytes(32).toString("base64url"),
  EXPERT_ID_HASH_KEY: randomBytes(32).toString("base64url"),
  COOKIE_SECURE: "false",
  PKI_DIR: path.join(tmp, "pki"),
  BIDS_DIR: path.join(tmp, "bids"),
  UPLOADS_DIR: path.join(tmp, "uploads"),
  FILES_DIR: path.join(tmp, "files"),
  JOBS_ENABLED: "false",
};

async function admin(statement: string): Promise<void> {
  const c = new pg.Client({ connectionString: ADMIN_URL });
  await c.connect();
  try {
    await c.query(statement);
  } finally {
    await c.end();
  }
}

async function prepareDatabase(): Promise<void> {
  await admin(`DROP DATABASE IF EXISTS "${DB_NAME}" WITH (FORCE)`);
  await admin(`CREATE DATABASE "${DB_NAME}"`);
  cleanups.push(() => admin(`DROP DATABASE IF EXISTS "${DB_NAME}" WITH (FORCE)`));
  migrateDeploy(DB_URL);
}

/**
 * Tenders `from`..`to` (1-based), published over the past year, with Chinese titles built from
 * real-sounding parts, so that searches match some and not others; a clarification on every tenth.
 */
async function seed(c: pg.Client, from: number, to: number): Promise<void> {
  await c.query(`
    INSERT INTO organization (id, name, credit_code, kind) VALUES
      ('00000000-0000-4000-8000-000000000001', '明州市城市建设投资集团有限公司', '91330200MA2BENCH01', 'TENDERER')
    ON CONFLICT DO NOTHING;
    INSERT INTO app_user (id, email, name, password_hash, role, organization_id) VALUES
      ('00000000-0000-4000-8000-000000000002', 'bench-agent@bench.mingbiao.cn', '压测代理', 'x', 'AGENT', '00000000-0000-4000-8000-000000000001')
    ON CONFLICT DO NOTHING;`);
  await c.query(
    `INSERT INTO tender (id, code, title, description, procedure_type, status, estimated_price_cents, tenderer_org_id, created_by_id,
                         docs_issue_at, docs_available_until, bid_deadline, published_at, updated_at)
     SELECT gen_random_uuid(),
            'MZ-' || (2020 + i % 7) || '-' || lpad(i::text, 6, '0'),
            (ARRAY['明州市','滨江区','东湖新区','西山县','南港开发区'])[1 + i % 5]
              || (ARRAY['滨江大道','港城路','东湖公园','第二中学','人民医院','污水处理厂','体育中心','地铁三号线'])[1 + (i / 5) % 8]
              || (ARRAY['道路工程','配套管网','改造工程','设备采购','物业服务','监理服务','绿化工程','智能化系统'])[1 + (i / 40) % 8]
              || '（' || (1 + i % 9) || '期）',
            '压测公告正文。',
            (ARRAY['WORKS','GOODS','SERVICES'])[1 + i % 3]::"ProcedureType",
            (CASE WHEN i % 10 < 7 THEN 'PUBLISHED' WHEN i % 10 < 9 THEN 'BIDDING_CLOSED' ELSE 'AWARDED' END)::"TenderStatus",
            (100000000 + i * 1000)::bigint,
            '00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002',
            now() - (i || ' minutes')::interval,
            now() - (i || ' minutes')::interval + interval '8 days',
            now() - (i || ' minutes')::interval + interval '25 days',
            now() - (i * 3 || ' minutes')::interval,
            now()
       FROM generate_series($1::int, $2::int) AS i`,
    [from, to],
  );
  await c.query(
    `INSERT INTO clarification (id, tender_id, number, title, body, affects_preparation, issued_at, previous_deadline, bid_deadline, deadline_moved, issued_by_id)
     SELECT gen_random_uuid(), t.id, 1, '澄清一', '工程量清单修正。', false, t.published_at + interval '1 day', t.bid_deadline, t.bid_deadline, false,
            '00000000-0000-4000-8000-000000000002'
       FROM tender t
      WHERE substring(t.code from 9)::int BETWEEN $1 AND $2 AND substring(t.code from 9)::int % 10 = 0`,
    [from, to],
  );
  // The results of the awarded tenders, published between the notice and now, as the publicity
  // and award features leave them (decision 113); a contract on every other one.
  await c.query(
    `INSERT INTO candidate_publicity (id, tender_id, report_sha256, report_received_at, published_at, published_by_id, starts_at, ends_at, candidates, committee)
     SELECT gen_random_uuid(), t.id, repeat('ab', 32), t.published_at + (now() - t.published_at) / 2, t.published_at + (now() - t.published_at) / 2,
            '00000000-0000-4000-8000-000000000002', t.published_at + (now() - t.published_at) / 2, t.published_at + (now() - t.published_at) / 2 + interval '3 days',
            json_build_array(json_build_object('rank', 1, 'bidderOrgId', '00000000-0000-4000-8000-000000000001', 'name', '压测中标人',
                             'priceCents', t.estimated_price_cents::text, 'score', '90.00')),
            '[]'::jsonb
       FROM tender t
      WHERE substring(t.code from 9)::int BETWEEN $1 AND $2 AND t.status = 'AWARDED'`,
    [from, to],
  );
  await c.query(
    `INSERT INTO award (id, tender_id, winner_org_id, winner_name, winner_rank, price_cents, confirmed_at, confirmed_by_id, result_notice_at,
                        contract_signed_at, contract_amount_cents, contract_recorded_at, contract_recorded_by_id)
     SELECT gen_random_uuid(), t.id, '00000000-0000-4000-8000-000000000001', '压测中标人', 1, t.estimated_price_cents,
            t.published_at + (now() - t.published_at) * 3 / 4, '00000000-0000-4000-8000-000000000002', t.published_at + (now() - t.published_at) * 3 / 4,
            CASE WHEN i % 20 = 19 THEN t.published_at + (now() - t.published_at) * 7 / 8 END,
            CASE WHEN i % 20 = 19 THEN t.estimated_price_cents END,
            CASE WHEN i % 20 = 19 THEN t.published_at + (now() - t.published_at) * 7 / 8 END,
            CASE WHEN i % 20 = 19 THEN '00000000-0000-4000-8000-000000000002'::uuid END
       FROM tender t, LATERAL (SELECT substring(t.code from 9)::int AS i) n
      WHERE n.i BETWEEN $1 AND $2 AND t.status = 'AWARDED'`,
    [from, to],
  );
  // VACUUM also moves the bulk-inserted rows out of the GIN indexes' pending lists, as autovacuum
  // would on a live system (otherwise the planner prices the trigram indexes out).
  for (const table of ["tender", "clarification", "organization", "candidate_publicity", "award"])
    await c.query(`VACUUM ANALYZE ${table}`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

function get(port: number, pathname: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: "127.0.0.1", port, path: pathname, timeout: 10_000 }, (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (d: string) => (body += d));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on("error", reject);
  });
}

async function startServer(port: number): Promise<ChildProcess> {
  const logFile = path.join(tmp, "server.log");
  // BENCH_KEEP_LOG=<file>: the server's log is copied there at the end.
  const keep = process.env.BENCH_KEEP_LOG;
  if (keep) cleanups.push(() => fs.copyFileSync(logFile, keep));
  const out = fs.openSync(logFile, "a");
  const proc = spawn(process.execPath, ["--import", "tsx", "server.ts"], {
    cwd: root,
    env: { ...process.env, ...serverEnv, PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}` },
    stdio: ["ignore", out, out],
  });
  fs.closeSync(out);
  const exited = new Promise<void>((resolve) => proc.once("exit", () => resolve()));
  cleanups.push(async () => {
    if (proc.exitCode !== null || proc.pid === undefined) return;
    process.kill(proc.pid, "SIGTERM");
    await exited;
  });
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline && proc.exitCode === null) {
    if ((await get(port, "/healthz").catch(() => ({ status: 0 }))).status === 200) return proc;
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`the server did not become healthy:\n${fs.readFileSync(logFile, "utf8").split("\n").slice(-30).join("\n")}`);
}

interface PageResult {
  path: string;
  rps: number;
  p50_ms: number;
  p99_ms: number;
  non2xx: number;
  timeouts: number;
}

async function load(port: number, pathname: string): Promise<PageResult> {
  const r = await autocannon({ url: `http://127.0.0.1:${port}${pathname}`, connections: CONNECTIONS, duration: DURATION_S });
  const result = {
    path: pathname,
    rps: Math.round(r.requests.average),
    p50_ms: r.latency.p50,
    p99_ms: r.latency.p99,
    // Not answered 2xx, or not answered at all (autocannon's errors include its 10 s timeouts).
    non2xx: r.non2xx + r.errors,
    timeouts: r.timeouts,
  };
  const codes = Object.entries((r as unknown as { statusCodeStats?: Record<string, { count: number }> }).statusCodeStats ?? {})
    .map(([code, v]) => `${code}×${v.count}`)
    .join(" ");
  log(
    `${pathname.padEnd(60)} ${String(result.rps).padStart(6)} req/s  p50 ${String(result.p50_ms).padStart(4)} ms  p99 ${String(result.p99_ms).padStart(4)} ms  non-2xx ${result.non2xx} (${codes}; errors ${r.errors}, timeouts ${r.timeouts})`,
  );
  return result;
}

interface PlanNode {
  "Node Type": string;
  "Index Name"?: string;
  Plans?: PlanNode[];
}

function planTypes(node: PlanNode): string[] {
  const here = node["Index Name"] ? `${node["Node Type"]}(${node["Index Name"]})` : node["Node Type"];
  return [here, ...(node.Plans ?? []).flatMap(planTypes)];
}

async function explain(c: pg.Client, name: string, statement: { text: string; values: unknown[] }) {
  const { rows } = await c.query<{ "QUERY PLAN": { Plan: PlanNode; "Execution Time": number }[] }>(
    `EXPLAIN (ANALYZE, FORMAT JSON) ${statement.text}`,
    statement.values,
  );
  const plan = rows[0]!["QUERY PLAN"][0]!;
  const types = planTypes(plan.Plan).filter((t) => /Scan|Sort|Limit|Append|Merge|Join|Loop/.test(t));
  const result = { name, plan: [...new Set(types)].join(" > "), ms: Math.round(plan["Execution Time"] * 100) / 100 };
  log(`  ${name.padEnd(34)} ${String(result.ms).padStart(7)} ms  ${result.plan}`);
  return result;
}

async function plans(c: pg.Client, tenders: number) {
  const half = Math.floor(tenders / 2);
  const { rows: deep } = await c.query<{ published_at: Date; id: string }>(
    "SELECT published_at, id FROM tender ORDER BY published_at DESC, id DESC OFFSET $1 LIMIT 1",
    [half],
  );
  const cursor = deep[0] ? { at: deep[0].published_at, id: deep[0].id } : undefined;
  const list = noticeListSql({ q: "" });
  const search = noticeListSql({ q: SEARCH });
  const rare = noticeListSql({ q: "MZ-2023-0420" });
  const deepList = noticeListSql({ q: "", after: cursor });
  const feed = feedPageSql(FeedQuerySchema.parse({}));
  const { rows: mid } = await c.query<{ published_at: Date; id: string }>(
    "SELECT published_at, id FROM tender ORDER BY published_at, id OFFSET $1 LIMIT 1",
    [half],
  );
  const deepFeed = feedPageSql(FeedQuerySchema.parse({ after: `${mid[0]!.published_at.toISOString()}~${mid[0]!.id}~0` }));
  const now = new Date();
  const results = resultsListSql(ResultsQuerySchema.parse({}), now);
  const resultsSearch = resultsListSql(ResultsQuerySchema.parse({ q: SEARCH }), now);
  const { rows: midResult } = await c.query<{ result_notice_at: Date; id: string }>(
    "SELECT result_notice_at, id FROM award ORDER BY result_notice_at DESC, id DESC OFFSET $1 LIMIT 1",
    [Math.floor(tenders / 20)],
  );
  const deepResults = resultsListSql(
    ResultsQuerySchema.parse({ after: `${midResult[0]!.result_notice_at.toISOString()}~${midResult[0]!.id}` }),
    now,
  );
  return [
    await explain(c, "list: first page", list.page),
    await explain(c, "list: bounded count", list.count),
    await explain(c, `list: q=${SEARCH} page`, search.page),
    await explain(c, `list: q=${SEARCH} count`, search.count),
    await explain(c, "list: q=<one code> page", rare.page),
    await explain(c, `list: page after ${half}`, deepList.page),
    await explain(c, "ocds: first page", feed),
    await explain(c, `ocds: page after ${half}`, deepFeed),
    await explain(c, "results: first page", results.page),
    await explain(c, "results: bounded count", results.count),
    await explain(c, `results: q=${SEARCH} page`, resultsSearch.page),
    await explain(c, "results: page half-way", deepResults.page),
  ];
}

async function main(): Promise<void> {
  const build = path.join(root, "build/index.js");
  if (!fs.existsSync(build)) run("flock", ["/tmp/mingbiao-build.lock", "npx", "--no-install", "remix", "build"]);
  log(`database ${DB_NAME}: drop, create, migrate deploy; Redis ${REDIS_URL}: flush`);
  await prepareDatabase();
  await flushRedis(REDIS_URL);
  const c = new pg.Client({ connectionString: DB_URL });
  await c.connect();
  cleanups.push(() => c.end());
  await seed(c, 1, TENDERS);
  log(`seeded ${TENDERS} published tenders`);

  const port = await freePort();
  await startServer(port);
  const { rows: notice } = await c.query<{ id: string }>("SELECT id FROM tender ORDER BY published_at DESC OFFSET 500 LIMIT 1");
  const { rows: mid } = await c.query<{ published_at: Date; id: string }>(
    "SELECT published_at, id FROM tender ORDER BY published_at, id OFFSET $1 LIMIT 1",
    [Math.floor(TENDERS / 2)],
  );
  const asset = fs.readdirSync(path.join(root, "public/build/_assets")).find((f) => f.endsWith(".css"));
  if (!asset) throw new Error("no static CSS asset in public/build/_assets (npx remix build)");
  const pages = [
    "/",
    `/?q=${encodeURIComponent(SEARCH)}`,
    `/tenders/${notice[0]!.id}`,
    `/ocds/releases.json?after=${encodeURIComponent(`${mid[0]!.published_at.toISOString()}~${mid[0]!.id}~0`)}`,
    "/results",
  ];
  const staticPath = `/build/_assets/${asset}`;
  for (const p of [...pages, staticPath]) {
    const res = await get(port, p);
    if (res.status !== 200) throw new Error(`warm-up: ${p} answered ${res.status}: ${res.body.slice(0, 300)}`);
  }
  log(`${CONNECTIONS} connections, ${DURATION_S} s per page; the static asset is the baseline`);
  const staticResult = await load(port, staticPath);
  const results: PageResult[] = [];
  for (const p of pages) results.push(await load(port, p));

  let planResults: Awaited<ReturnType<typeof plans>> = [];
  if (PLANS) {
    log(`growing the database to ${PLAN_TENDERS} tenders for the query plans`);
    if (PLAN_TENDERS > TENDERS) await seed(c, TENDERS + 1, PLAN_TENDERS);
    planResults = await plans(c, Math.max(PLAN_TENDERS, TENDERS));
  }

  const ratios = results.map((r) => r.rps / Math.max(1, staticResult.rps));
  const p99Ratios = results.map((r) => r.p99_ms / Math.max(1, staticResult.p99_ms));
  const non2xx = results.reduce((s, r) => s + r.non2xx, 0) + staticResult.non2xx;
  const round = (x: number) => Math.round(x * 100) / 100;
  const summary = {
    bench: "public",
    tenders: TENDERS,
    connections: CONNECTIONS,
    duration_s: DURATION_S,
    pages: results.map((r) => ({
      path: r.path,
      rps: r.rps,
      p50_ms: r.p50_ms,
      p99_ms: r.p99_ms,
      non2xx: r.non2xx,
      timeouts: r.timeouts,
    })),
    static_rps: staticResult.rps,
    static_p99_ms: staticResult.p99_ms,
    static_non2xx: staticResult.non2xx,
    min_ratio: round(Math.min(...ratios)),
    max_p99_ratio: round(Math.max(...p99Ratios)),
    non2xx,
    plans_at: PLANS ? Math.max(PLAN_TENDERS, TENDERS) : null,
    plans: planResults,
    targets_met: non2xx === 0 && Math.min(...ratios) >= 0.5 && Math.max(...p99Ratios) <= 2,
  };
  await cleanup();
  process.stdout.write(`${JSON.stringify(summary)}\n`);
}

main().catch(async (error: unknown) => {
  log(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  await cleanup();
  process.exit(1);
});
