// The public cache and the public gate (issue 16, decision 070) through real HTTP: the cache's
// middleware in front of the real route loaders, on the test database and Redis.
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import type { AddressInfo } from "node:net";
import express from "express";
import type pg from "pg";
import { loader as indexLoader } from "~/routes/_index.tsx";
import { loader as noticeLoader } from "~/routes/tenders.$tenderId.tsx";
import { action as newTenderAction } from "~/routes/agent.tenders.new.tsx";
import { action as agentTenderAction } from "~/routes/agent.tenders.$tenderId.tsx";
import { closeBidding } from "~/features/tenders/close-bidding.jobs.server.ts";
import { bidUploads } from "~/features/bids/upload/tus-upload.server.ts";
import { publicCache } from "~/platform/public-cache.server.ts";
import { db, disconnectDb, PUBLIC_POOL_MAX, publicSql } from "~/platform/db.server.ts";
import { closeRedis } from "~/platform/redis.server.ts";
import { closeQueues } from "~/services/jobs.server.ts";
import { args, makeActor, makeOrg, post, tenderFields, tinyPdf, upload, type Actor } from "../fixtures/publication.ts";
import { createBidder, createOpenTender, holdDocuments, sealTestBid } from "../support/bidder.ts";
import { ORIGIN, respond } from "../support/requests.ts";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "mb-public-"));
process.env.FILES_DIR = tmp;

type Loader = (a: { request: Request; params: Record<string, string>; context: object }) => Promise<unknown>;

/** Sends what a loader answered (or threw) as the Remix data response would be sent. */
function route(loader: Loader) {
  return (req: express.Request, res: express.Response, next: express.NextFunction) => {
    const request = new Request(`${ORIGIN}${req.url}`, { headers: { Cookie: req.headers.cookie ?? "" } });
    respond(() => loader({ request, params: req.params as Record<string, string>, context: {} }))
      .then(async (response) => {
        res.status(response.status);
        response.headers.forEach((value, name) => res.setHeader(name, value));
        res.end(Buffer.from(await response.arrayBuffer()));
      })
      .catch(next);
  };
}

let server: http.Server;
let base: string;
let agent: Actor;
let tendererId: string;

beforeAll(async () => {
  const app = express();
  app.use(publicCache);
  app.get("/", route(indexLoader as Loader));
  app.get("/tenders/:tenderId", route(noticeLoader as Loader));
  server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  agent = await makeActor("AGENT", "AGENT");
  tendererId = (await makeOrg("TENDERER", "缓存测试招标人")).id;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await closeQueues();
  await closeRedis();
  await disconnectDb();
  fs.rmSync(tmp, { recursive: true, force: true });
});

async function publishedTender(title: string): Promise<string> {
  const created = await respond(() =>
    newTenderAction(args(post("/agent/tenders/new", agent, tenderFields(tendererId, { title })))),
  );
  expect(created.status).toBe(302);
  const id = created.headers.get("Location")!.split("/").pop()!;
  const attached = await respond(() =>
    agentTenderAction(
      args(upload(`/agent/tenders/${id}`, agent, { intent: "upload" }, { name: "招标文件.pdf", content: tinyPdf() }), {
        tenderId: id,
      }),
    ),
  );
  expect(attached.status).toBeLessThan(400);
  const published = await respond(() =>
    agentTenderAction(args(post(`/agent/tenders/${id}`, agent, { intent: "publish" }), { tenderId: id })),
  );
  expect(published.status).toBeLessThan(400);
  expect((await db().tender.findUniqueOrThrow({ where: { id }, select: { status: true } })).status).toBe("PUBLISHED");
  return id;
}

interface NoticeBody {
  notice: { status: string; clarifications: { title: string }[] };
  viewerRole: string | null;
}

async function getNotice(id: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${base}/tenders/${id}`, { headers });
  return { res, body: res.status === 200 ? ((await res.json()) as NoticeBody) : null };
}

describe("public cache", () => {
  it("serves anonymous notices from the cache with validators, answers If-None-Match with 304, and shows a clarification and a status change at once", async () => {
    const id = await publishedTender("缓存测试：滨江路灯改造工程");

    const first = await getNotice(id);
    expect(first.res.status).toBe(200);
    expect(first.res.headers.get("x-public-cache")).toBe("MISS");
    expect(first.res.headers.get("cache-control")).toMatch(/^public/);
    expect(first.res.headers.get("last-modified")).toBeTruthy();
    const etag = first.res.headers.get("etag")!;
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect(first.body!.notice.clarifications).toEqual([]);

    const second = await getNotice(id);
    expect(second.res.headers.get("x-public-cache")).toBe("HIT");
    expect(second.res.headers.get("etag")).toBe(etag);

    const conditional = await fetch(`${base}/tenders/${id}`, { headers: { "If-None-Match": etag } });
    expect(conditional.status).toBe(304);
    expect(await conditional.text()).toBe("");
    const otherTag = await fetch(`${base}/tenders/${id}`, { headers: { "If-None-Match": '"something-else"' } });
    expect(otherTag.status).toBe(200);

    // The list shows it too (and is cached).
    const list = async () =>
      (await (await fetch(`${base}/?q=${encodeURIComponent("滨江路灯改造")}`)).json()) as {
        notices: { id: string; status: string }[];
      };
    expect((await list()).notices.find((n) => n.id === id)?.status).toBe("PUBLISHED");

    // A clarification through the agent's action: the very next anonymous request sees it.
    const clarified = await respond(() =>
      agentTenderAction(
        args(
          upload(`/agent/tenders/${id}`, agent, {
            intent: "clarify",
            title: "答疑一：灯杆基础",
            body: "灯杆基础按图集施工。",
            affectsPreparation: "on",
          }),
          { tenderId: id },
        ),
      ),
    );
    expect(clarified.status).toBeLessThan(400);
    const after = await getNotice(id);
    expect(after.res.headers.get("x-public-cache")).toBe("MISS");
    expect(after.body!.notice.clarifications.map((c) => c.title)).toEqual(["答疑一：灯杆基础"]);
    expect(after.res.headers.get("etag")).not.toBe(etag);
    const stale = await fetch(`${base}/tenders/${id}`, { headers: { "If-None-Match": etag } });
    expect(stale.status).toBe(200);

    // Closing bidding (a status change by the job) is visible at once on the notice and in the list.
    const { bidDeadline } = await db().tender.findUniqueOrThrow({ where: { id }, select: { bidDeadline: true } });
    expect(await closeBidding(id, bidDeadline!)).toMatchObject({ closed: true });
    expect((await getNotice(id)).body!.notice.status).toBe("BIDDING_CLOSED");
    expect((await list()).notices.find((n) => n.id === id)?.status).toBe("BIDDING_CLOSED");
  });

  it("never serves a signed-in visitor from the public cache, nor keeps their answer for others", async () => {
    const id = await publishedTender("缓存测试：签入访客不取共享副本");
    const bidder = await makeActor("BIDDER", "BIDDER");

    const signedIn = await getNotice(id, { Cookie: bidder.cookie });
    expect(signedIn.body!.viewerRole).toBe("BIDDER");
    expect(signedIn.res.headers.get("cache-control")).toBe("private, no-cache");
    expect(signedIn.res.headers.get("x-public-cache")).toBeNull();

    // The anonymous visitor after them gets the public page, rendered for nobody.
    const anonymous = await getNotice(id);
    expect(anonymous.body!.viewerRole).toBeNull();
    const cached = await getNotice(id);
    expect(cached.res.headers.get("x-public-cache")).toBe("HIT");

    // With an anonymous copy in the cache, the signed-in visitor still gets their own page.
    const again = await getNotice(id, { Cookie: bidder.cookie, "If-None-Match": cached.res.headers.get("etag")! });
    expect(again.res.status).toBe(200);
    expect(again.body!.viewerRole).toBe("BIDDER");
    expect(again.res.headers.get("x-public-cache")).toBeNull();
  });
});

describe("public reads under overload", () => {
  it("with the public pool held busy, public reads get 503 + Retry-After or wait, never 500, while a bid upload completes", async () => {
    const bidder = await createBidder();
    const tender = await createOpenTender();
    await holdDocuments(tender.id, bidder);
    const file = path.join(tmp, "bid.mbseal");
    await sealTestBid(file, {
      bidder,
      tender,
      readOut: { price: "880000.00" },
      document: new TextEncoder().encode("技术标".repeat(5_000)),
    });
    const bytes = new Uint8Array(fs.readFileSync(file));

    // Every connection of the public share is taken and kept.
    const held: pg.PoolClient[] = [];
    for (let i = 0; i < PUBLIC_POOL_MAX; i++) held.push(await publicSql().connect());
    try {
      // More distinct (uncached) list pages than the gate runs and queues together.
      const reads = Array.from({ length: 100 }, (_, i) => fetch(`${base}/?q=${encodeURIComponent(`过载${i}`)}`));
      const tus = (method: string, url: string, headers: Record<string, string>, body?: Uint8Array) =>
        bidUploads().handleWeb(
          new Request(`${ORIGIN}${url}`, {
            method,
            headers: { "Tus-Resumable": "1.0.0", Cookie: bidder.cookie, ...headers },
            body,
            duplex: "half",
          } as RequestInit),
        );
      const meta = [
        `tenderId ${Buffer.from(tender.id).toString("base64")}`,
        `deviceFingerprint ${Buffer.from("b".repeat(64)).toString("base64")}`,
      ].join(",");
      const created = await tus("POST", "/uploads/bids", { "Upload-Length": String(bytes.length), "Upload-Metadata": meta });
      expect(created.status).toBe(201);
      const location = new URL(created.headers.get("Location")!, ORIGIN).pathname;
      const finished = await tus(
        "PATCH",
        location,
        { "Upload-Offset": "0", "Content-Type": "application/offset+octet-stream" },
        bytes,
      );
      // The bid is received and receipted while the public share is exhausted.
      expect(finished.status).toBe(200);
      expect(((await finished.json()) as { versionId: string }).versionId).toBeTruthy();

      const answers = await Promise.all(reads);
      const statuses = answers.map((r) => r.status);
      expect(statuses.every((s) => s === 200 || s === 503)).toBe(true);
      expect(statuses.filter((s) => s === 503).length).toBeGreaterThan(0);
      for (const shed of answers.filter((r) => r.status === 503)) {
        expect(Number(shed.headers.get("retry-after"))).toBeGreaterThan(0);
        expect(shed.headers.get("cache-control")).toBe("no-store");
      }
    } finally {
      for (const c of held) c.release();
    }
    // Once the share is free again, the same kind of read succeeds.
    const res = await fetch(`${base}/?q=${encodeURIComponent("过载之后")}`);
    expect(res.status).toBe(200);
  });
});
