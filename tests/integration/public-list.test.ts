// The public notice list pages by keyset (decision 070): forwards and backwards through a search,
// every notice once, newest first; LIKE wildcards in the search are taken literally.
import { randomUUID } from "node:crypto";
import { loader as indexLoader } from "~/routes/_index.tsx";
import { db, disconnectDb } from "~/platform/db.server.ts";
import { closeRedis } from "~/platform/redis.server.ts";
import { args, get, makeActor, makeOrg } from "../fixtures/publication.ts";
import { respond } from "../support/requests.ts";

afterAll(async () => {
  await closeRedis();
  await disconnectDb();
});

interface ListBody {
  notices: { id: string; title: string }[];
  total: number;
  totalIsBound: boolean;
  older: string | null;
  newer: string | null;
}

async function list(search: string): Promise<ListBody> {
  const res = await respond(() => indexLoader(args(get(`/?${search}`))));
  expect(res.status).toBe(200);
  return (await res.json()) as ListBody;
}

describe("public notice list (keyset)", () => {
  it("walks a search forwards and back by cursor: every notice once, newest first, same publication time broken by id", async () => {
    const token = `键集${randomUUID().slice(0, 6)}`;
    const agent = await makeActor("AGENT", "AGENT");
    const tenderer = await makeOrg("TENDERER");
    // Published long ago, so they sit at the end of the shared test database's list (the
    // end-to-end tests look for the demo tenders on its first page); removed at the end.
    const base = Date.UTC(2020, 0, 6);
    // 45 notices; pairs share a publication time, so the id must order them.
    const data = Array.from({ length: 45 }, (_, i) => ({
      code: `KS-${token}-${String(i).padStart(2, "0")}`,
      title: `${token}道路工程 ${i}`,
      procedureType: "WORKS" as const,
      status: "PUBLISHED" as const,
      estimatedPriceCents: 1_000_000n,
      tendererOrgId: tenderer.id,
      createdById: agent.userId,
      publishedAt: new Date(base + Math.floor(i / 2) * 60_000),
      bidDeadline: new Date(Date.now() + 30 * 86_400_000),
    }));
    await db().tender.createMany({ data });
    // A draft with the token is never listed.
    await db().tender.create({ data: { ...data[0]!, code: `KS-${token}-draft`, status: "DRAFT", publishedAt: null } });
    const expected = (
      await db().tender.findMany({
        where: { title: { startsWith: token }, status: "PUBLISHED" },
        orderBy: [{ publishedAt: "desc" }, { id: "desc" }],
        select: { id: true },
      })
    ).map((t) => t.id);
    expect(expected).toHaveLength(45);

    const q = `q=${encodeURIComponent(token)}`;
    const pages: ListBody[] = [await list(q)];
    expect(pages[0]!.total).toBe(45);
    expect(pages[0]!.totalIsBound).toBe(false);
    expect(pages[0]!.newer).toBeNull();
    while (pages.at(-1)!.older) pages.push(await list(`${q}&after=${encodeURIComponent(pages.at(-1)!.older!)}`));
    expect(pages.map((p) => p.notices.length)).toEqual([20, 20, 5]);
    expect(pages.flatMap((p) => p.notices.map((n) => n.id))).toEqual(expected);

    // Back from the last page: the middle page again, then the first (which has nothing newer).
    const back = await list(`${q}&before=${encodeURIComponent(pages[2]!.newer!)}`);
    expect(back.notices.map((n) => n.id)).toEqual(pages[1]!.notices.map((n) => n.id));
    const top = await list(`${q}&before=${encodeURIComponent(back.newer!)}`);
    expect(top.notices.map((n) => n.id)).toEqual(pages[0]!.notices.map((n) => n.id));
    expect(top.newer).toBeNull();
    expect(top.older).toBe(pages[0]!.older);

    // `%` and `_` are literal; a malformed cursor falls back to the unfiltered first page (never a 500).
    expect((await list(`q=${encodeURIComponent(`${token}%`)}`)).total).toBe(0);
    expect((await list(`q=${encodeURIComponent(`${token.slice(0, 2)}_`)}`)).total).toBe(0);
    const garbled = await list(`${q}&after=garbage`);
    expect(garbled.newer).toBeNull();
    expect(garbled.notices.length).toBeGreaterThan(0);
    await db().tender.deleteMany({ where: { code: { startsWith: `KS-${token}-` } } });
  });
});
